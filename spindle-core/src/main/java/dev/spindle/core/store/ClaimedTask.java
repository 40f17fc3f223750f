package dev.spindle.core.store;

import java.time.Duration;
import java.time.Instant;
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
    Duration timeout) {}
