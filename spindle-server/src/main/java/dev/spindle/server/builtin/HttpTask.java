package dev.spindle.server.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.core.InvalidTaskException;
import dev.spindle.core.NonRetryableException;
import dev.spindle.core.TaskContext;
import dev.spindle.core.TaskHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code http} task: one HTTP request. A 2xx answer succeeds with {@code {status, body,
 * truncated}}; 5xx, 408, 429, timeouts and I/O errors fail the attempt so it is retried; any other
 * status fails the task for good.
 */
public final class HttpTask implements TaskHandler<HttpTask.Payload> {
  public static final String TYPE = "http";

  /** The body kept in the result; the rest of a longer answer is read and dropped. */
  public static final int MAX_RESULT_BODY_BYTES = 64 * 1024;

  public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
  public static final long MAX_TIMEOUT_MILLIS = 600_000;

  static final List<String> FIELDS = List.of("url", "method", "headers", "body", "timeoutMillis");
  static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  public record Payload(
      String url, String method, Map<String, String> headers, String body, Long timeoutMillis) {}

  public record Result(int status, String body, boolean truncated) {}

  /** A retryable failure: the server answered with a status worth trying again. */
  public static final class RetryableStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RetryableStatusException(String message) {
      super(message);
    }
  }

  private final HttpClient client;

  public HttpTask(HttpClient client) {
    this.client = client;
  }

  @Override
  public Object handle(Payload p, TaskContext context) throws IOException, InterruptedException {
    if (p == null || p.url() == null) {
      throw new NonRetryableException("payload must name a url");
    }
    URI uri = uri(p.url());
    String method = p.method() == null ? "GET" : p.method().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new NonRetryableException("method must be one of " + METHODS + ", was " + p.method());
    }
    long timeout = p.timeoutMillis() == null ? DEFAULT_TIMEOUT_MILLIS : p.timeoutMillis();
    if (timeout < 1 || timeout > MAX_TIMEOUT_MILLIS) {
      throw new NonRetryableException(
          "timeoutMillis must be between 1 and " + MAX_TIMEOUT_MILLIS + ", was " + timeout);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMillis(timeout))
            .method(
                method,
                p.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(p.body()));
    if (p.headers() != null) {
      try {
        p.headers().forEach(request::header);
      } catch (IllegalArgumentException e) {
        throw new NonRetryableException("headers: " + e.getMessage(), e);
      }
    }
    HttpResponse<InputStream> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    Result result = read(response);
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return result;
    }
    String what = method + " " + uri + " answered " + status + snippet(result.body());
    if (status >= 500 || status == 408 || status == 429) {
      throw new RetryableStatusException(what);
    }
    throw new NonRetryableException(what);
  }

  private static Result read(HttpResponse<InputStream> response) throws IOException {
    try (InputStream in = response.body()) {
      byte[] kept = in.readNBytes(MAX_RESULT_BODY_BYTES + 1);
      boolean truncated = kept.length > MAX_RESULT_BODY_BYTES;
      int n = Math.min(kept.length, MAX_RESULT_BODY_BYTES);
      // Closing the stream drops whatever is left of a longer answer.
      return new Result(
          response.statusCode(), new String(kept, 0, n, StandardCharsets.UTF_8), truncated);
    }
  }

  private static String snippet(String body) {
    if (body.isBlank()) {
      return "";
    }
    String s = body.strip();
    return ": " + (s.length() <= 200 ? s : s.substring(0, 200) + "…");
  }

  private static URI uri(String url) {
    String problem = urlProblem(url);
    if (problem != null) {
      throw new NonRetryableException("url " + problem);
    }
    return URI.create(url);
  }

  /** What is wrong with {@code url} for this task, or null if nothing. */
  private static String urlProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "is not a valid URI: " + e.getMessage();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "must start with http:// or https://, was " + url;
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "must name a host, was " + url;
    }
    return null;
  }

  /** Submit-time check, with the same rules as {@link #handle}. */
  public static void check(JsonNode payload) {
    PayloadFields.requireObject(
        payload, "{\"url\": \"https://example.com/hook\", \"method\": \"POST\"}", FIELDS);
    String url = PayloadFields.text(payload, "url");
    if (url == null) {
      throw new InvalidTaskException("payload.url", "is required: the http or https URL to call");
    }
    String problem = urlProblem(url);
    if (problem != null) {
      throw new InvalidTaskException("payload.url", problem);
    }
    String method = PayloadFields.text(payload, "method");
    if (method != null && !METHODS.contains(method.toUpperCase(Locale.ROOT))) {
      throw new InvalidTaskException(
          "payload.method", "must be one of " + METHODS + ", was '" + method + "'");
    }
    JsonNode headers = payload.get("headers");
    if (headers != null && !headers.isNull()) {
      checkHeaders(headers);
    }
    PayloadFields.text(payload, "body");
    PayloadFields.wholeNumber(payload, "timeoutMillis", 1, MAX_TIMEOUT_MILLIS);
  }

  private static void checkHeaders(JsonNode headers) {
    if (!headers.isObject()) {
      throw new InvalidTaskException(
          "payload.headers",
          "must be an object of header names to string values, was "
              + PayloadFields.describe(headers));
    }
    for (Map.Entry<String, JsonNode> h : headers.properties()) {
      if (!h.getValue().isTextual()) {
        throw new InvalidTaskException(
            "payload.headers." + h.getKey(),
            "must be a string, was " + PayloadFields.describe(h.getValue()));
      }
      if (RESTRICTED_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        throw new InvalidTaskException(
            "payload.headers." + h.getKey(),
            "is set by the HTTP client itself; leave out " + RESTRICTED_HEADERS);
      }
    }
  }
}
