package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every store contract class: a fresh, empty store per test, a manual clock whose
 * instants are passed to the store, and helpers that keep the tests about guarantees.
 *
 * <p>A store passes the contract when a subclass of each {@code *Contract} class, implementing
 * {@link #createStore()}, passes.
 */
public abstract class StoreContract {
  protected static final String QUEUE = "default";
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected final ManualClock clock = ManualClock.startingAt2026();
  protected TaskStore store;

  /** A new, empty store; closed by the contract after each test. */
  protected abstract TaskStore createStore();

  @BeforeEach
  protected void openStore() {
    store = createStore();
  }

  @AfterEach
  protected void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected Instant now() {
    return clock.instant();
  }

  /** A task of {@link #QUEUE}, due now. */
  protected NewTasks.Builder task() {
    return NewTasks.task(QUEUE, now());
  }

  protected long enqueue(NewTask task) {
    return store.enqueue(List.of(task)).getFirst().id();
  }

  protected long enqueue(NewTasks.Builder task) {
    return enqueue(task.build());
  }

  protected List<ClaimedTask> claim(int max) {
    return claim(QUEUE, "worker-1", max);
  }

  protected List<ClaimedTask> claim(String queue, String worker, int max) {
    return store.claim(new ClaimRequest(queue, worker, max, now(), now().plus(LEASE)));
  }

  protected ClaimedTask claimOne(String worker) {
    List<ClaimedTask> claimed = claim(QUEUE, worker, 1);
    assertThat(claimed).as("tasks claimed by %s", worker).hasSize(1);
    return claimed.getFirst();
  }

  protected List<Long> ids(List<ClaimedTask> claimed) {
    return claimed.stream().map(ClaimedTask::id).toList();
  }

  protected TaskInfo info(long id) {
    return store.get(id).orElseThrow(() -> new AssertionError("task " + id + " is missing"));
  }

  protected List<Long> succeed(ClaimedTask task) {
    return store.complete(
        List.of(new Outcome.Succeeded(task.id(), task.leaseToken(), "\"ok\"", now())));
  }

  /** Moves the clock past the lease of a task claimed now. */
  protected void letLeasesExpire() {
    clock.advance(LEASE.plusSeconds(1));
  }
}
