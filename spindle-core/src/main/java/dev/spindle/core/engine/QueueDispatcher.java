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
 * <p>A claim asks for every free slot at once. While a claim round trip is under way, finishing
 * tasks free more slots, so under load claims grow into batches by themselves. Up to {@value
 * #CLAIMS_IN_FLIGHT} claims are under way at once: a claim commits (on PostgreSQL it waits for the
 * WAL flush), and with one at a time a slot freed just after a claim left waited for that claim's
 * whole round trip and the next one's. Measured with 64 slots on PostgreSQL: 4,500 tasks/s with one
 * claim in flight, see the closing note of issue 5 for the figure with several.
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

  /** Claims of this queue that may be under way at once. */
  static final int CLAIMS_IN_FLIGHT = 3;

  private final Semaphore slots;
  private final Semaphore claims = new Semaphore(CLAIMS_IN_FLIGHT);

  /**
   * Set when a claim made alone got fewer tasks than it asked for: the queue ran dry (or claiming
   * failed), so wait for a wake-up or the next poll.
   */
  private volatile boolean dry;

  /**
   * Set when a claim made beside others got fewer tasks than it asked for: the others may hold the
   * rows it skipped, so let them finish and ask again alone before concluding the queue is dry.
   */
  private volatile boolean unsure;

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
        if (dry || unsure) {
          claims.acquire(CLAIMS_IN_FLIGHT); // the claims under way have finished
          claims.release(CLAIMS_IN_FLIGHT);
          if (dry) {
            signal.await(pollNanos);
          }
          dry = false;
          unsure = false;
          continue;
        }
        // Not interrupted at close: an interrupted claim may still commit, and tasks claimed but
        // never started would sit leased until rescue, each losing an attempt.
        if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        if (!claims.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          slots.release();
          continue;
        }
        int taken = 1 + slots.drainPermits();
        int want = Math.min(taken, settings.maxClaimBatch());
        slots.release(taken - want);
        if (paused || stopping) {
          slots.release(want);
          claims.release();
          signal.await(pollNanos);
          continue;
        }
        // Only this loop takes claim permits, so this undercounts claims under way, never over.
        boolean alone = claims.availablePermits() == CLAIMS_IN_FLIGHT - 1;
        Thread.ofVirtual().name("spindle-claim-" + queue).start(() -> claim(want, alone));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One claim of up to {@code want} tasks, holding that many slots and one claim permit. */
  private void claim(int want, boolean alone) {
    int got = 0;
    try {
      got = claimAndStart(want);
    } catch (RuntimeException e) {
      log.warn("claiming from queue '{}' failed; retrying", queue, e);
    } finally {
      slots.release(want - got); // each started task returns its own slot when it ends
      if (got < want) {
        if (alone) {
          dry = true;
        } else {
          unsure = true;
        }
      }
      claims.release();
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

  /** Stops claiming and waits for claims under way to start their tasks; running ones go on. */
  @Override
  public void close() {
    stopping = true;
    signal.wake();
    try {
      thread.join(java.time.Duration.ofSeconds(10));
      if (claims.tryAcquire(CLAIMS_IN_FLIGHT, 10, TimeUnit.SECONDS)) {
        claims.release(CLAIMS_IN_FLIGHT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
