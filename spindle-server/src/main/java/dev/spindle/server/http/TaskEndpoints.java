package dev.spindle.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.core.InvalidTaskException;
import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.RetryResult;
import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import dev.spindle.server.ServerLimits;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code /v1/tasks}: submit, batch submit, get, list, cancel and retry. */
public final class TaskEndpoints {
  static final int DEFAULT_PAGE_SIZE = 100;
  static final List<String> LIST_PARAMETERS = List.of("queue", "state", "type", "limit", "cursor");

  private final Spindle spindle;
  private final ServerLimits limits;
  private final JsonBodyReader bodies;
  private final TaskRequestReader requests;
  private final JsonReplies replies;

  public TaskEndpoints(
      Spindle spindle,
      ServerLimits limits,
      JsonBodyReader bodies,
      TaskRequestReader requests,
      JsonReplies replies) {
    this.spindle = spindle;
    this.limits = limits;
    this.bodies = bodies;
    this.requests = requests;
    this.replies = replies;
  }

  /**
   * {@code POST /v1/tasks}: 201 with the id, also when an idempotency key matched an identical task
   * (the engine answers with the existing id and does not say which case it was).
   */
  public void submit(ServerRequest req, ServerResponse res) {
    JsonNode body = bodies.read(req, limits.maxTaskBytes(), "maxTaskBytes");
    TaskRequest request = requests.read(body, "");
    long id;
    try {
      id = spindle.submit(request);
    } catch (InvalidTaskException e) {
      throw Problem.invalidField(e.field(), e.getMessage()).toException();
    }
    res.header(HeaderNames.LOCATION, "/v1/tasks/" + id);
    replies.send(
        res,
        201,
        g -> {
          g.writeStartObject();
          g.writeNumberField("id", id);
          g.writeEndObject();
        });
  }

