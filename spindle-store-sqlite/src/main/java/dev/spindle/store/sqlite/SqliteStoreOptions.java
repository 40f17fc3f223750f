package dev.spindle.store.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of an embedded SQLite store. The defaults are safe: a call that returned survives power
 * loss.
 *
 * @param durability what a returned write survives
 * @param readerConnections read-only connections for get, list and stats
 * @param maxOpsPerCommit most write calls the writer folds into one transaction
 * @param busyTimeout how long a connection waits on a lock held inside SQLite (checkpoints)
 * @param checkpointInterval how often the WAL is copied back into the database file, off the writer
 *     thread, when something was written
 */
public record SqliteStoreOptions(
    Durability durability,
    int readerConnections,
    int maxOpsPerCommit,
    Duration busyTimeout,
    Duration checkpointInterval) {

  /** What a write that returned survives. */
  public enum Durability {
    /** Survives process crash and power loss: every commit is synced to disk (the default). */
    FULL,
    /**
     * Survives a process crash but may lose the last commits on power loss or OS crash; faster
     * because commits are not synced one by one. Choose it explicitly, knowing that.
     */
    NORMAL
  }

  public SqliteStoreOptions {
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    if (readerConnections < 1) {
      throw new IllegalArgumentException(
          "readerConnections must be at least 1, was " + readerConnections);
    }
    if (maxOpsPerCommit < 1) {
      throw new IllegalArgumentException(
          "maxOpsPerCommit must be at least 1, was " + maxOpsPerCommit);
    }
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms, was " + busyTimeout);
    }
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException(
          "checkpointInterval must be positive, was " + checkpointInterval);
    }
  }

  public static SqliteStoreOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .durability(durability)
        .readerConnections(readerConnections)
        .maxOpsPerCommit(maxOpsPerCommit)
        .busyTimeout(busyTimeout)
        .checkpointInterval(checkpointInterval);
  }

  /** Builds options; every setting starts at its default. */
  public static final class Builder {
    private Durability durability = Durability.FULL;
    private int readerConnections = 4;
    private int maxOpsPerCommit = 512;
    private Duration busyTimeout = Duration.ofSeconds(10);
    // Short enough that each checkpoint copies little, long enough that a page rewritten many
    // times (the claim index under load) is copied once per round.
    private Duration checkpointInterval = Duration.ofMillis(100);

    private Builder() {}

    public Builder durability(Durability durability) {
      this.durability = durability;
      return this;
    }

    public Builder readerConnections(int readerConnections) {
      this.readerConnections = readerConnections;
      return this;
    }

    public Builder maxOpsPerCommit(int maxOpsPerCommit) {
      this.maxOpsPerCommit = maxOpsPerCommit;
      return this;
    }

    public Builder busyTimeout(Duration busyTimeout) {
      this.busyTimeout = busyTimeout;
      return this;
    }

    public Builder checkpointInterval(Duration checkpointInterval) {
      this.checkpointInterval = checkpointInterval;
      return this;
    }

    public SqliteStoreOptions build() {
      return new SqliteStoreOptions(
          durability, readerConnections, maxOpsPerCommit, busyTimeout, checkpointInterval);
    }
  }
}
