package dev.spindle.server.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.core.InvalidTaskException;
import java.util.Iterator;
import java.util.List;

/** Small checks shared by the built-in payload checks; messages name the field and the rule. */
final class PayloadFields {
  private PayloadFields() {}

  static void requireObject(JsonNode payload, String example, List<String> allowed) {
    if (payload == null || !payload.isObject()) {
      throw new InvalidTaskException(
          "payload", "must be a JSON object like " + example + ", was " + describe(payload));
    }
    for (Iterator<String> names = payload.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new InvalidTaskException(
            "payload." + name, "is not a known field; allowed fields are " + allowed);
      }
    }
  }

  /** The value as a long within bounds, or null if absent or JSON null. */
  static Long wholeNumber(JsonNode payload, String name, long min, long max) {
    JsonNode v = payload.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw new InvalidTaskException(
          "payload." + name,
          "must be a whole number between " + min + " and " + max + ", was " + describe(v));
    }
    return v.asLong();
  }

  /** The value as text, or null if absent or JSON null. */
  static String text(JsonNode payload, String name) {
    JsonNode v = payload.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidTaskException("payload." + name, "must be a string, was " + describe(v));
    }
    return v.asText();
  }

  static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "missing";
    }
    String s = v.toString();
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
