package dev.spindle.server.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.core.SpindleBuilder;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * The task types every server has: {@code noop}, {@code sleep} and {@code http}. They run on the
 * {@code default} queue. Owns the HTTP client of the {@code http} type; close it after the engine.
 */
public final class BuiltinTaskTypes implements AutoCloseable {
  public static final String NOOP = "noop";

  private final HttpClient client;

  private BuiltinTaskTypes(HttpClient client) {
    this.client = client;
  }

  public static BuiltinTaskTypes create() {
    return new BuiltinTaskTypes(
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build());
  }

  public void register(SpindleBuilder builder) {
    builder.handler(NOOP, JsonNode.class, (payload, context) -> null);
    builder.handler(SleepTask.TYPE, SleepTask.Payload.class, new SleepTask());
    builder.handler(HttpTask.TYPE, HttpTask.Payload.class, new HttpTask(client));
  }

  /** Submit-time payload checks by task type. */
  public Map<String, PayloadCheck> payloadChecks() {
    return Map.of(SleepTask.TYPE, SleepTask::check, HttpTask.TYPE, HttpTask::check);
  }

  @Override
  public void close() {
    client.close();
  }
}
