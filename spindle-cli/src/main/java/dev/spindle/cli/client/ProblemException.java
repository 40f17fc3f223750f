package dev.spindle.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The server answered with an error ({@code application/problem+json}: title, status, detail). The
 * message is the problem's detail, what a person can act on.
 */
public final class ProblemException extends RuntimeException {
  private final int status;
  private final String title;

  private ProblemException(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  static ProblemException from(int status, JsonNode body, String raw) {
    String title = body.path("title").asText("HTTP " + status);
    String detail = body.path("detail").asText("");
    if (detail.isEmpty()) {
      detail = body.isObject() ? title : raw.isBlank() ? "HTTP " + status : raw.strip();
    }
    return new ProblemException(status, title, detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
