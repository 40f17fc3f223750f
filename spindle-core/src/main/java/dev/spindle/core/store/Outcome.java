package dev.spindle.core.store;

import java.time.Instant;

/**
 * How an attempt ended, as decided by the engine. A store applies it only while the task is still
 * RUNNING under {@link #leaseToken()}.
 */
public sealed interface Outcome {
  long id();

  long leaseToken();

  /** The handler returned; the task becomes SUCCEEDED with its result. */
  record Succeeded(long id, long leaseToken, String resultJson, Instant at) implements Outcome {}

  /** The attempt failed and another is due at {@code runAt}; the task becomes READY. */
  record Retry(long id, long leaseToken, String error, Instant runAt, Instant at)
      implements Outcome {}

  /** The attempt failed for the last time or for good; the task becomes DEAD. */
  record Dead(long id, long leaseToken, String error, Instant at) implements Outcome {}

  /** The handler stopped after a cancel request; the task becomes CANCELLED. */
  record Cancelled(long id, long leaseToken, Instant at) implements Outcome {}

  /**
   * The worker gave the task back unrun (graceful shutdown); the task becomes READY at {@code
   * runAt} and this attempt is not counted.
   */
  record Released(long id, long leaseToken, Instant runAt) implements Outcome {}
}
