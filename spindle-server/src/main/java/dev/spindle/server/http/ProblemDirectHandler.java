package dev.spindle.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers requests that the transport refuses before routing (a declared body over the transport
 * limit, a malformed request line or header) with the same problem documents as the API.
 */
public final class ProblemDirectHandler implements DirectHandler {
  private final ProblemWriter problems;
  private final long maxBodyBytes;

  public ProblemDirectHandler(ProblemWriter problems, long maxBodyBytes) {
    this.problems = problems;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType eventType,
      Status status,
      ServerResponseHeaders headers,
      String message) {
    Problem problem = problemFor(status, message);
    headers.set(HeaderNames.CONTENT_TYPE, ProblemWriter.CONTENT_TYPE);
    String path = request.path();
    return TransportResponse.builder()
        .status(status)
        .headers(headers)
        .entity(problems.toBytes(problem, path == null || path.isEmpty() ? null : path))
        .build();
  }

  private Problem problemFor(Status status, String message) {
    int code = status.code();
    if (code == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
      return Problem.of(
              413,
              "body-too-large",
              "Request body too large",
              "the request body is larger than the "
                  + maxBodyBytes
                  + " bytes this server accepts for any request (the larger of maxTaskBytes and"
                  + " maxBatchBytes); split the batch or send smaller payloads")
          .with("limit", maxBodyBytes);
    }
    String detail = message == null || message.isBlank() ? status.reasonPhrase() : message;
    if (code == Status.BAD_REQUEST_400.code()) {
      return Problem.of(
          400, "bad-http-request", "Bad HTTP request", "the request is not valid HTTP: " + detail);
    }
    if (code >= 500) {
      return Problem.of(
          code, "internal-error", status.reasonPhrase(), "the server failed: " + detail);
    }
    return Problem.of(code, "request-refused", status.reasonPhrase(), detail);
  }
}
