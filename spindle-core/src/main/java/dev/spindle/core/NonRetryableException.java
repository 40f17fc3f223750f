package dev.spindle.core;

/** Thrown by a handler to fail its task for good: no further attempt is made, the task is DEAD. */
public class NonRetryableException extends RuntimeException {
  public NonRetryableException(String message) {
    super(message);
  }

  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
