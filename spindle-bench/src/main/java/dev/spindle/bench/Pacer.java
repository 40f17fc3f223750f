package dev.spindle.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The clock of a steady submit rate: task {@code i} is due {@code i / rate} seconds after the
 * start. The caller sleeps at least {@link #TICK_NANOS} at a time and then submits every task that
 * has come due: waking once per task (every 65 us at 15,000/s) took a quarter of the measured JVM's
 * CPU samples, on the two cores the system under test runs on. A task submitted late by up to a
 * tick still counts its latency from its own scheduled time, so the system is charged for the tick,
 * never flattered by it.
 */
public final class Pacer {
  /** The least time the pacer sleeps at once. */
  public static final long TICK_NANOS = 1_000_000;

  private final long startNanos;
  private final double intervalNanos;

  /** A pacer for {@code rate} tasks per second, the first due at {@code startNanos}. */
  public Pacer(long startNanos, double rate) {
    this.startNanos = startNanos;
    this.intervalNanos = 1e9 / rate;
  }

  /** Waits until task {@code i} is due and returns its scheduled time ({@link System#nanoTime}). */
  public long awaitDue(int i) {
    long due = startNanos + (long) (i * intervalNanos);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      LockSupport.parkNanos(Math.max(wait, TICK_NANOS));
    }
    return due;
  }
}
