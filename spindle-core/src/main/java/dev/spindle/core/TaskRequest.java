package dev.spindle.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a producer asks to run. Build with {@link #of(String, Object)} and the {@code with} methods;
 * each returns a new request. Unset fields take the task type's defaults.
 */
public final class TaskRequest {
  private final String type;
  private final Object payload;
  private final String payloadJson;
  private final String queue;
  private final Integer priority;
  private final Instant runAt;
  private final Duration delay;
  private final Instant deadline;
  private final Integer maxAttempts;
  private final Duration timeout;
  private final String idempotencyKey;

  private TaskRequest(
      String type,
      Object payload,
      String payloadJson,
      String queue,
      Integer priority,
      Instant runAt,
      Duration delay,
      Instant deadline,
      Integer maxAttempts,
      Duration timeout,
      String idempotencyKey) {
    this.type = type;
    this.payload = payload;
    this.payloadJson = payloadJson;
    this.queue = queue;
    this.priority = priority;
    this.runAt = runAt;
    this.delay = delay;
    this.deadline = deadline;
    this.maxAttempts = maxAttempts;
    this.timeout = timeout;
    this.idempotencyKey = idempotencyKey;
  }

  /** A task of {@code type} whose payload Jackson will write as JSON (null is allowed). */
  public static TaskRequest of(String type, Object payload) {
    return new TaskRequest(type, payload, null, null, null, null, null, null, null, null, null);
  }

  /** A task whose payload is given as JSON text; it is checked to be one valid JSON value. */
  public static TaskRequest ofJson(String type, String payloadJson) {
    return new TaskRequest(type, null, payloadJson, null, null, null, null, null, null, null, null);
  }

  public TaskRequest withQueue(String q) {
    return new TaskRequest(
        type,
        payload,
        payloadJson,
        q,
        priority,
        runAt,
        delay,
        deadline,
        maxAttempts,
        timeout,
        idempotencyKey);
  }

  /** Higher runs first; -1000 to 1000, default 0. */
  public TaskRequest withPriority(int p) {
    return new TaskRequest(
        type,
        payload,
        payloadJson,
        queue,
        p,
        runAt,
        delay,
        deadline,
        maxAttempts,
        timeout,
        idempotencyKey);
  }

  /** Not before this instant. Replaces any delay. */
  public TaskRequest withRunAt(Instant at) {
    return new TaskRequest(
        type,
        payload,
        payloadJson,
        queue,
        priority,
        at,
        null,
        deadline,
        maxAttempts,
        timeout,
        idempotencyKey);
  }

  /** Not before this long after submit. Replaces any runAt. */
  public TaskRequest withDelay(Duration d) {
    return new TaskRequest(
        type,
        payload,
        payloadJson,
        queue,
        priority,
        null,
        d,
        deadline,
        maxAttempts,
        timeout,
        idempotencyKey);
  }

  /** If the task has not started by then, it becomes EXPIRED and never runs. */
  public TaskRequest withDeadline(Instant at) {
    return new TaskRequest(
        type,
        payload,
        payloadJson,
        queue,
        priority,
        runAt,
        delay,
        at,
        maxAttempts,
        timeout,
        idempotencyKey);
  }

  public TaskRequest withMaxAttempts(int n) {
    return new TaskRequest(
        type,
        payload,
        payloadJson,
        queue,
        priority,
        runAt,
        delay,
        deadline,
        n,
        timeout,
        idempotencyKey);
  }

  /** Each attempt is interrupted and counted as failed after this long. */
  public TaskRequest withTimeout(Duration t) {
    return new TaskRequest(
        type,
        payload,
        payloadJson,
        queue,
        priority,
        runAt,
        delay,
        deadline,
        maxAttempts,
        t,
        idempotencyKey);
  }

  /**
   * At most one task exists per key: resubmitting the same task returns the existing id, a
   * different task under the same key is refused.
   */
  public TaskRequest withIdempotencyKey(String key) {
    return new TaskRequest(
        type,
        payload,
        payloadJson,
        queue,
        priority,
        runAt,
        delay,
        deadline,
        maxAttempts,
        timeout,
        key);
  }

  public String type() {
    return type;
  }

  public Object payload() {
    return payload;
  }

  public Optional<String> payloadJson() {
    return Optional.ofNullable(payloadJson);
  }

  public Optional<String> queue() {
    return Optional.ofNullable(queue);
  }

  public Optional<Integer> priority() {
    return Optional.ofNullable(priority);
  }

  public Optional<Instant> runAt() {
    return Optional.ofNullable(runAt);
  }

  public Optional<Duration> delay() {
    return Optional.ofNullable(delay);
  }

  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  public Optional<Integer> maxAttempts() {
    return Optional.ofNullable(maxAttempts);
  }

  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }
}
