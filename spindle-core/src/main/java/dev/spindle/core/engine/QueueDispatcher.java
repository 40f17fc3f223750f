package dev.spindle.core.engine;

import dev.spindle.core.SpindleListener;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.TaskStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims tasks of one queue whenever it has free slots and starts them. Concurrency is a semaphore
 * of slots, not a thread pool: each task runs on its own virtual thread.
 *
 * <p>A claim asks for every free slot at once. While one claim round trip is under way, finishing
 * tasks free more slots, so under load claims grow into batches by themselves.
 */
final class QueueDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueDispatcher.class);

  private final String queue;
  private final int concurrency;
  private final TaskStore store;
  private final Clock clock;
  private final EngineSettings settings;
  private final AttemptRunner runner;
  private final SpindleListener listener;
  private final Semaphore slots;
  private final AtomicInteger running = new AtomicInteger();
  private final WakeSignal signal = new WakeSignal();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile boolean paused;

  QueueDispatcher(
      String queue,
      int concurrency,
      TaskStore store,
      Clock clock,
      EngineSettings settings,
      AttemptRunner runner,
      SpindleListener listener) {
    this.queue = queue;
    this.concurrency = concurrency;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.runner = runner;
    this.listener = listener;
    this.slots = new Semaphore(concurrency);
    this.thread =
        Thread.ofPlatform().daemon().name("spindle-dispatch-" + queue).unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Tasks may be due: claim now instead of at the next poll. */
  void wake() {
    signal.wake();
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    signal.wake();
  }

  boolean isPaused() {
    return paused;
  }

  /** Attempts of this queue running now (slots held for a claim in flight do not count). */
  int busy() {
    return running.get();
  }

  private void loop() {
    long pollNanos = settings.pollInterval().toNanos();
    while (!stopping) {
      try {
        // Not interrupted at close: an interrupted claim may still commit, and tasks claimed but
        // never started would sit leased until rescue, each losing an attempt.
        if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        int taken = 1 + slots.drainPermits();
        int want = Math.min(taken, settings.maxClaimBatch());
        slots.release(taken - want);
        int got = 0;
        try {
          got = paused || stopping ? 0 : claimAndStart(want);
        } finally {
          slots.release(want - got); // each started task returns its own slot when it ends
        }
        if (got < want) {
          signal.await(pollNanos);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("claiming from queue '{}' failed; retrying", queue, e);
        try {
          signal.await(pollNanos);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private int claimAndStart(int want) {
    Instant now = clock.instant();
    List<ClaimedTask> claimed =
        store.claim(
            new ClaimRequest(
                queue, settings.workerId(), want, now, now.plus(settings.leaseDuration())));
    listener.claimed(queue, want, claimed.size());
    for (ClaimedTask task : claimed) {
      running.incrementAndGet();
      runner.start(
          task,
          () -> {
            running.decrementAndGet();
            slots.release();
          });
    }
    return claimed.size();
  }

  /** Stops claiming; running attempts go on. */
  @Override
  public void close() {
    stopping = true;
    signal.wake();
    try {
      thread.join(java.time.Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
