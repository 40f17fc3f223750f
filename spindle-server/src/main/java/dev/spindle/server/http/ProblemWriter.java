package dev.spindle.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes problems as {@code application/problem+json}. */
public final class ProblemWriter {
  public static final String CONTENT_TYPE = "application/problem+json";

  private final ObjectMapper json;

  public ProblemWriter(ObjectMapper json) {
    this.json = json;
  }

  public void send(ServerResponse res, Problem problem, String instance) {
    res.status(Status.create(problem.status()));
    res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
    res.send(toBytes(problem, instance));
  }

  public byte[] toBytes(Problem problem, String instance) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", problem.type());
    doc.put("title", problem.title());
    doc.put("status", problem.status());
    doc.put("detail", problem.detail());
    if (instance != null) {
      doc.put("instance", instance);
    }
    problem.extensions().forEach(doc::putIfAbsent);
    try {
      return json.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      // Extensions are strings, numbers and lists of them; this cannot fail.
      throw new IllegalStateException("cannot write problem document", e);
    }
  }
}
