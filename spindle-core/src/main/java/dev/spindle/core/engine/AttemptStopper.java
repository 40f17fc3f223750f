package dev.spindle.core.engine;

import dev.spindle.core.SpindleListener;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops attempts that lost their lease: they must not report an outcome, another worker may run
 * them.
 */
final class AttemptStopper {
  private static final Logger log = LoggerFactory.getLogger(AttemptStopper.class);

  private final ActiveAttempts active;
  private final SpindleListener listener;

  AttemptStopper(ActiveAttempts active, SpindleListener listener) {
    this.active = active;
    this.listener = listener;
  }

  void leaseLost(Attempt a) {
    a.forceStop(StopReason.LEASE_LOST);
    if (a.settle()) {
      active.remove(a);
      listener.leaseLost(a.taskId());
      log.warn(
          "task {} attempt {} lost its lease and was stopped; it may run elsewhere",
          a.taskId(),
          a.attempt());
    }
  }

  /** Stops the attempts whose lease ended before {@code now} without a successful renewal. */
  void stopExpired(List<Attempt> attempts, Instant now) {
    for (Attempt a : attempts) {
      if (a.leaseUntil().isBefore(now) && !a.isSettled()) {
        leaseLost(a);
      }
    }
  }
}
