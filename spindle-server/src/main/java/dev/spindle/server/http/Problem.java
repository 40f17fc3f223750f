package dev.spindle.server.http;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem: what went wrong with a request and what would be accepted. {@code kind}
 * becomes the {@code type} URI; {@code extensions} (such as {@code field} and {@code allowed}) are
 * written beside the standard members.
 */
public record Problem(
    int status, String kind, String title, String detail, Map<String, Object> extensions) {

  /** The prefix of every problem type URI; the kind follows it. */
  public static final String TYPE_PREFIX = "urn:spindle:problem:";

  public Problem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    extensions = Map.copyOf(extensions);
  }

  public static Problem of(int status, String kind, String title, String detail) {
    return new Problem(status, kind, title, detail, Map.of());
  }

  /** 400 for one request field; {@code field} is a path such as {@code tasks[3].priority}. */
  public static Problem invalidField(String field, String detail) {
    return new Problem(400, "invalid-field", "Invalid field", detail, Map.of("field", field));
  }

  /** This problem with an extension member added, e.g. the allowed values. */
  public Problem with(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extensions);
    more.put(name, value instanceof Collection<?> c ? List.copyOf(c) : value);
    return new Problem(status, kind, title, detail, more);
  }

  public String type() {
    return TYPE_PREFIX + kind;
  }

  /** Throwable form, for refusing a request from deep inside request handling. */
  public ProblemException toException() {
    return new ProblemException(this);
  }
}
