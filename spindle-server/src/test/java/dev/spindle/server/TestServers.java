package dev.spindle.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.core.NonRetryableException;
import dev.spindle.core.SpindleBuilder;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Servers on a random port over a SQLite file in a test's temporary directory. */
final class TestServers {
  private TestServers() {}

  static SpindleServer start(Path dir) {
    return start(dir, ServerLimits.defaults(), b -> {});
  }

  static SpindleServer start(Path dir, ServerLimits limits, Consumer<SpindleBuilder> more) {
    return SpindleServer.builder()
        .port(0)
        .store(SqliteTaskStore.open(dir.resolve("tasks.db")))
        .queue("default", 8)
        .queue("other", 2)
        .limits(limits)
        .configure(
            b -> {
              b.pollInterval(Duration.ofMillis(50)).shutdownTimeout(Duration.ofSeconds(5));
              b.handler(
                  "fail",
                  JsonNode.class,
                  (payload, ctx) -> {
                    throw new NonRetryableException("fails on purpose");
                  });
              more.accept(b);
            })
        .start();
  }
}
