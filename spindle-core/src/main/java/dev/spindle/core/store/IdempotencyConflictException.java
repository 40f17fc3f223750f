package dev.spindle.core.store;

/** An idempotency key was reused with a different task body. Nothing of the batch was written. */
public class IdempotencyConflictException extends StoreException {
  private final String idempotencyKey;
  private final long existingId;

  public IdempotencyConflictException(String idempotencyKey, long existingId) {
    super(
        "idempotency key '"
            + idempotencyKey
            + "' is already used by task "
            + existingId
            + " with a different body; reuse a key only to resubmit the same task");
    this.idempotencyKey = idempotencyKey;
    this.existingId = existingId;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** The task that holds the key, or -1 when the conflict is between two tasks of one batch. */
  public long existingId() {
    return existingId;
  }
}
