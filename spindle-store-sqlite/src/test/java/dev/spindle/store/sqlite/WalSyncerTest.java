package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.task.TaskState;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With full durability a caller is answered only once the WAL holding its commit is synced, while
 * the writer goes on committing. The WAL sync here is a stand-in that the test holds or fails; the
 * database underneath is real.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WalSyncerTest {
  @TempDir Path dir;
  final ManualClock clock = ManualClock.startingAt2026();
  final HeldSync sync = new HeldSync();
  SqliteTaskStore store;
  GroupCommitWriter writer;

  @BeforeEach
  void open() {
    store =
        SqliteTaskStore.open(dir.resolve("spindle.db"), SqliteStoreOptions.defaults(), db -> sync);
    writer = store.writer();
  }

  @AfterEach
  void close() {
    sync.open();
    store.close();
  }

  @Test
  void aWriteIsAnsweredOnlyOnceItsCommitIsSynced() throws Exception {
    CompletableFuture<List<Enqueued>> call = enqueueIntoHeldSync("1");

    assertThat(call).as("answered before the sync").isNotDone();
    sync.open();
    assertThat(call.get()).singleElement().matches(Enqueued::created);
  }

  @Test
  void whileASyncIsHeldTheWriterCommitsOneGroupAheadAndGathersTheRest() throws Exception {
    long commitsBefore = writer.commits();
    List<CompletableFuture<List<Enqueued>>> calls = new ArrayList<>();
    calls.add(enqueueIntoHeldSync("1"));
    // The first sync is held: the writer commits the next group, then waits for its turn.
    calls.add(enqueueAsync("2"));
    awaitCommits(commitsBefore + 2);
    for (int i = 3; i <= 5; i++) {
      calls.add(enqueueAsync(Integer.toString(i)));
    }
    assertThat(writer.commits() - commitsBefore).isEqualTo(2);
    assertThat(calls).noneMatch(CompletableFuture::isDone);

    sync.open();
    for (CompletableFuture<List<Enqueued>> call : calls) {
      assertThat(call.get()).singleElement().matches(Enqueued::created);
    }
    assertThat(writer.commits() - commitsBefore).as("calls 3 to 5 in one group").isEqualTo(3);
  }

  @Test
  void aFailedSyncFailsItsCallersSayingTheWriteMayBeUndone() throws Exception {
    sync.failNext(new IOException("Input/output error"));

    assertThatThrownBy(() -> unwrap(enqueueAsync("1")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("could not enqueue durably in SQLite store")
        .hasMessageContaining("the transaction committed, but syncing it to disk failed")
        .hasMessageContaining("Input/output error")
        .hasMessageContaining("a power loss may undo it");

    // The store goes on: the next write is synced and answered.
    List<Enqueued> next = enqueueAsync("2").get();
    assertThat(store.get(List.of(next.getFirst().id())))
        .singleElement()
        .matches(t -> t.state() == TaskState.READY);
  }

  @Test
  void closeSyncsAndAnswersWhatWasCommitted() throws Exception {
    CompletableFuture<List<Enqueued>> call = enqueueIntoHeldSync("1");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(store::close);
    assertThat(call).isNotDone();
    sync.open();

    closing.get();
    assertThat(call.get()).singleElement().matches(Enqueued::created);
    assertThat(sync.closed).isTrue();
  }

  /** Holds the sync shut, then enqueues one task and waits until its commit reached the sync. */
  private CompletableFuture<List<Enqueued>> enqueueIntoHeldSync(String payload)
      throws InterruptedException {
    sync.hold();
    long commitsBefore = writer.commits();
    CompletableFuture<List<Enqueued>> call = enqueueAsync(payload);
    awaitCommits(commitsBefore + 1);
    sync.awaitHeld(1);
    return call;
  }

  private CompletableFuture<List<Enqueued>> enqueueAsync(String payload) {
    return writer
        .submitAsync(
            "enqueue",
            new EnqueueWrite(
                List.of(NewTasks.task("q", clock.instant()).payload(payload).build()), null))
        .thenApply(EnqueueResult::enqueued);
  }

  private void awaitCommits(long commits) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (writer.commits() < commits) {
      assertThat(System.nanoTime()).as("commits in time").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static <T> T unwrap(CompletableFuture<T> call) throws Exception {
    try {
      return call.get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** A WAL sync that can be held shut, counted and made to fail once. */
  static final class HeldSync implements WalSyncer.Sync {
    final AtomicInteger syncs = new AtomicInteger();
    final Semaphore held = new Semaphore(0);
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile IOException failure;
    volatile boolean closed;

    void hold() {
      gate = new CountDownLatch(1);
    }

    void open() {
      gate.countDown();
    }

    void awaitHeld(int syncs) throws InterruptedException {
      assertThat(held.tryAcquire(syncs, 10, TimeUnit.SECONDS)).as("sync reached").isTrue();
    }

    void failNext(IOException e) {
      failure = e;
    }

    @Override
    public void sync() throws IOException {
      syncs.incrementAndGet();
      held.release();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      IOException e = failure;
      if (e != null) {
        failure = null;
        throw e;
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
