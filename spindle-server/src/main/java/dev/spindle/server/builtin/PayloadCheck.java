package dev.spindle.server.builtin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks the payload of one task type when it is submitted, so that a payload its handler could
 * never run is refused with 400 instead of failing later as a DEAD task.
 */
@FunctionalInterface
public interface PayloadCheck {
  /**
   * @throws dev.spindle.core.InvalidTaskException naming the field under {@code payload}, e.g.
   *     {@code payload.url}
   */
  void check(JsonNode payload);
}
