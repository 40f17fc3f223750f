package dev.spindle.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Per task type policy.
 *
 * @param queue the queue tasks of this type go to unless the request names one
 * @param retry attempts and backoff
 * @param timeout per-attempt timeout, {@link Duration#ZERO} for none
 * @param nonRetryable exception classes that fail the task for good at once
 */
public record TaskTypeOptions(
    String queue,
    RetryPolicy retry,
    Duration timeout,
    List<Class<? extends Throwable>> nonRetryable) {

  public static final TaskTypeOptions DEFAULTS =
      new TaskTypeOptions("default", RetryPolicy.DEFAULT, Duration.ZERO, List.of());

  public TaskTypeOptions {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    nonRetryable = List.copyOf(nonRetryable);
  }

  public static TaskTypeOptions defaults() {
    return DEFAULTS;
  }

  public TaskTypeOptions withQueue(String q) {
    return new TaskTypeOptions(q, retry, timeout, nonRetryable);
  }

  public TaskTypeOptions withRetry(RetryPolicy r) {
    return new TaskTypeOptions(queue, r, timeout, nonRetryable);
  }

  public TaskTypeOptions withTimeout(Duration t) {
    return new TaskTypeOptions(queue, retry, t, nonRetryable);
  }

  @SafeVarargs
  public final TaskTypeOptions withNonRetryable(Class<? extends Throwable>... types) {
    List<Class<? extends Throwable>> list = new java.util.ArrayList<>(types.length);
    for (Class<? extends Throwable> t : types) {
      list.add(t);
    }
    return new TaskTypeOptions(queue, retry, timeout, list);
  }

  /** True if {@code t} must fail the task for good. */
  public boolean isNonRetryable(Throwable t) {
    if (t instanceof NonRetryableException) {
      return true;
    }
    for (Class<? extends Throwable> c : nonRetryable) {
      if (c.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
