package dev.spindle.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes JSON answers with a streaming generator: no intermediate objects per response. */
public final class JsonReplies {
  public static final String CONTENT_TYPE = "application/json";

  private final JsonFactory factory;

  public JsonReplies(JsonFactory factory) {
    this.factory = factory;
  }

  /** Writes one JSON document. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  public void send(ServerResponse res, int status, Body body) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
    res.send(bytes(body));
  }

  public byte[] bytes(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = factory.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON answer", e); // in-memory: not expected
    }
    return out.toByteArray();
  }
}
