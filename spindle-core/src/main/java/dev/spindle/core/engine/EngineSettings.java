package dev.spindle.core.engine;

import java.time.Duration;

/**
 * Timing and sizing of one engine instance.
 *
 * @param leaseDuration how long a claim holds a task without a heartbeat
 * @param heartbeatInterval how often leases of running tasks are renewed (in one batch)
 * @param pollInterval how long an idle dispatcher waits before asking the store again when no
 *     submit woke it (tasks submitted by other processes, delayed tasks coming due)
 * @param maintenanceInterval how often expired leases are rescued and overdue tasks expired
 * @param watchdogInterval how often timeouts and self-expired leases are checked
 * @param maxClaimBatch the most tasks one claim asks for
 * @param retention how long finished tasks (except DEAD) are kept before they are purged
 */
public record EngineSettings(
    String workerId,
    Duration leaseDuration,
    Duration heartbeatInterval,
    Duration pollInterval,
    Duration maintenanceInterval,
    Duration watchdogInterval,
    int maxClaimBatch,
    Duration retention) {

  public EngineSettings {
    if (heartbeatInterval.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException(
          "heartbeatInterval ("
              + heartbeatInterval
              + ") must be shorter than leaseDuration ("
              + leaseDuration
              + "), or leases expire between heartbeats");
    }
    if (maxClaimBatch < 1) {
      throw new IllegalArgumentException("maxClaimBatch must be at least 1, was " + maxClaimBatch);
    }
  }
}
