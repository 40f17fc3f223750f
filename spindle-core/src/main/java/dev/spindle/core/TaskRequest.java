package dev.spindle.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What a producer asks to run. Build with {@link #of(String, Object)} and the {@code with} methods;
 * each returns a new request. Unset fields take the task type's defaults.
 */
public final class TaskRequest {
  private final String type;
  private final Object payload;
  private final String payloadJson;
  // Set only on a fresh copy inside a with-method, before the copy is returned.
  private String queue;
  private Integer priority;
  private Instant runAt;
  private Duration delay;
  private Instant deadline;
  private Integer maxAttempts;
  private Duration timeout;
  private String idempotencyKey;
  private List<Long> dependsOn = List.of();

  private TaskRequest(String type, Object payload, String payloadJson) {
    this.type = type;
    this.payload = payload;
    this.payloadJson = payloadJson;
  }

  private TaskRequest copy() {
    TaskRequest r = new TaskRequest(type, payload, payloadJson);
    r.queue = queue;
    r.priority = priority;
    r.runAt = runAt;
    r.delay = delay;
    r.deadline = deadline;
    r.maxAttempts = maxAttempts;
    r.timeout = timeout;
    r.idempotencyKey = idempotencyKey;
    r.dependsOn = dependsOn;
    return r;
  }

  /** A task of {@code type} whose payload Jackson will write as JSON (null is allowed). */
  public static TaskRequest of(String type, Object payload) {
    return new TaskRequest(type, payload, null);
  }

  /** A task whose payload is given as JSON text; it is checked to be one valid JSON value. */
  public static TaskRequest ofJson(String type, String payloadJson) {
    return new TaskRequest(type, null, payloadJson);
  }

  public TaskRequest withQueue(String q) {
    TaskRequest r = copy();
    r.queue = q;
    return r;
  }

  /** Higher runs first; -1000 to 1000, default 0. */
  public TaskRequest withPriority(int p) {
    TaskRequest r = copy();
    r.priority = p;
    return r;
  }

  /** Not before this instant. Replaces any delay. */
  public TaskRequest withRunAt(Instant at) {
    TaskRequest r = copy();
    r.runAt = at;
    r.delay = null;
    return r;
  }

  /** Not before this long after submit. Replaces any runAt. */
  public TaskRequest withDelay(Duration d) {
    TaskRequest r = copy();
    r.delay = d;
    r.runAt = null;
    return r;
  }

  /** If the task has not started by then, it becomes EXPIRED and never runs. */
  public TaskRequest withDeadline(Instant at) {
    TaskRequest r = copy();
    r.deadline = at;
    return r;
  }

  /** Attempts before the task is DEAD; 1 to 1000, default from the type's retry policy. */
  public TaskRequest withMaxAttempts(int n) {
    TaskRequest r = copy();
    r.maxAttempts = n;
    return r;
  }

  /** Each attempt is interrupted and counted as failed after this long; up to 24 hours. */
  public TaskRequest withTimeout(Duration t) {
    TaskRequest r = copy();
    r.timeout = t;
    return r;
  }

  /**
   * At most one task exists per key: resubmitting the same task returns the existing id, a
   * different task under the same key is refused.
   */
  public TaskRequest withIdempotencyKey(String key) {
    TaskRequest r = copy();
    r.idempotencyKey = key;
    return r;
  }

  /**
   * The task waits (state WAITING) until every one of these tasks is final — SUCCEEDED, DEAD,
   * CANCELLED or EXPIRED, whatever the outcome — and then becomes READY. Its handler reads them
   * with {@link TaskContext#dependencies()}. The ids must exist when the task is submitted.
   */
  public TaskRequest withDependsOn(List<Long> ids) {
    TaskRequest r = copy();
    r.dependsOn = ids == null ? null : Collections.unmodifiableList(new ArrayList<>(ids));
    return r;
  }

  public TaskRequest withDependsOn(long... ids) {
    return withDependsOn(java.util.Arrays.stream(ids).boxed().toList());
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

  /** Tasks this one waits for; empty when it can run at once (null only if set to null). */
  public List<Long> dependsOn() {
    return dependsOn;
  }
}
