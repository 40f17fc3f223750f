package dev.spindle.core.store;

/** The store's data is in use by another process that does not share it safely. */
public class StoreLockedException extends StoreException {
  public StoreLockedException(String message) {
    super(message);
  }
}
