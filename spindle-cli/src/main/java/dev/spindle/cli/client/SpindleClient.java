package dev.spindle.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The HTTP API of a Spindle server, as the CLI uses it: JSON in, JSON out. Failures become {@link
 * ServerUnreachableException} (nothing answered) or {@link ProblemException} (the server answered
 * with an error).
 */
public final class SpindleClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final String display;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public SpindleClient(URI base) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.display = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  /** POST /v1/tasks; returns the response, {@code {"id": …}}. */
  public JsonNode submit(ObjectNode task) {
    return post("v1/tasks", task);
  }

  /** GET /v1/tasks/{id}. */
  public JsonNode task(long id) {
    return send(request("v1/tasks/" + id).GET());
  }

  /** GET /v1/tasks with the given query parameters (null values are left out). */
  public JsonNode list(Map<String, String> query) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (k, v) -> {
          if (v != null) {
            q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return send(request("v1/tasks" + q).GET());
  }

  public JsonNode cancel(long id) {
    return post("v1/tasks/" + id + "/cancel", null);
  }

  public JsonNode retry(long id) {
    return post("v1/tasks/" + id + "/retry", null);
  }

  /** GET /v1/queues. */
  public JsonNode queues() {
    return send(request("v1/queues").GET());
  }

  public URI base() {
    return base;
  }

  private JsonNode post(String path, JsonNode body) {
    HttpRequest.BodyPublisher publisher;
    try {
      publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON", e);
    }
    return send(request(path).header("Content-Type", "application/json").POST(publisher));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json");
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ServerUnreachableException(display, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnreachableException(display, e);
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() >= 400) {
      throw ProblemException.from(response.statusCode(), body, response.body());
    }
    return body;
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return json.nullNode();
    }
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      return json.getNodeFactory().textNode(body);
    }
  }
}
