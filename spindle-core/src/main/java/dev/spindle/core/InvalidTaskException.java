package dev.spindle.core;

/**
 * A task request was refused before anything was written: the message says which field was wrong
 * and what is allowed.
 */
public class InvalidTaskException extends IllegalArgumentException {
  private final String field;

  public InvalidTaskException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public InvalidTaskException(String field, String message, Throwable cause) {
    super(field + ": " + message, cause);
    this.field = field;
  }

  /** The request field at fault, e.g. {@code priority} or {@code payload}. */
  public String field() {
    return field;
  }
}
