package dev.spindle.server.http;

import dev.spindle.core.Spindle;
import dev.spindle.server.metrics.QueueGauges;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /metrics} (Prometheus text format) and {@code GET /health}. */
public final class OpsEndpoints {
  private static final Logger log = LoggerFactory.getLogger(OpsEndpoints.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Spindle spindle;
  private final PrometheusMeterRegistry registry;
  private final QueueGauges gauges;
  private final BooleanSupplier running;
  private final JsonReplies replies;

  public OpsEndpoints(
      Spindle spindle,
      PrometheusMeterRegistry registry,
      QueueGauges gauges,
      BooleanSupplier running,
      JsonReplies replies) {
    this.spindle = spindle;
    this.registry = registry;
    this.gauges = gauges;
    this.running = running;
    this.replies = replies;
  }

  public void metrics(ServerRequest req, ServerResponse res) {
    gauges.refreshIfStale();
    res.header(HeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT);
    res.send(registry.scrape().getBytes(StandardCharsets.UTF_8));
  }

  /** 200 {@code {"status":"UP"}} while the engine runs and the store answers; 503 otherwise. */
  public void health(ServerRequest req, ServerResponse res) {
    String down = null;
    if (!running.getAsBoolean()) {
      down = "the server is shutting down";
    } else {
      try {
        spindle.get(Long.MAX_VALUE); // one indexed read: proves the store answers
      } catch (RuntimeException e) {
        log.warn("health check: the store did not answer", e);
        down = "the task store does not answer: " + e.getMessage();
      }
    }
    String reason = down;
    replies.send(
        res,
        reason == null ? 200 : 503,
        g -> {
          g.writeStartObject();
          g.writeStringField("status", reason == null ? "UP" : "DOWN");
          if (reason != null) {
            g.writeStringField("detail", reason);
          }
          g.writeEndObject();
        });
  }
}
