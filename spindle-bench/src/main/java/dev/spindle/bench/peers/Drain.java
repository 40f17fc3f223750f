package dev.spindle.bench.peers;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a run's completions, as the system reports them committed. */
final class Drain {
  /** Counts the completions committed so far. */
  @FunctionalInterface
  interface CompletedCount {
    int get() throws Exception;
  }

  private static final long MIN_PAUSE_NANOS = 2_000_000;
  private static final long MAX_PAUSE_NANOS = 100_000_000;

  private Drain() {}

  /**
   * Polls {@code completed} until it reaches {@code tasks} or the time box that began at {@code
   * startNanos} ends; returns the last count. Counting rows costs the database something, so the
   * pause between polls is a quarter of the time the remaining tasks should take at the rate seen
   * so far, between 2 and 100 ms: the end of a run is seen within a few per cent of its length.
   */
  static int await(CompletedCount completed, int tasks, long startNanos, Duration timeout)
      throws Exception {
    long deadline = startNanos + timeout.toNanos();
    while (true) {
      int done = completed.get();
      if (done >= tasks || System.nanoTime() - deadline >= 0) {
        return done;
      }
      long elapsed = System.nanoTime() - startNanos;
      double remaining = done == 0 ? 10e6 : (double) elapsed * (tasks - done) / done;
      LockSupport.parkNanos((long) Math.clamp(remaining / 4, MIN_PAUSE_NANOS, MAX_PAUSE_NANOS));
    }
  }
}
