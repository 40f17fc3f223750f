package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsEndpointsTest {
  @TempDir Path dir;
  SpindleServer server;
  Api api;

  @BeforeEach
  void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void metricsShowWorkThatRan() throws Exception {
    for (int i = 0; i < 2; i++) {
      server.spindle().awaitFinal(api.submit("{\"type\":\"noop\"}"), Duration.ofSeconds(20));
    }
    server.spindle().awaitFinal(api.submit("{\"type\":\"fail\"}"), Duration.ofSeconds(20));

    // The store shows a task final once its commit is visible; this node counts the outcome once
    // the commit is durable and its completer has been answered, a moment later.
    Api.Reply r = api.get("/metrics");
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!r.body().contains("outcome=\"dead\"") && System.nanoTime() < end) {
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      r = api.get("/metrics");
    }

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    assertThat(r.body())
        .contains("spindle_tasks_submitted_total{queue=\"default\",type=\"noop\"} 2.0")
        .contains("spindle_tasks_submitted_total{queue=\"default\",type=\"fail\"} 1.0")
        .contains(
            "spindle_tasks_finished_total{outcome=\"succeeded\",queue=\"default\",type=\"noop\"}"
                + " 2.0")
        .contains(
            "spindle_tasks_finished_total{outcome=\"dead\",queue=\"default\",type=\"fail\"} 1.0")
        .contains("spindle_task_wait_seconds_bucket{queue=\"default\",type=\"noop\",le=")
        .contains("spindle_task_wait_seconds_count{queue=\"default\",type=\"noop\"} 2")
        .contains("spindle_task_run_seconds_bucket{queue=\"default\",type=\"noop\",le=")
        .contains("spindle_task_run_seconds_count{queue=\"default\",type=\"fail\"} 1")
        .contains("spindle_queue_depth{queue=\"default\",state=\"succeeded\"} 2.0")
        .contains("spindle_queue_depth{queue=\"default\",state=\"dead\"} 1.0")
        .contains("spindle_queue_depth{queue=\"other\",state=\"ready\"} 0.0")
        .contains("spindle_workers_busy{queue=\"default\"} 0.0")
        .contains("spindle_lease_rescues_total 0.0");
  }

  @Test
  void healthIsUpWhileEngineAndStoreWork() {
    Api.Reply r = api.get("/health");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("UP");
  }

  @Test
  void healthIsDownWhenTheStoreDoesNotAnswer() {
    server.spindle().store().close();

    Api.Reply r = api.get("/health");

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().get("status").asText()).isEqualTo("DOWN");
    assertThat(r.json().get("detail").asText()).contains("task store does not answer");
  }
}
