package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.TaskState;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrent enqueues share INSERTs and commits: every caller still gets its own ids back in its
 * own order, and one caller's bad batch fails only that caller.
 */
class PostgresEnqueueCoalescingTest {
  private final ManualClock clock = ManualClock.startingAt2026();
  private PostgresTaskStore store;

  @BeforeEach
  void open() {
    store = TestDatabase.openFresh();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    TestDatabase.dropSchemas();
  }

  private NewTask task(String payload) {
    return NewTasks.task("default", clock.instant()).payload(payload).build();
  }

  @Test
  @Timeout(60)
  void concurrentSingleTaskEnqueuesShareStatementsAndEachGetsItsOwnTask() throws Exception {
    int callers = 64;
    int perCaller = 50;
    List<Future<List<Long>>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < callers; c++) {
        int caller = c;
        calls.add(
            pool.submit(
                () -> {
                  List<Long> ids = new ArrayList<>();
                  for (int i = 0; i < perCaller; i++) {
                    String payload = "{\"caller\":" + caller + ",\"i\":" + i + "}";
                    ids.add(store.enqueue(List.of(task(payload))).get(0).id());
                  }
                  return ids;
                }));
      }
    }

    Set<Long> all = new HashSet<>();
    for (int c = 0; c < callers; c++) {
      List<Long> ids = calls.get(c).get();
      all.addAll(ids);
      // Each id leads to the task that caller submitted, not a neighbour's in the shared INSERT.
      for (int i = 0; i < perCaller; i += 17) {
        assertThat(store.get(ids.get(i)).orElseThrow().payloadJson())
            .isEqualTo("{\"caller\":" + c + ",\"i\":" + i + "}");
      }
    }
    assertThat(all).hasSize(callers * perCaller);
    assertThat(store.coalescer().writes()).isLessThan(callers * perCaller);
  }

  @Test
  @Timeout(60)
  void aBadBatchSharingAWriteFailsOnlyItsOwnCaller() throws Exception {
    PostgresTaskStore oneWriter =
        PostgresTaskStore.open(store.options().toBuilder().poolSize(2).build());
    // Hold the table so the only writer sits in its first INSERT while two more callers queue.
    try (Connection blocker = lockTaskTable();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Enqueued>> first = pool.submit(() -> oneWriter.enqueue(List.of(task("1"))));
      awaitWaiting(oneWriter, 0);
      // PostgreSQL text cannot hold a NUL character: the driver refuses the whole statement.
      Future<List<Enqueued>> bad =
          pool.submit(() -> oneWriter.enqueue(List.of(task("\"\u0000\""))));
      Future<List<Enqueued>> good =
          pool.submit(() -> oneWriter.enqueue(List.of(task("2"), task("3"))));
      awaitWaiting(oneWriter, 2);
      blocker.rollback();

      assertThat(first.get()).hasSize(1);
      List<Enqueued> goodIds = good.get();
      assertThat(goodIds).hasSize(2);
      assertThat(oneWriter.get(goodIds.get(1).id()).orElseThrow().payloadJson()).isEqualTo("3");
      assertThatThrownBy(bad::get).hasCauseInstanceOf(StoreException.class);
    } finally {
      oneWriter.close();
    }
  }

  @Test
  @Timeout(60)
  void callersSharingAWriteEachGetTheTasksStartedForThemUnderOneLeaseToken() throws Exception {
    PostgresTaskStore oneWriter =
        PostgresTaskStore.open(store.options().toBuilder().poolSize(2).build());
    try (Connection blocker = lockTaskTable();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      NewTask elsewhere = NewTasks.task("other", clock.instant()).build();
      Future<List<Enqueued>> first = pool.submit(() -> oneWriter.enqueue(List.of(elsewhere)));
      awaitWaiting(oneWriter, 0);
      Future<EnqueueResult> a =
          pool.submit(() -> oneWriter.enqueueAndStart(List.of(task("a1"), task("a2")), start(1)));
      Future<EnqueueResult> b =
          pool.submit(
              () ->
                  oneWriter.enqueueAndStart(List.of(task("b1"), task("b2"), task("b3")), start(2)));
      awaitWaiting(oneWriter, 2);
      blocker.rollback();

      assertThat(first.get()).hasSize(1);
      List<Long> aIds = ids(a.get());
      List<Long> bIds = ids(b.get());
      assertThat(oneWriter.coalescer().writes()).as("a and b in one write").isEqualTo(2);
      assertThat(a.get().started()).extracting(ClaimedTask::id).containsExactly(aIds.get(0));
      assertThat(b.get().started())
          .extracting(ClaimedTask::id)
          .containsExactly(bIds.get(0), bIds.get(1));
      assertThat(a.get().started().get(0).leaseToken())
          .isEqualTo(b.get().started().get(0).leaseToken())
          .isEqualTo(b.get().started().get(1).leaseToken());
      for (ClaimedTask t : b.get().started()) {
        assertThat(oneWriter.get(t.id()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
      }
      Instant now = clock.instant();
      List<ClaimedTask> rest =
          oneWriter.claim(new ClaimRequest("default", "w", 10, now, now.plusSeconds(30)));
      assertThat(rest)
          .extracting(ClaimedTask::id)
          .containsExactlyInAnyOrder(aIds.get(1), bIds.get(2));
    } finally {
      oneWriter.close();
    }
  }

  @Test
  void theEnqueueWriterHandsTheStartedTasksToTheHookBeforeTheCallerReturns() {
    List<List<ClaimedTask>> handed = new ArrayList<>();
    List<String> threads = new ArrayList<>();

    EnqueueResult result =
        store.enqueueAndStart(
            List.of(task("a"), task("b")),
            start(1),
            started -> {
              handed.add(started);
              threads.add(Thread.currentThread().getName());
            });

    assertThat(handed).as("called once, before the caller returned").hasSize(1);
    assertThat(handed.get(0)).isEqualTo(result.started()).hasSize(1);
    assertThat(handed.get(0).get(0).id()).isEqualTo(result.enqueued().get(0).id());
    assertThat(threads.get(0)).startsWith("spindle-pg-enqueue-");
  }

  @Test
  void aFailingHookStillLeavesTheCallerItsTasks() {
    EnqueueResult result =
        store.enqueueAndStart(
            List.of(task("a")),
            start(1),
            started -> {
              throw new IllegalStateException("the dispatcher is gone");
            });

    long id = result.enqueued().get(0).id();
    assertThat(result.started()).extracting(ClaimedTask::id).containsExactly(id);
    assertThat(store.get(id).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void aFailedWriteNeverCallsTheHook() {
    List<List<ClaimedTask>> handed = new ArrayList<>();
    // PostgreSQL text cannot hold a NUL character: the driver refuses the whole statement.
    NewTask bad = task("\"\u0000\"");

    assertThatThrownBy(() -> store.enqueueAndStart(List.of(bad), start(1), handed::add))
        .isInstanceOf(StoreException.class);
    assertThat(handed).isEmpty();
  }

  /** A connection holding the task table locked until it rolls back: writers wait behind it. */
  private Connection lockTaskTable() throws SQLException {
    Connection blocker = TestDatabase.connect();
    blocker.setAutoCommit(false);
    try (Statement st = blocker.createStatement()) {
      st.execute("LOCK TABLE " + store.options().schema() + ".spindle_task IN EXCLUSIVE MODE");
    }
    return blocker;
  }

  private ClaimRequest start(int max) {
    Instant now = clock.instant();
    return new ClaimRequest("default", "submitter", max, now, now.plusSeconds(30));
  }

  private static List<Long> ids(EnqueueResult result) {
    return result.enqueued().stream().map(Enqueued::id).toList();
  }

  /** Waits until {@code count} batches queue behind the busy writer (after the first is taken). */
  private static void awaitWaiting(PostgresTaskStore store, int count) throws InterruptedException {
    EnqueueCoalescer coalescer = store.coalescer();
    Wait.until(
        count + " batches waiting behind a writer busy with its first",
        Duration.ofSeconds(10),
        () -> coalescer.writes() == 1 && coalescer.waiting() == count);
  }
}
