package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.SpindleListener;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLifecycleTest {
  @TempDir Path dir;

  @Test
  void storeIsRequired() {
    assertThatThrownBy(() -> SpindleServer.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a store is required");
  }

  @Test
  void busyPortIsRefusedWithTheAddressAndTheStoreIsClosed() {
    try (SpindleServer first = TestServers.start(dir.resolve("a"))) {
      Path db = dir.resolve("b.db");

      assertThatThrownBy(
              () ->
                  SpindleServer.builder()
                      .port(first.port())
                      .store(SqliteTaskStore.open(db))
                      .start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
      SqliteTaskStore.open(db).close(); // released by the failed start
    }
  }

  @Test
  void invalidQueueIsRefusedBeforeListening() {
    assertThatThrownBy(
            () ->
                SpindleServer.builder()
                    .port(0)
                    .store(SqliteTaskStore.open(dir.resolve("t.db")))
                    .queue("default", 0)
                    .start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concurrency of queue 'default' must be 1 to 100000");
  }

  @Test
  void closeIsIdempotentAndStopsListening() {
    SpindleServer server = TestServers.start(dir);
    Api api = new Api(server.port());
    assertThat(api.get("/health").status()).isEqualTo(200);

    server.close();
    server.close();

    assertThatThrownBy(() -> api.get("/health")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void applicationListenerSeesEventsAfterTheMetrics() throws Exception {
    AtomicInteger submitted = new AtomicInteger();
    try (SpindleServer server =
        SpindleServer.builder()
            .port(0)
            .store(SqliteTaskStore.open(dir.resolve("t.db")))
            .listener(
                new SpindleListener() {
                  @Override
                  public void submitted(String queue, String type, int created) {
                    submitted.addAndGet(created);
                  }
                })
            .start()) {
      long id = new Api(server.port()).submit("{\"type\":\"noop\"}");
      server.spindle().awaitFinal(id, Duration.ofSeconds(20));

      assertThat(submitted).hasValue(1);
      assertThat(new Api(server.port()).get("/metrics").body())
          .contains("spindle_tasks_submitted_total{queue=\"default\",type=\"noop\"} 1.0");
    }
  }
}
