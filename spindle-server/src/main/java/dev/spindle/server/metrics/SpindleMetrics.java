package dev.spindle.server.metrics;

import dev.spindle.core.SpindleListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns engine events into Prometheus metrics: {@code spindle_tasks_submitted_total}, {@code
 * spindle_tasks_finished_total}, {@code spindle_task_wait_seconds}, {@code
 * spindle_task_run_seconds} and {@code spindle_lease_rescues_total}.
 *
 * <p>Callbacks run on engine threads, on the hot path of every task: meters are looked up once per
 * tag set and then found in a map, so an event costs a hash lookup and an atomic add.
 */
public final class SpindleMetrics implements SpindleListener {
  /** Buckets from a millisecond to ten minutes: task waits and runs span that whole range. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10)
  };

  private final MeterRegistry registry;
  private final ConcurrentHashMap<QueueType, Counter> submitted = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Finished, Counter> finished = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<QueueType, Timer> waits = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<QueueType, Timer> runs = new ConcurrentHashMap<>();
  private final Counter rescues;

  private record QueueType(String queue, String type) {}

  private record Finished(String queue, String type, AttemptResult outcome) {}

  public SpindleMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.rescues =
        Counter.builder("spindle.lease.rescues")
            .description("Tasks put back (or marked dead) after their worker's lease expired")
            .register(registry);
  }

  @Override
  public void submitted(String queue, String type, int created) {
    submitted
        .computeIfAbsent(
            new QueueType(queue, type),
            k ->
                Counter.builder("spindle.tasks.submitted")
                    .description("Tasks written by submits (idempotent repeats excluded)")
                    .tag("queue", k.queue())
                    .tag("type", k.type())
                    .register(registry))
        .increment(created);
  }

  @Override
  public void attemptStarted(String queue, String type, long taskId, Duration waited) {
    waits
        .computeIfAbsent(
            new QueueType(queue, type),
            k -> timer("spindle.task.wait", "Time from due to started", k))
        .record(waited.isNegative() ? Duration.ZERO : waited);
  }

  @Override
  public void attemptFinished(
      String queue, String type, long taskId, AttemptResult result, Duration ran) {
    finished
        .computeIfAbsent(
            new Finished(queue, type, result),
            k ->
                Counter.builder("spindle.tasks.finished")
                    .description("Attempts that ended, by outcome")
                    .tag("queue", k.queue())
                    .tag("type", k.type())
                    .tag("outcome", k.outcome().name().toLowerCase(Locale.ROOT))
                    .register(registry))
        .increment();
    runs.computeIfAbsent(
            new QueueType(queue, type), k -> timer("spindle.task.run", "Attempt run time", k))
        .record(ran.isNegative() ? Duration.ZERO : ran);
  }

  @Override
  public void rescued(int requeued, int dead) {
    rescues.increment(requeued + dead);
  }

  private Timer timer(String name, String description, QueueType k) {
    return Timer.builder(name)
        .description(description)
        .tag("queue", k.queue())
        .tag("type", k.type())
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
