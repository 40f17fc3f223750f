package dev.spindle.core.store;

/** A store could not carry out a call; nothing of that call was written. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
