package dev.spindle.server.metrics;

import dev.spindle.core.Spindle;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spindle_queue_depth{queue,state}} and {@code spindle_workers_busy{queue}}.
 *
 * <p>Counting tasks is a store query, so depths come from a snapshot taken at most once a second
 * ({@link #refreshIfStale()}, called before each scrape), never from one query per gauge.
 */
public final class QueueGauges {
  private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);
  private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Spindle spindle;
  private final MeterRegistry registry;
  private final Set<String> gaugedQueues = new HashSet<>();
  private volatile Map<String, Map<TaskState, Long>> depths = Map.of();
  private final LongSupplier nanoTime;
  private long takenAt;
  private boolean taken;

  public QueueGauges(Spindle spindle, MeterRegistry registry, Set<String> served) {
    this(spindle, registry, served, System::nanoTime);
  }

  QueueGauges(Spindle spindle, MeterRegistry registry, Set<String> served, LongSupplier nanoTime) {
    this.spindle = spindle;
    this.registry = registry;
    this.nanoTime = nanoTime;
    for (String queue : served) {
      Gauge.builder("spindle.workers.busy", () -> spindle.busy().getOrDefault(queue, 0))
          .description("Tasks running on this server")
          .tag("queue", queue)
          .strongReference(true)
          .register(registry);
      gaugeDepths(queue);
    }
  }

  /** Takes a new snapshot of task counts if the last one is older than a second. */
  public synchronized void refreshIfStale() {
    long now = nanoTime.getAsLong();
    if (taken && now - takenAt < MAX_AGE_NANOS) {
      return;
    }
    takenAt = now;
    taken = true;
    List<QueueStats> stats;
    try {
      stats = spindle.stats();
    } catch (RuntimeException e) {
      log.warn("could not count tasks for queue depth metrics; keeping the last counts", e);
      return;
    }
    Map<String, Map<TaskState, Long>> next = new HashMap<>();
    for (QueueStats s : stats) {
      next.put(s.queue(), s.counts());
      gaugeDepths(s.queue());
    }
    depths = next;
  }

  private void gaugeDepths(String queue) {
    if (!gaugedQueues.add(queue)) {
      return;
    }
    for (TaskState state : TaskState.values()) {
      Gauge.builder("spindle.queue.depth", () -> depth(queue, state))
          .description("Tasks by queue and state, as of the last count (at most 1 s old)")
          .tag("queue", queue)
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .strongReference(true)
          .register(registry);
    }
  }

  private long depth(String queue, TaskState state) {
    return depths.getOrDefault(queue, Map.of()).getOrDefault(state, 0L);
  }
}
