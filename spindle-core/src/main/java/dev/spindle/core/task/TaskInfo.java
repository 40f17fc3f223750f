package dev.spindle.core.task;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything known about one task, as read from a store.
 *
 * @param attempts attempts started so far (a claim counts one)
 * @param leaseOwner the worker holding the lease while RUNNING
 * @param progress the last progress the handler reported, as JSON
 * @param dependsOn the tasks this one waited or waits for
 */
public record TaskInfo(
    long id,
    String type,
    String queue,
    TaskState state,
    int priority,
    String payloadJson,
    Optional<String> resultJson,
    Optional<String> lastError,
    int attempts,
    int maxAttempts,
    Instant createdAt,
    Instant runAt,
    Optional<Instant> deadline,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<String> idempotencyKey,
    Optional<String> progress,
    Optional<String> leaseOwner,
    boolean cancelRequested,
    List<Long> dependsOn) {

  public TaskInfo {
    dependsOn = List.copyOf(dependsOn);
  }

  /** The same task with SCHEDULED in place of READY when its run time is still ahead of now. */
  public TaskInfo asOf(Instant now) {
    if (state == TaskState.READY && runAt.isAfter(now)) {
      return withState(TaskState.SCHEDULED);
    }
    return this;
  }

  private TaskInfo withState(TaskState newState) {
    return new TaskInfo(
        id,
        type,
        queue,
        newState,
        priority,
        payloadJson,
        resultJson,
        lastError,
        attempts,
        maxAttempts,
        createdAt,
        runAt,
        deadline,
        startedAt,
        finishedAt,
        idempotencyKey,
        progress,
        leaseOwner,
        cancelRequested,
        dependsOn);
  }
}
