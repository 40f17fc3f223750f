package dev.spindle.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * A task leased to a worker.
 *
 * @param attempt the number of this attempt, starting at 1
 * @param leaseToken the fencing token; every later change of this attempt must present it
 * @param timeout the per-attempt timeout given at submit, {@link Duration#ZERO} for the default
 */
public record ClaimedTask(
    long id,
    String type,
    String queue,
    String payloadJson,
    int priority,
    int attempt,
    int maxAttempts,
    long leaseToken,
    Instant leaseUntil,
    Instant createdAt,
    Instant runAt,
    Optional<Instant> deadline,
    Duration timeout) {
  /**
   * The order in which due tasks are claimed and started: higher priority first, then the one due
   * longest, then the older id.
   */
  public static final Comparator<ClaimedTask> CLAIM_ORDER =
      Comparator.comparingInt(ClaimedTask::priority)
          .reversed()
          .thenComparing(ClaimedTask::runAt)
          .thenComparingLong(ClaimedTask::id);
}
