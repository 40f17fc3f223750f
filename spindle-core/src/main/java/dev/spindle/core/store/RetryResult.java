package dev.spindle.core.store;

/** What a manual retry did to one task. */
public enum RetryResult {
  /** The task is READY again with a fresh attempt budget. */
  REQUEUED,
  /** The task is waiting, running or succeeded; only DEAD, CANCELLED and EXPIRED can be retried. */
  NOT_RETRYABLE,
  NOT_FOUND
}
