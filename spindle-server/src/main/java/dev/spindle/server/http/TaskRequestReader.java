package dev.spindle.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.spindle.core.InvalidTaskException;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.task.TaskLimits;
import dev.spindle.server.builtin.PayloadCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns request JSON into {@link TaskRequest}s. Checks what only the HTTP layer knows: field names
 * and JSON types, date and duration syntax, that the type is registered and the queue is served,
 * and built-in payloads. Value ranges are left to the engine, which refuses with the field named.
 */
public final class TaskRequestReader {
  /** The fields of one task, in the order the API documents them. */
  public static final List<String> FIELDS =
      List.of(
          "type",
          "queue",
          "payload",
          "priority",
          "runAt",
          "delay",
          "deadline",
          "maxAttempts",
          "timeout",
          "idempotencyKey",
          "dependsOn");

  private static final String EXAMPLE_INSTANT = "2030-01-31T12:00:00Z";

  private final Set<String> types;
  private final Set<String> queues;
  private final Map<String, PayloadCheck> payloadChecks;

  public TaskRequestReader(
      Set<String> types, Set<String> queues, Map<String, PayloadCheck> payloadChecks) {
    this.types = Set.copyOf(types);
    this.queues = Set.copyOf(queues);
    this.payloadChecks = Map.copyOf(payloadChecks);
  }

