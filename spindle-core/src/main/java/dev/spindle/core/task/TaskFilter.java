package dev.spindle.core.task;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which tasks to list. Empty fields match everything.
 *
 * @param now separates SCHEDULED from READY (both are stored as READY)
 */
public record TaskFilter(
    Optional<String> queue, Optional<TaskState> state, Optional<String> type, Instant now) {

  public TaskFilter {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(now, "now");
  }

  public static TaskFilter all(Instant now) {
    return new TaskFilter(Optional.empty(), Optional.empty(), Optional.empty(), now);
  }

  public TaskFilter withQueue(String q) {
    return new TaskFilter(Optional.of(q), state, type, now);
  }

  public TaskFilter withState(TaskState s) {
    return new TaskFilter(queue, Optional.of(s), type, now);
  }

  public TaskFilter withType(String t) {
    return new TaskFilter(queue, state, Optional.of(t), now);
  }
}
