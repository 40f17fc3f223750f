package dev.spindle.server.http;

import dev.spindle.core.Spindle;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskState;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code /v1/queues}: counts per queue and state, busy workers, and pause/resume. Pausing stops
 * this server from claiming tasks of the queue; running tasks go on and other nodes are not
 * affected.
 */
public final class QueueEndpoints {
  private final Spindle spindle;
  private final Set<String> served;
  private final JsonReplies replies;

  public QueueEndpoints(Spindle spindle, Set<String> served, JsonReplies replies) {
    this.spindle = spindle;
    this.served = Set.copyOf(served);
    this.replies = replies;
  }

  /**
   * {@code GET /v1/queues}: every queue this server runs, and every queue the store holds tasks of
   * ({@code served: false} when this server does not run it).
   */
  public void list(ServerRequest req, ServerResponse res) {
    Map<String, Map<TaskState, Long>> counts = new TreeMap<>();
    served.forEach(q -> counts.put(q, Map.of()));
    for (QueueStats s : spindle.stats()) {
      counts.put(s.queue(), s.counts());
    }
    Map<String, Integer> busy = spindle.busy();
    replies.send(
        res,
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("queues");
          for (Map.Entry<String, Map<TaskState, Long>> q : counts.entrySet()) {
            g.writeStartObject();
            g.writeStringField("name", q.getKey());
            g.writeBooleanField("served", served.contains(q.getKey()));
            g.writeBooleanField("paused", spindle.isPaused(q.getKey()));
            g.writeNumberField("busy", busy.getOrDefault(q.getKey(), 0));
            g.writeObjectFieldStart("counts");
            for (TaskState state : TaskState.values()) {
              g.writeNumberField(state.name(), q.getValue().getOrDefault(state, 0L));
            }
            g.writeEndObject();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** {@code POST /v1/queues/{queue}/pause}. */
  public void pause(ServerRequest req, ServerResponse res) {
    String queue = servedQueue(req);
    spindle.pause(queue);
    answer(res, queue);
  }

  /** {@code POST /v1/queues/{queue}/resume}. */
  public void resume(ServerRequest req, ServerResponse res) {
    String queue = servedQueue(req);
    spindle.resume(queue);
    answer(res, queue);
  }

  private void answer(ServerResponse res, String queue) {
    replies.send(
        res,
        200,
        g -> {
          g.writeStartObject();
          g.writeStringField("name", queue);
          g.writeBooleanField("paused", spindle.isPaused(queue));
          g.writeEndObject();
        });
  }

  private String servedQueue(ServerRequest req) {
    String queue = req.path().pathParameters().get("queue");
    if (!served.contains(queue)) {
      List<String> allowed = served.stream().sorted().toList();
      throw Problem.of(
              404,
              "queue-not-found",
              "Unknown queue",
              "this server runs no queue named '" + queue + "'; its queues are " + allowed)
          .with("allowed", allowed)
          .toException();
    }
    return queue;
  }
}