  /** A batch body: {@code {"tasks": [...]}} with 1 to {@code maxTasks} tasks. */
  public List<TaskRequest> readBatch(JsonNode body, int maxTasks) {
    if (!body.isObject()) {
      throw invalidBody("the body must be an object {\"tasks\": [...]}, was " + kind(body));
    }
    rejectUnknown(body, "", List.of("tasks"));
    JsonNode tasks = body.get("tasks");
    if (tasks == null || !tasks.isArray()) {
      throw Problem.invalidField(
              "tasks",
              "tasks is required: an array of task objects, was "
                  + (tasks == null ? "missing" : kind(tasks)))
          .toException();
    }
    if (tasks.isEmpty()) {
      throw Problem.invalidField(
              "tasks", "tasks is empty; send 1 to " + maxTasks + " tasks in one batch")
          .toException();
    }
    if (tasks.size() > maxTasks) {
      throw Problem.of(
              413,
              "too-many-tasks",
              "Too many tasks in one batch",
              "the batch has "
                  + tasks.size()
                  + " tasks; at most "
                  + maxTasks
                  + " are accepted in one batch (maxBatchTasks): split it")
          .with("field", "tasks")
          .with("limit", maxTasks)
          .toException();
    }
    List<TaskRequest> out = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      out.add(read(tasks.get(i), "tasks[" + i + "]."));
    }
    return out;
  }

  /**
   * One task object.
   *
   * @param prefix put before every field name in messages, e.g. {@code tasks[3].}
   */
  public TaskRequest read(JsonNode task, String prefix) {
    String where = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
    if (!task.isObject()) {
      String detail =
          (where.isEmpty() ? "the body" : where)
              + " must be a task object like {\"type\": \"noop\", \"payload\": {}}, was "
              + kind(task);
      throw where.isEmpty()
          ? invalidBody(detail)
          : Problem.invalidField(where, detail).toException();
    }
    rejectUnknown(task, prefix, FIELDS);
    String type = type(task, prefix);
    JsonNode payload = task.has("payload") ? task.get("payload") : NullNode.getInstance();
    checkPayload(type, payload, prefix);
    TaskRequest r = TaskRequest.of(type, payload);
    String queue = text(task, "queue", prefix);
    if (queue != null) {
      if (!queues.contains(queue)) {
        throw Problem.of(
                400,
                "unknown-queue",
                "Unknown queue",
                prefix
                    + "queue: '"
                    + abbreviate(queue)
                    + "' is not a queue of this server; its queues are "
                    + sorted(queues))
            .with("field", prefix + "queue")
            .with("allowed", sorted(queues))
            .toException();
      }
      r = r.withQueue(queue);
    }
    Integer priority = wholeNumber(task, "priority", prefix, "-1000 to 1000");
    if (priority != null) {
      r = r.withPriority(priority);
    }
    Integer maxAttempts =
        wholeNumber(task, "maxAttempts", prefix, "1 to " + TaskLimits.MAX_ATTEMPTS);
    if (maxAttempts != null) {
      r = r.withMaxAttempts(maxAttempts);
    }
    Instant runAt = instant(task, "runAt", prefix);
    Duration delay = duration(task, "delay", prefix);
    if (runAt != null && delay != null) {
      throw Problem.invalidField(
              prefix + "delay",
              prefix + "delay: give either runAt (an instant) or delay (a duration), not both")
          .toException();
    }
    if (runAt != null) {
      r = r.withRunAt(runAt);
    }
    if (delay != null) {
      r = r.withDelay(delay);
    }
    Instant deadline = instant(task, "deadline", prefix);
    if (deadline != null) {
      r = r.withDeadline(deadline);
    }
    Duration timeout = duration(task, "timeout", prefix);
    if (timeout != null) {
      r = r.withTimeout(timeout);
    }
    String key = text(task, "idempotencyKey", prefix);
    if (key != null) {
      r = r.withIdempotencyKey(key);
    }
    List<Long> dependsOn = dependsOn(task, prefix);
    if (!dependsOn.isEmpty()) {
      r = r.withDependsOn(dependsOn);
    }
    return r;
  }

  private String type(JsonNode task, String prefix) {
    String type = text(task, "type", prefix);
    if (type == null) {
      throw Problem.invalidField(
              prefix + "type",
              prefix + "type is required: the kind of task to run, one of " + sorted(types))
          .with("allowed", sorted(types))
          .toException();
    }
    if (!types.contains(type)) {
      throw Problem.of(
              400,
              "unknown-task-type",
              "Unknown task type",
              prefix
                  + "type: no handler is registered for '"
                  + abbreviate(type)
                  + "'; registered types are "
                  + sorted(types))
          .with("field", prefix + "type")
          .with("allowed", sorted(types))
          .toException();
    }
    return type;
  }

  private void checkPayload(String type, JsonNode payload, String prefix) {
    PayloadCheck check = payloadChecks.get(type);
    if (check == null) {
      return;
    }
    try {
      check.check(payload);
    } catch (InvalidTaskException e) {
      throw Problem.invalidField(prefix + e.field(), prefix + e.getMessage()).toException();
    }
  }

  private static void rejectUnknown(JsonNode object, String prefix, List<String> allowed) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw Problem.of(
                400,
                "unknown-field",
                "Unknown field",
                prefix
                    + abbreviate(name)
                    + " is not a known field"
                    + (prefix.isEmpty() ? "" : " of a task")
                    + "; allowed fields are "
                    + allowed)
            .with("field", prefix + name)
            .with("allowed", allowed)
            .toException();
      }
    }
  }

  private static JsonNode present(JsonNode task, String name) {
    JsonNode v = task.get(name);
    return v == null || v.isNull() ? null : v;
  }

  private static String text(JsonNode task, String name, String prefix) {
    JsonNode v = present(task, name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw wrongType(prefix + name, "a string", v);
    }
    return v.asText();
  }

  private static Integer wholeNumber(JsonNode task, String name, String prefix, String range) {
    JsonNode v = present(task, name);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw wrongType(prefix + name, "a whole number from " + range, v);
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw Problem.invalidField(
              prefix + name,
              prefix + name + " must be a whole number from " + range + ", was " + abbreviate(v))
          .toException();
    }
    return v.intValue();
  }

  private static Instant instant(JsonNode task, String name, String prefix) {
    JsonNode v = present(task, name);
    if (v == null) {
      return null;
    }
    String what = "an ISO-8601 instant with a zone offset, like " + EXAMPLE_INSTANT;
    if (!v.isTextual()) {
      throw wrongType(prefix + name, what, v);
    }
    try {
      return OffsetDateTime.parse(v.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.invalidField(
              prefix + name,
              prefix + name + " must be " + what + ", was '" + abbreviate(v.asText()) + "'")
          .toException();
    }
  }

  private static Duration duration(JsonNode task, String name, String prefix) {
    JsonNode v = present(task, name);
    if (v == null) {
      return null;
    }
    String what = "an ISO-8601 duration like PT30S, PT5M or P1D";
    if (!v.isTextual()) {
      throw wrongType(prefix + name, what, v);
    }
    try {
      return Duration.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw Problem.invalidField(
              prefix + name,
              prefix + name + " must be " + what + ", was '" + abbreviate(v.asText()) + "'")
          .toException();
    }
  }

  private static List<Long> dependsOn(JsonNode task, String prefix) {
    JsonNode v = present(task, "dependsOn");
    if (v == null) {
      return List.of();
    }
    String field = prefix + "dependsOn";
    if (!v.isArray()) {
      throw wrongType(field, "an array of task ids", v);
    }
    List<Long> ids = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode id = v.get(i);
      if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 1) {
        throw Problem.invalidField(
                field,
                field
                    + "["
                    + i
                    + "] must be a task id (a positive whole number), was "
                    + abbreviate(id))
            .toException();
      }
      ids.add(id.longValue());
    }
    return ids;
  }

  private static ProblemException invalidBody(String detail) {
    return Problem.of(400, "invalid-body", "Invalid request body", detail).toException();
  }

  private static ProblemException wrongType(String field, String expected, JsonNode was) {
    return Problem.invalidField(
            field, field + " must be " + expected + ", was " + kind(was) + " " + abbreviate(was))
        .toException();
  }

  private static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  private static String abbreviate(JsonNode v) {
    return abbreviate(v.toString());
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
