package dev.spindle.core.engine;

import java.time.Clock;
import java.time.Instant;

/**
 * Interrupts attempts past their timeout, and stops attempts whose lease ran out without a renewal
 * (a heartbeat that hangs must not let a worker run on past its lease).
 */
final class AttemptWatchdog extends PeriodicService {
  private final Clock clock;
  private final ActiveAttempts active;
  private final AttemptStopper stopper;

  AttemptWatchdog(
      Clock clock, ActiveAttempts active, AttemptStopper stopper, EngineSettings settings) {
    super("spindle-watchdog", settings.watchdogInterval());
    this.clock = clock;
    this.active = active;
    this.stopper = stopper;
  }

  @Override
  void runOnce() {
    if (active.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    var attempts = active.snapshot();
    for (Attempt a : attempts) {
      if (a.timeoutAt != null && !now.isBefore(a.timeoutAt)) {
        a.stop(StopReason.TIMED_OUT);
      }
    }
    stopper.stopExpired(attempts, now);
  }
}
