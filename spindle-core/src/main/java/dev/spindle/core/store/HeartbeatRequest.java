package dev.spindle.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Renews leases of one worker to {@code leaseUntil}. */
public record HeartbeatRequest(String workerId, List<Lease> leases, Instant leaseUntil) {
  public HeartbeatRequest {
    leases = List.copyOf(leases);
  }

  /** A lease held, and the progress to record with it (JSON), if the handler reported any. */
  public record Lease(long id, long leaseToken, Optional<String> progressJson) {}
}
