package dev.spindle.bench.peers;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a run's completions, observed from the database the system commits them to. */
final class Drain {
  /** Counts the completions committed so far. */
  @FunctionalInterface
  interface CompletedCount {
    int get() throws SQLException;
  }

  private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

  private Drain() {}

  /**
   * Polls {@code completed} until it reaches {@code tasks} or the time box that began at {@code
   * startNanos} ends; returns the last count. Polling every 10 ms adds at most that much to a run
   * of seconds, and the same for every system.
   */
  static int await(CompletedCount completed, int tasks, long startNanos, Duration timeout)
      throws SQLException {
    long deadline = startNanos + timeout.toNanos();
    while (true) {
      int done = completed.get();
      if (done >= tasks || System.nanoTime() - deadline >= 0) {
        return done;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
