package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.TaskState;
import dev.spindle.testkit.engine.EngineContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's guarantees hold over the SQLite store, which starts tasks from their submit. */
class SqliteEngineTest extends EngineContract {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Override
  protected TaskStore createStore() {
    return SqliteTaskStore.open(dir.resolve("spindle.db"));
  }

  @Override
  protected TaskStore reopen(TaskStore closed) {
    return SqliteTaskStore.open(((SqliteTaskStore) closed).file());
  }

  @Test
  void aTaskSubmittedToAnIdleQueueStartsFromItsSubmitWithoutAClaim() throws Exception {
    Spindle s =
        started(
            builder(createStore())
                .pollInterval(Duration.ofHours(1))
                .handler("rec", String.class, (p, ctx) -> p));
    // The claim every dispatcher makes on start finds the queue empty; no poll follows for an hour.
    events.await("the first claim", () -> events.claimRounds.get() == 1);

    for (int i = 0; i < 3; i++) {
      long id = s.submit(TaskRequest.of("rec", "x" + i));
      assertThat(s.awaitFinal(id, WAIT).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    assertThat(events.claimRounds.get()).isEqualTo(1);
  }

  @Test
  void aBatchStartsAsManyTasksAsSlotsAreFreeAndTheRestWaitForClaims() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Spindle s =
        started(
            builder(createStore())
                .queue("default", 2)
                .handler(
                    "block",
                    String.class,
                    (p, ctx) -> {
                      most.accumulateAndGet(running.incrementAndGet(), Math::max);
                      release.await();
                      running.decrementAndGet();
                      return p;
                    }));
    events.await("the first claim", () -> events.claimRounds.get() == 1);

    List<TaskRequest> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(TaskRequest.of("block", "t" + i));
    }
    List<Long> ids = s.submitAll(batch);

    // Started before submitAll returned: the two slots, and nothing beyond them.
    assertThat(s.busy()).containsEntry("default", 2);
    assertThat(s.held()).containsEntry("default", 0);
    assertThat(s.get(ids.get(0)).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    assertThat(s.get(ids.get(1)).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    events.await("both started tasks in their handlers", () -> running.get() == 2);
    release.countDown();
    for (long id : ids) {
      assertThat(s.awaitFinal(id, WAIT).state()).isEqualTo(TaskState.SUCCEEDED);
    }
    assertThat(most.get()).isEqualTo(2);
  }
}
