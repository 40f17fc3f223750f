package dev.spindle.testkit.engine;

import dev.spindle.core.SpindleListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Counts engine events so a test can wait for "one more claim round trip" or "one lease lost"
 * instead of sleeping.
 */
public final class EngineEvents implements SpindleListener {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  public final AtomicInteger claimRounds = new AtomicInteger();
  public final AtomicInteger started = new AtomicInteger();
  public final AtomicInteger finished = new AtomicInteger();
  public final AtomicInteger leasesLost = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  @Override
  public void claimed(String queue, int requested, int received) {
    claimRounds.incrementAndGet();
    signal();
  }

  @Override
  public void attemptStarted(String queue, String type, long taskId, Duration waited) {
    started.incrementAndGet();
    signal();
  }

  @Override
  public void attemptFinished(
      String queue, String type, long taskId, AttemptResult result, Duration ran) {
    finished.incrementAndGet();
    signal();
  }

  @Override
  public void leaseLost(long taskId) {
    leasesLost.incrementAndGet();
    signal();
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the condition holds; fails the test after a generous limit. */
  public void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + PATIENCE.toNanos();
    lock.lock();
    try {
      while (!condition.getAsBoolean()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for: " + what);
        }
        changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits for two more claim rounds, so that at least one started after this call. */
  public void awaitFreshClaimRound(Runnable wake) throws InterruptedException {
    int target = claimRounds.get() + 2;
    wake.run();
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (claimRounds.get() < target) {
      wake.run();
      await("a claim round", () -> claimRounds.get() >= target || System.nanoTime() > end);
    }
  }
}
