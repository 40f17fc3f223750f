package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.IdempotencyConflictException;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.TaskState;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit: ops queued while the writer is busy share one transaction, yet each succeeds or
 * fails on its own. The writer is held busy by an op that waits on a latch, so the ops to test are
 * known to land in one drain without any sleeping.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteGroupCommitTest {
  @TempDir Path dir;
  final ManualClock clock = ManualClock.startingAt2026();
  SqliteTaskStore store;
  GroupCommitWriter writer;

  @BeforeEach
  void open() {
    store = SqliteTaskStore.open(dir.resolve("spindle.db"));
    writer = store.writer();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void conflictingOpFailsAloneWhileTheOpsOfItsDrainCommit() throws Exception {
    long holder = store.enqueue(List.of(task("{}").idempotencyKey("k").build())).getFirst().id();
    CountDownLatch release = holdWriter();
    long commitsBefore = writer.commits();

    CompletableFuture<List<Enqueued>> good1 = enqueueAsync(task("{\"a\":1}").build());
    CompletableFuture<List<Enqueued>> bad =
        enqueueAsync(task("{\"b\":1}").build(), task("{\"other\":1}").idempotencyKey("k").build());
    CompletableFuture<List<Enqueued>> good2 = enqueueAsync(task("{\"c\":1}").build());
    awaitPending(3);
    release.countDown();

    assertThat(good1.get()).singleElement().matches(Enqueued::created);
    assertThat(good2.get()).singleElement().matches(Enqueued::created);
    assertThatThrownBy(bad::join)
        .hasCauseInstanceOf(IdempotencyConflictException.class)
        .cause()
        .hasMessageContaining("'k'")
        .hasMessageContaining(String.valueOf(holder));
    assertThat(writer.commits() - commitsBefore)
        .as("the holding op's transaction and one for the drained ops")
        .isEqualTo(2);
    assertThat(good2.get().getFirst().id())
        .as("ids of the rolled-back op are given back")
        .isEqualTo(good1.get().getFirst().id() + 1);
    assertThat(store.get(good1.get().getFirst().id())).isPresent();
    assertThat(store.get(good2.get().getFirst().id())).isPresent();
  }

  @Test
  void completionOfAnOpThatFailedKeepsTheLeaseForRescue() throws Exception {
    long id = store.enqueue(List.of(task("{}").build())).getFirst().id();
    ClaimedTask claimed =
        store
            .claim(new ClaimRequest("q", "w", 1, clock.instant(), clock.instant().plusSeconds(30)))
            .getFirst();
    CountDownLatch release = holdWriter();
    Outcome done = new Outcome.Succeeded(id, claimed.leaseToken(), "{}", clock.instant());
    CompletableFuture<List<Long>> failing =
        writer.submitAsync(
            "complete, then fail",
            session -> {
              new CompleteWrite(List.of(done)).apply(session);
              throw new IllegalStateException("the op failed after its completion ran");
            });
    CompletableFuture<List<Enqueued>> other = enqueueAsync(task("{\"a\":1}").build());
    awaitPending(2);
    release.countDown();

    assertThat(other.get()).hasSize(1);
    assertThatThrownBy(failing::join).hasRootCauseMessage("the op failed after its completion ran");
    assertThat(store.get(id).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    assertThat(store.rescueExpired(clock.instant().plusSeconds(31), 10).requeued())
        .as("the rolled-back completion did not take the lease out of the writer's table")
        .containsExactly(id);
  }

  @Test
  void opsQueuedWhileTheWriterIsBusyShareOneCommit() throws Exception {
    CountDownLatch release = holdWriter();
    long commitsBefore = writer.commits();
    List<CompletableFuture<List<Enqueued>>> calls =
        List.of(
            enqueueAsync(task("1").build()),
            enqueueAsync(task("2").build()),
            enqueueAsync(task("3").build()),
            enqueueAsync(task("4").build()));
    awaitPending(calls.size());
    release.countDown();

    for (CompletableFuture<List<Enqueued>> call : calls) {
      assertThat(call.get()).hasSize(1);
    }
    assertThat(writer.commits() - commitsBefore).isEqualTo(2);
  }

  @Test
  void aSubmitStartsTheTaskThatAnEarlierSubmitOfItsDrainLeftWaiting() throws Exception {
    CountDownLatch release = holdWriter();
    CompletableFuture<EnqueueResult> first = enqueueAndStartAsync(task("1").build());
    CompletableFuture<List<Enqueued>> waiting = enqueueAsync(task("2").build());
    CompletableFuture<EnqueueResult> third = enqueueAndStartAsync(task("3").build());
    awaitPending(3);
    release.countDown();

    assertThat(first.get().started())
        .as("nothing was due: the first submit starts its own task")
        .extracting(ClaimedTask::id)
        .containsExactly(first.get().enqueued().getFirst().id());
    long waitingId = waiting.get().getFirst().id();
    assertThat(third.get().started())
        .as("the task left READY in the same transaction is due, so a claim would take it first")
        .extracting(ClaimedTask::id)
        .containsExactly(waitingId);
    long thirdId = third.get().enqueued().getFirst().id();
    assertThat(store.get(thirdId).orElseThrow().state()).isEqualTo(TaskState.READY);
  }

  @Test
  void aSubmitStartsTheTaskThatACompletionOfItsDrainRequeued() throws Exception {
    long retried = store.enqueue(List.of(task("{}").build())).getFirst().id();
    ClaimedTask claimed = store.claim(startRequest()).getFirst();
    CountDownLatch release = holdWriter();
    CompletableFuture<EnqueueResult> first = enqueueAndStartAsync(task("1").build());
    CompletableFuture<List<Long>> retry =
        writer.submitAsync(
            "retry",
            new CompleteWrite(
                List.of(
                    new Outcome.Retry(
                        retried, claimed.leaseToken(), "boom", clock.instant(), clock.instant()))));
    CompletableFuture<EnqueueResult> third = enqueueAndStartAsync(task("3").build());
    awaitPending(3);
    release.countDown();

    assertThat(first.get().started()).hasSize(1);
    retry.get();
    assertThat(third.get().started())
        .as("the requeued task is due, so a claim would take it first")
        .extracting(ClaimedTask::id)
        .containsExactly(retried);
  }

  @Test
  void closeAnswersEveryQueuedOpBeforeStopping() throws Exception {
    CountDownLatch release = holdWriter();
    CompletableFuture<List<Enqueued>> queued = enqueueAsync(task("1").build());
    awaitPending(1);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(store::close);
    release.countDown();

    closing.get();
    assertThat(queued.get()).hasSize(1);
  }

  /** Occupies the writer thread inside a transaction until the returned latch is released. */
  private CountDownLatch holdWriter() throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    writer.submitAsync(
        "hold the writer for a test",
        session -> {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
    entered.await();
    return release;
  }

  private CompletableFuture<List<Enqueued>> enqueueAsync(NewTask... tasks) {
    return writer
        .submitAsync("enqueue", new EnqueueWrite(List.of(tasks), null))
        .thenApply(EnqueueResult::enqueued);
  }

  private CompletableFuture<EnqueueResult> enqueueAndStartAsync(NewTask task) {
    return writer.submitAsync("enqueue and start", new EnqueueWrite(List.of(task), startRequest()));
  }

  private ClaimRequest startRequest() {
    return new ClaimRequest("q", "w", 1, clock.instant(), clock.instant().plusSeconds(30));
  }

  private void awaitPending(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (writer.pendingCount() < count) {
      assertThat(System.nanoTime()).as("ops queued in time").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private NewTasks.Builder task(String payload) {
    return NewTasks.task("q", clock.instant()).payload(payload);
  }
}
