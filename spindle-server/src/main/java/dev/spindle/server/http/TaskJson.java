package dev.spindle.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.spindle.core.task.TaskInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The JSON view of a task. Payload, result and progress are stored as JSON and embedded as JSON
 * (not as strings). Listings leave out payload and result, which can be large; {@code GET
 * /v1/tasks/{id}} has them.
 */
final class TaskJson {
  private TaskJson() {}

  static void write(JsonGenerator g, TaskInfo t, boolean withData) throws IOException {
    g.writeStartObject();
    g.writeNumberField("id", t.id());
    g.writeStringField("type", t.type());
    g.writeStringField("queue", t.queue());
    g.writeStringField("state", t.state().name());
    g.writeNumberField("priority", t.priority());
    g.writeNumberField("attempts", t.attempts());
    g.writeNumberField("maxAttempts", t.maxAttempts());
    if (withData) {
      g.writeFieldName("payload");
      g.writeRawValue(t.payloadJson());
      raw(g, "result", t.resultJson());
    }
    text(g, "lastError", t.lastError());
    raw(g, "progress", t.progress());
    instant(g, "createdAt", Optional.of(t.createdAt()));
    instant(g, "runAt", Optional.of(t.runAt()));
    instant(g, "deadline", t.deadline());
    instant(g, "startedAt", t.startedAt());
    instant(g, "finishedAt", t.finishedAt());
    text(g, "idempotencyKey", t.idempotencyKey());
    text(g, "worker", t.leaseOwner());
    g.writeBooleanField("cancelRequested", t.cancelRequested());
    g.writeArrayFieldStart("dependsOn");
    for (long id : t.dependsOn()) {
      g.writeNumber(id);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void raw(JsonGenerator g, String name, Optional<String> json) throws IOException {
    g.writeFieldName(name);
    if (json.isPresent()) {
      g.writeRawValue(json.get());
    } else {
      g.writeNull();
    }
  }

  private static void text(JsonGenerator g, String name, Optional<String> s) throws IOException {
    if (s.isPresent()) {
      g.writeStringField(name, s.get());
    } else {
      g.writeNullField(name);
    }
  }

  private static void instant(JsonGenerator g, String name, Optional<Instant> at)
      throws IOException {
    if (at.isPresent()) {
      g.writeStringField(name, at.get().toString());
    } else {
      g.writeNullField(name);
    }
  }
}
