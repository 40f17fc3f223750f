package dev.spindle.server.http;

import dev.spindle.core.InvalidTaskException;
import dev.spindle.core.store.IdempotencyConflictException;
import dev.spindle.core.store.StoreException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table of the v1 API, and how failures become problem documents. A path that exists
 * answers other methods with 405 and an {@code Allow} header; any other path gets 404.
 */
public final class ApiRouting {
  private static final Logger log = LoggerFactory.getLogger(ApiRouting.class);

  private ApiRouting() {}

  public static void configure(
      HttpRouting.Builder routing,
      TaskEndpoints tasks,
      QueueEndpoints queues,
      OpsEndpoints ops,
      ProblemWriter problems) {
    routing
        // Before /v1/tasks/{id}, which would otherwise take "batch" for an id.
        .post("/v1/tasks/batch", tasks::submitBatch)
        .any("/v1/tasks/batch", methodNotAllowed(problems, "POST"))
        .get("/v1/tasks", tasks::list)
        .post("/v1/tasks", tasks::submit)
        .any("/v1/tasks", methodNotAllowed(problems, "GET, POST"))
        .get("/v1/tasks/{id}", tasks::get)
        .any("/v1/tasks/{id}", methodNotAllowed(problems, "GET"))
        .post("/v1/tasks/{id}/cancel", tasks::cancel)
        .any("/v1/tasks/{id}/cancel", methodNotAllowed(problems, "POST"))
        .post("/v1/tasks/{id}/retry", tasks::retry)
        .any("/v1/tasks/{id}/retry", methodNotAllowed(problems, "POST"))
        .get("/v1/queues", queues::list)
        .any("/v1/queues", methodNotAllowed(problems, "GET"))
        .post("/v1/queues/{queue}/pause", queues::pause)
        .any("/v1/queues/{queue}/pause", methodNotAllowed(problems, "POST"))
        .post("/v1/queues/{queue}/resume", queues::resume)
        .any("/v1/queues/{queue}/resume", methodNotAllowed(problems, "POST"))
        .get("/metrics", ops::metrics)
        .any("/metrics", methodNotAllowed(problems, "GET"))
        .get("/health", ops::health)
        .any("/health", methodNotAllowed(problems, "GET"))
        .any(
            (req, res) ->
                problems.send(
                    res,
                    Problem.of(
                        404,
                        "not-found",
                        "No such resource",
                        "nothing is at "
                            + req.prologue().method().text()
                            + " "
                            + path(req)
                            + "; the API lives under /v1/tasks and /v1/queues, plus /metrics"
                            + " and /health"),
                    path(req)));
    routing
        .error(ProblemException.class, (req, res, e) -> problems.send(res, e.problem(), path(req)))
        .error(
            InvalidTaskException.class,
            (req, res, e) ->
                problems.send(res, Problem.invalidField(e.field(), e.getMessage()), path(req)))
        .error(
            IdempotencyConflictException.class,
            (req, res, e) -> problems.send(res, idempotencyConflict(e), path(req)))
        .error(
            StoreException.class,
            (req, res, e) -> {
              log.warn("{} {} failed in the task store", req.prologue().method(), path(req), e);
              problems.send(
                  res,
                  Problem.of(
                      503,
                      "store-unavailable",
                      "Task store unavailable",
                      "the task store could not carry out the request, and nothing was written: "
                          + e.getMessage()),
                  path(req));
            })
        .error(
            Exception.class,
            (req, res, e) -> {
              log.error("{} {} failed", req.prologue().method(), path(req), e);
              problems.send(
                  res,
                  Problem.of(
                      500,
                      "internal-error",
                      "Internal server error",
                      "the server failed to handle this request ("
                          + e.getClass().getSimpleName()
                          + "); the server log has the details"),
                  path(req));
            });
  }

  private static Problem idempotencyConflict(IdempotencyConflictException e) {
    Problem p =
        Problem.of(409, "idempotency-conflict", "Idempotency key conflict", e.getMessage())
            .with("idempotencyKey", e.idempotencyKey());
    return e.existingId() > 0 ? p.with("existingTaskId", e.existingId()) : p;
  }

  private static Handler methodNotAllowed(ProblemWriter problems, String allow) {
    List<String> allowed = List.of(allow.split(", "));
    return (ServerRequest req, ServerResponse res) -> {
      res.header(HeaderNames.ALLOW, allow);
      problems.send(
          res,
          Problem.of(
                  405,
                  "method-not-allowed",
                  "Method not allowed",
                  path(req)
                      + " does not accept "
                      + req.prologue().method().text()
                      + "; use "
                      + allow)
              .with("allowed", allowed),
          path(req));
    };
  }

  private static String path(ServerRequest req) {
    return req.prologue().uriPath().path();
  }
}