  /** {@code POST /v1/tasks/batch}: all or nothing; 201 with the ids in request order. */
  public void submitBatch(ServerRequest req, ServerResponse res) {
    JsonNode body = bodies.read(req, limits.maxBatchBytes(), "maxBatchBytes");
    List<TaskRequest> batch = requests.readBatch(body, limits.maxBatchTasks());
    List<Long> ids;
    try {
      ids = spindle.submitAll(batch);
    } catch (InvalidTaskException e) {
      // The engine names the element only when the batch has more than one.
      String prefix = batch.size() == 1 ? "tasks[0]." : "";
      throw Problem.invalidField(prefix + e.field(), prefix + e.getMessage()).toException();
    }
    replies.send(
        res,
        201,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("ids");
          for (long id : ids) {
            g.writeNumber(id);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** {@code GET /v1/tasks/{id}}. */
  public void get(ServerRequest req, ServerResponse res) {
    long id = taskId(req);
    TaskInfo task = spindle.get(id).orElseThrow(() -> notFound(id).toException());
    replies.send(res, 200, g -> TaskJson.write(g, task, true));
  }

  /** {@code GET /v1/tasks?queue=&state=&type=&limit=&cursor=}: newest first. */
  public void list(ServerRequest req, ServerResponse res) {
    Parameters query = req.query();
    for (String name : query.names()) {
      if (!LIST_PARAMETERS.contains(name)) {
        throw Problem.of(
                400,
                "invalid-query",
                "Unknown query parameter",
                "'" + name + "' is not a query parameter of this listing; use " + LIST_PARAMETERS)
            .with("field", name)
            .with("allowed", LIST_PARAMETERS)
            .toException();
      }
    }
    TaskFilter filter = TaskFilter.all(Instant.now());
    Optional<String> queue = param(query, "queue");
    if (queue.isPresent()) {
      filter = filter.withQueue(queue.get());
    }
    Optional<String> type = param(query, "type");
    if (type.isPresent()) {
      filter = filter.withType(type.get());
    }
    Optional<String> state = param(query, "state");
    if (state.isPresent()) {
      filter = filter.withState(state(state.get()));
    }
    int limit = param(query, "limit").map(TaskEndpoints::limit).orElse(DEFAULT_PAGE_SIZE);
    Optional<Long> cursor = param(query, "cursor").map(TaskEndpoints::cursor);
    Page<TaskInfo> page = spindle.list(filter, new PageRequest(limit, cursor));
    replies.send(
        res,
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("items");
          for (TaskInfo t : page.items()) {
            TaskJson.write(g, t, false);
          }
          g.writeEndArray();
          if (page.nextCursor().isPresent()) {
            g.writeStringField("nextCursor", Long.toString(page.nextCursor().get()));
          } else {
            g.writeNullField("nextCursor");
          }
          g.writeEndObject();
        });
  }

  /**
   * {@code POST /v1/tasks/{id}/cancel}: 200 with outcome CANCELLED (it was waiting) or
   * CANCEL_REQUESTED (it is running and is asked to stop); 409 if it already finished.
   */
  public void cancel(ServerRequest req, ServerResponse res) {
    long id = taskId(req);
    CancelResult result = spindle.cancel(id);
    switch (result) {
      case NOT_FOUND -> throw notFound(id).toException();
      case ALREADY_FINISHED ->
          throw Problem.of(
                  409,
                  "not-cancellable",
                  "Task already finished",
                  "task "
                      + id
                      + " is "
                      + stateOf(id)
                      + "; only waiting or running tasks can be cancelled")
              .toException();
      case CANCELLED, CANCEL_REQUESTED -> outcome(res, id, result.name());
    }
  }

  /**
   * {@code POST /v1/tasks/{id}/retry}: 200 with outcome REQUEUED; 409 unless the task is DEAD,
   * CANCELLED or EXPIRED.
   */
  public void retry(ServerRequest req, ServerResponse res) {
    long id = taskId(req);
    RetryResult result = spindle.retry(id);
    switch (result) {
      case NOT_FOUND -> throw notFound(id).toException();
      case NOT_RETRYABLE ->
          throw Problem.of(
                  409,
                  "not-retryable",
                  "Task cannot be retried",
                  "task "
                      + id
                      + " is "
                      + stateOf(id)
                      + "; only DEAD, CANCELLED and EXPIRED tasks can be retried")
              .toException();
      case REQUEUED -> outcome(res, id, result.name());
    }
  }

  private void outcome(ServerResponse res, long id, String outcome) {
    replies.send(
        res,
        200,
        g -> {
          g.writeStartObject();
          g.writeNumberField("id", id);
          g.writeStringField("outcome", outcome);
          g.writeEndObject();
        });
  }

  private String stateOf(long id) {
    return spindle.get(id).map(t -> t.state().name()).orElse("gone");
  }

  static long taskId(ServerRequest req) {
    String raw = req.path().pathParameters().get("id");
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw Problem.of(
            400,
            "invalid-task-id",
            "Invalid task id",
            "'" + abbreviate(raw) + "' is not a task id; task ids are positive whole numbers")
        .toException();
  }

  private static Problem notFound(long id) {
    return Problem.of(404, "task-not-found", "Task not found", "no task with id " + id);
  }

  private static Optional<String> param(Parameters query, String name) {
    return query.first(name).asOptional().filter(s -> !s.isEmpty());
  }

  private static TaskState state(String raw) {
    try {
      return TaskState.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = Arrays.stream(TaskState.values()).map(Enum::name).toList();
      throw Problem.of(
              400,
              "invalid-query",
              "Invalid state",
              "state '" + abbreviate(raw) + "' is not a task state; use one of " + allowed)
          .with("field", "state")
          .with("allowed", allowed)
          .toException();
    }
  }

  private static int limit(String raw) {
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= PageRequest.MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw Problem.of(
            400,
            "invalid-query",
            "Invalid limit",
            "limit must be a whole number from 1 to "
                + PageRequest.MAX_LIMIT
                + ", was '"
                + abbreviate(raw)
                + "'")
        .with("field", "limit")
        .toException();
  }

  private static long cursor(String raw) {
    try {
      long c = Long.parseLong(raw);
      if (c > 0) {
        return c;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw Problem.of(
            400,
            "invalid-query",
            "Invalid cursor",
            "cursor '"
                + abbreviate(raw)
                + "' is not valid; pass the nextCursor of the previous page unchanged")
        .with("field", "cursor")
        .toException();
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
