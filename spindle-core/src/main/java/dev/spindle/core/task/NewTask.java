package dev.spindle.core.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated task ready to be written by a store. The engine builds these; a store writes them as
 * given and makes no policy decision.
 *
 * @param type the handler's task type
 * @param queue the queue the task waits in
 * @param payloadJson the payload, already serialized to JSON
 * @param priority higher runs first; {@link TaskLimits#MIN_PRIORITY} to {@link
 *     TaskLimits#MAX_PRIORITY}
 * @param runAt not claimed before this instant
 * @param deadline if present and passed before the task starts, the task becomes EXPIRED
 * @param maxAttempts attempts before the task is DEAD, at least 1
 * @param timeout per-attempt timeout; {@link Duration#ZERO} means the task type's default
 * @param idempotencyKey if present, unique across the store
 * @param fingerprint digest of what the submitter sent, compared when an idempotency key repeats
 * @param createdAt submission time
 * @param dependsOn tasks that must be final before this one is READY; empty for most tasks
 */
public record NewTask(
    String type,
    String queue,
    String payloadJson,
    int priority,
    Instant runAt,
    Optional<Instant> deadline,
    int maxAttempts,
    Duration timeout,
    Optional<String> idempotencyKey,
    String fingerprint,
    Instant createdAt,
    List<Long> dependsOn) {

  public NewTask {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(payloadJson, "payloadJson");
    Objects.requireNonNull(runAt, "runAt");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(createdAt, "createdAt");
    dependsOn = List.copyOf(dependsOn);
  }

  /** A task without dependencies. */
  public NewTask(
      String type,
      String queue,
      String payloadJson,
      int priority,
      Instant runAt,
      Optional<Instant> deadline,
      int maxAttempts,
      Duration timeout,
      Optional<String> idempotencyKey,
      String fingerprint,
      Instant createdAt) {
    this(
        type,
        queue,
        payloadJson,
        priority,
        runAt,
        deadline,
        maxAttempts,
        timeout,
        idempotencyKey,
        fingerprint,
        createdAt,
        List.of());
  }
}
