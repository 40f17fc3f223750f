package dev.spindle.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.core.TaskCancelledException;
import dev.spindle.core.TaskContext;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.task.TaskInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** One running attempt: the handler's {@link TaskContext} and the engine's handle on it. */
final class Attempt implements TaskContext {
  final ClaimedTask task;
  final Instant startedAt;
  final long startNanos;

  /** Null when the attempt has no timeout. */
  final Instant timeoutAt;

  private final ObjectMapper json;
  private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
  private final AtomicBoolean settled = new AtomicBoolean();
  private final AtomicReference<String> pendingProgress = new AtomicReference<>();
  private volatile Instant leaseUntil;
  private volatile Thread thread;

  private final Submitter submitter;

  Attempt(
      ClaimedTask task,
      Instant startedAt,
      Instant timeoutAt,
      ObjectMapper json,
      Submitter submitter) {
    this.submitter = submitter;
    this.task = task;
    this.startedAt = startedAt;
    this.startNanos = System.nanoTime();
    this.timeoutAt = timeoutAt;
    this.json = json;
    this.leaseUntil = task.leaseUntil();
  }

  void bind(Thread t) {
    this.thread = t;
  }

  /**
   * Asks the attempt to stop. Returns true if this call set the reason. Every reason but a cancel
   * request interrupts the handler's thread: a timed-out, fenced or shut-down attempt must stop
   * even if its handler never looks at {@link #isCancelled()}.
   */
  boolean stop(StopReason reason) {
    boolean first = stopReason.compareAndSet(null, reason);
    if (first && reason != StopReason.CANCELLED) {
      Thread t = thread;
      if (t != null) {
        t.interrupt();
      }
    }
    return first;
  }

  /** Upgrades a cooperative cancel to a hard stop (lease loss and shutdown override a cancel). */
  void forceStop(StopReason reason) {
    StopReason prev = stopReason.getAndSet(reason);
    if (prev != reason) {
      Thread t = thread;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  Optional<StopReason> stopReason() {
    return Optional.ofNullable(stopReason.get());
  }

  /** Claims the right to report this attempt's outcome; true exactly once. */
  boolean settle() {
    return settled.compareAndSet(false, true);
  }

  boolean isSettled() {
    return settled.get();
  }

  Instant leaseUntil() {
    return leaseUntil;
  }

  void leaseExtended(Instant until) {
    this.leaseUntil = until;
  }

  /** The progress reported since the last heartbeat, cleared by this call. */
  Optional<String> takeProgress() {
    return Optional.ofNullable(pendingProgress.getAndSet(null));
  }

  @Override
  public long taskId() {
    return task.id();
  }

  @Override
  public String type() {
    return task.type();
  }

  @Override
  public String queue() {
    return task.queue();
  }

  @Override
  public int attempt() {
    return task.attempt();
  }

  @Override
  public int maxAttempts() {
    return task.maxAttempts();
  }

  @Override
  public long leaseToken() {
    return task.leaseToken();
  }

  @Override
  public String payloadJson() {
    return task.payloadJson();
  }

  @Override
  public boolean isCancelled() {
    return stopReason.get() != null;
  }

  @Override
  public void throwIfCancelled() {
    StopReason r = stopReason.get();
    if (r != null) {
      throw new TaskCancelledException(
          "task " + task.id() + " attempt " + task.attempt() + " stopped: " + r);
    }
  }

  @Override
  public void reportProgress(Object progress) {
    try {
      pendingProgress.set(json.writeValueAsString(progress));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "progress must be a value Jackson can write as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public List<Long> submitAll(List<TaskRequest> requests) {
    return submitter.submitAll(requests);
  }

  @Override
  public List<TaskInfo> dependencies() {
    List<Long> ids =
        submitter.get(List.of(task.id())).stream()
            .findFirst()
            .map(TaskInfo::dependsOn)
            .orElse(List.of());
    return ids.isEmpty() ? List.of() : submitter.get(ids);
  }
}
