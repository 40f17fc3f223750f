package dev.spindle.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.store.sqlite.SqliteTaskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueGaugesTest {
  @TempDir Path dir;

  @Test
  void depthsAreCountedAtMostOnceASecond() {
    AtomicLong nanos = new AtomicLong();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Spindle spindle =
        Spindle.builder().store(SqliteTaskStore.open(dir.resolve("t.db"))).build()) {
      QueueGauges gauges = new QueueGauges(spindle, registry, Set.of("default"), nanos::get);
      gauges.refreshIfStale();
      assertThat(ready(registry, "default")).isZero();

      spindle.submit(TaskRequest.of("noop", null).withDelay(Duration.ofHours(1)));
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
      gauges.refreshIfStale();
      assertThat(ready(registry, "default")).as("still the cached count").isZero();

      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
      gauges.refreshIfStale();
      assertThat(ready(registry, "default")).isZero();
      assertThat(scheduled(registry, "default")).isEqualTo(1);
    }
  }

  @Test
  void queuesFirstSeenInTheStoreGetGauges() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Spindle spindle =
        Spindle.builder().store(SqliteTaskStore.open(dir.resolve("t.db"))).build()) {
      spindle.submit(TaskRequest.of("noop", null).withQueue("elsewhere"));
      QueueGauges gauges = new QueueGauges(spindle, registry, Set.of("default"), () -> 0L);

      gauges.refreshIfStale();

      assertThat(ready(registry, "elsewhere")).isEqualTo(1);
    }
  }

  private static double ready(SimpleMeterRegistry r, String queue) {
    return r.get("spindle.queue.depth").tag("queue", queue).tag("state", "ready").gauge().value();
  }

  private static double scheduled(SimpleMeterRegistry r, String queue) {
    return r.get("spindle.queue.depth")
        .tag("queue", queue)
        .tag("state", "scheduled")
        .gauge()
        .value();
  }
}
