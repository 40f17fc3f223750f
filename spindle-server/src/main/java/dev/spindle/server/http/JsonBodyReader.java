package dev.spindle.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.spindle.core.SpindleBuilder;
import dev.spindle.server.ServerLimits;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a request body as one JSON value within the server's limits: the declared length is checked
 * before any byte is read, the bytes actually read are counted (chunked bodies declare no length),
 * and the parser enforces nesting depth and string length.
 */
public final class JsonBodyReader {
  private final ObjectReader reader;
  private final ServerLimits limits;

  public JsonBodyReader(ServerLimits limits) {
    this.limits = limits;
    JsonFactory factory =
        // Spindle's factory, for its shared buffer pool (each request has a virtual thread).
        SpindleBuilder.sharedBufferFactory()
            .rebuild()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxJsonDepth())
                    .maxStringLength(limits.maxStringLength())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.reader =
        JsonMapper.builder(factory)
            // Payloads are stored as sent: no rounding of decimals through double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();
  }

  /**
   * The body as JSON.
   *
   * @param maxBytes the limit of this endpoint
   * @param limitName the {@link ServerLimits} component that sets it, named in the refusal
   * @throws ProblemException 415, 413 or 400 when the body is not acceptable
   */
  public JsonNode read(ServerRequest req, long maxBytes, String limitName) {
    checkContentType(req);
    OptionalLong declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > maxBytes) {
      throw tooLarge(maxBytes, limitName, "is " + declared.getAsLong() + " bytes, more");
    }
    byte[] body = readAtMost(req, maxBytes, limitName);
    JsonNode node = parse(body);
    if (node == null || node.isMissingNode()) {
      throw Problem.of(
              400,
              "empty-body",
              "Empty request body",
              "the request body is empty; send one JSON object, e.g. {\"type\":\"noop\"}")
          .toException();
    }
    return node;
  }

  private static void checkContentType(ServerRequest req) {
    Optional<HttpMediaType> type;
    try {
      type = req.headers().contentType();
    } catch (RuntimeException e) {
      throw unsupported(req.headers().first(HeaderNames.CONTENT_TYPE).orElse("?"));
    }
    if (type.isEmpty()) {
      return; // lenient: a client that names no type is read as JSON
    }
    String subtype = type.get().mediaType().subtype();
    boolean json =
        "application".equals(type.get().mediaType().type())
            && ("json".equals(subtype) || subtype.endsWith("+json"));
    if (!json) {
      throw unsupported(type.get().text());
    }
  }

  private static ProblemException unsupported(String contentType) {
    return Problem.of(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            "request bodies must be JSON, but Content-Type is '"
                + contentType
                + "'; send Content-Type: application/json (curl: -H 'Content-Type:"
                + " application/json')")
        .with("allowed", List.of("application/json"))
        .toException();
  }

  private static byte[] readAtMost(ServerRequest req, long maxBytes, String limitName) {
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try {
      // Not closed on purpose: after a refusal the server drains what is left of the body (up
      // to its transport limit) so that the client reads the answer instead of a reset.
      InputStream in = req.content().inputStream();
      byte[] body = in.readNBytes((int) maxBytes + 1);
      if (body.length > maxBytes) {
        throw tooLarge(maxBytes, limitName, "is longer");
      }
      return body;
    } catch (RequestException e) {
      if (e.status() == Status.REQUEST_ENTITY_TOO_LARGE_413) {
        throw tooLarge(maxBytes, limitName, "is longer");
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the request body", e);
    }
  }

  private JsonNode parse(byte[] body) {
    try {
      return reader.readTree(body);
    } catch (StreamConstraintsException e) {
      throw constraintProblem(e).toException();
    } catch (JsonProcessingException e) {
      throw Problem.of(
              400,
              "malformed-json",
              "Malformed JSON",
              "the request body is not valid JSON: " + e.getOriginalMessage() + where(e))
          .toException();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a byte array does no I/O
    }
  }

  private Problem constraintProblem(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    if (m.contains("nesting depth")) {
      return Problem.of(
              400,
              "json-too-deep",
              "JSON nested too deeply",
              "the request body nests arrays and objects more than "
                  + limits.maxJsonDepth()
                  + " levels deep (maxJsonDepth, counting the request envelope)"
                  + where(e))
          .with("limit", limits.maxJsonDepth());
    }
    if (m.contains("String value length")) {
      return Problem.of(
              400,
              "string-too-long",
              "JSON string too long",
              "a string in the request body is longer than "
                  + limits.maxStringLength()
                  + " characters (maxStringLength)"
                  + where(e))
          .with("limit", limits.maxStringLength());
    }
    return Problem.of(
        400,
        "json-too-large",
        "JSON value too large",
        "a value in the request body is too large: " + m + where(e));
  }

  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static ProblemException tooLarge(long maxBytes, String limitName, String what) {
    return Problem.of(
            413,
            "body-too-large",
            "Request body too large",
            "the request body "
                + what
                + " than the "
                + maxBytes
                + " bytes this endpoint accepts ("
                + limitName
                + ")"
                + ("maxTaskBytes".equals(limitName)
                    ? "; send large inputs as references (e.g. a URL or path), not inline"
                    : "; split the batch into smaller ones"))
        .with("limit", maxBytes)
        .toException();
  }
}
