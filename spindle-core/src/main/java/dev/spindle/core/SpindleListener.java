package dev.spindle.core;

import java.time.Duration;

/**
 * Engine events, for metrics and tests. Callbacks run on engine threads and must be quick and must
 * not throw; all methods default to doing nothing.
 */
public interface SpindleListener {
  /** Tasks written by a submit; {@code created} excludes idempotent repeats. */
  default void submitted(String queue, String type, int created) {}

  /** An attempt started, {@code waited} after its task became due. */
  default void attemptStarted(String queue, String type, long taskId, Duration waited) {}

  /** An attempt ended and the store accepted its outcome. */
  default void attemptFinished(
      String queue, String type, long taskId, AttemptResult result, Duration ran) {}

  /** An attempt's lease was lost (fenced, or the store was unreachable past the lease). */
  default void leaseLost(long taskId) {}

  /** The maintainer put back tasks whose lease had expired. */
  default void rescued(int requeued, int dead) {}

  /** A dispatcher finished a claim round trip. */
  default void claimed(String queue, int requested, int received) {}

  /** How an attempt ended. */
  enum AttemptResult {
    SUCCEEDED,
    RETRY,
    DEAD,
    CANCELLED,
    RELEASED
  }
}
