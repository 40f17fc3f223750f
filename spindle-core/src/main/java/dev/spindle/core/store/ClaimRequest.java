package dev.spindle.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Asks for up to {@code max} tasks of one queue.
 *
 * @param now tasks with {@code runAt <= now} are due
 * @param leaseUntil the lease of each claimed task ends here unless renewed
 */
public record ClaimRequest(
    String queue, String workerId, int max, Instant now, Instant leaseUntil) {
  public ClaimRequest {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
  }
}
