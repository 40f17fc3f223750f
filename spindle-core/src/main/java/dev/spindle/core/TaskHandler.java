package dev.spindle.core;

/**
 * Runs one attempt of a task. Handlers run on virtual threads, so blocking I/O is fine.
 *
 * <p>Return a result (any value Jackson can write, or null): it is stored as JSON and the task
 * succeeds. Throw to fail the attempt: it is retried with backoff until its attempts are used up,
 * unless the exception is a {@link NonRetryableException} or one of the task type's non-retryable
 * exception classes. Delivery is at least once: use {@link TaskContext#taskId()} and {@link
 * TaskContext#attempt()} to make side effects idempotent.
 *
 * @param <P> the payload type, decoded from JSON with the engine's ObjectMapper
 */
@FunctionalInterface
public interface TaskHandler<P> {
  Object handle(P payload, TaskContext context) throws Exception;
}
