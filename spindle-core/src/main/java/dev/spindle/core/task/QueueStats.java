package dev.spindle.core.task;

import java.util.Map;

/** Task counts of one queue by stored state (SCHEDULED counted apart from READY). */
public record QueueStats(String queue, Map<TaskState, Long> counts) {
  public QueueStats {
    counts = Map.copyOf(counts);
  }

  public long count(TaskState state) {
    return counts.getOrDefault(state, 0L);
  }
}
