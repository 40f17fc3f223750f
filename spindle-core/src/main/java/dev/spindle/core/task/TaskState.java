package dev.spindle.core.task;

/**
 * Where a task is in its lifecycle.
 *
 * <p>Stores persist {@link #WAITING}, {@link #READY}, {@link #RUNNING} and the final states. {@link
 * #SCHEDULED} is derived: a READY task whose {@code runAt} is still in the future (a delayed task
 * or a retry waiting out its backoff).
 */
public enum TaskState {
  /** Waits for the tasks it depends on to reach a final state. */
  WAITING,
  SCHEDULED,
  READY,
  RUNNING,
  SUCCEEDED,
  DEAD,
  CANCELLED,
  EXPIRED;

  /**
   * True for states a task never leaves on its own (only a manual retry moves DEAD and friends).
   */
  public boolean isFinal() {
    return this == SUCCEEDED || this == DEAD || this == CANCELLED || this == EXPIRED;
  }

  /** True for states in which the task has not started its current attempt yet. */
  public boolean isWaiting() {
    return this == WAITING || this == SCHEDULED || this == READY;
  }
}
