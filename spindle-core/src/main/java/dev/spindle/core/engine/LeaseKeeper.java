package dev.spindle.core.engine;

import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import dev.spindle.core.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of all running attempts in one store call per interval, and stops attempts
 * whose lease is gone: fenced by the store, or not renewed in time because the store could not be
 * reached. A task that heartbeats is never rescued, however long it runs.
 */
final class LeaseKeeper extends PeriodicService {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final TaskStore store;
  private final Clock clock;
  private final ActiveAttempts active;
  private final EngineSettings settings;
  private final AttemptStopper stopper;

  LeaseKeeper(
      TaskStore store,
      Clock clock,
      ActiveAttempts active,
      EngineSettings settings,
      AttemptStopper stopper) {
    super("spindle-lease-keeper", settings.heartbeatInterval());
    this.store = store;
    this.clock = clock;
    this.active = active;
    this.settings = settings;
    this.stopper = stopper;
  }

  @Override
  void runOnce() {
    List<Attempt> attempts = active.snapshot();
    if (attempts.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Instant until = now.plus(settings.leaseDuration());
    Map<Long, Attempt> byId = new HashMap<>(attempts.size() * 2);
    List<HeartbeatRequest.Lease> leases = new ArrayList<>(attempts.size());
    for (Attempt a : attempts) {
      byId.put(a.taskId(), a);
      leases.add(new HeartbeatRequest.Lease(a.taskId(), a.leaseToken(), a.takeProgress()));
    }
    HeartbeatResult result;
    try {
      result = store.heartbeat(new HeartbeatRequest(settings.workerId(), leases, until));
    } catch (RuntimeException e) {
      log.warn(
          "heartbeat for {} running tasks failed; tasks whose lease runs out will be stopped",
          attempts.size(),
          e);
      stopper.stopExpired(attempts, now);
      return;
    }
    for (long id : result.lost()) {
      Attempt a = byId.remove(id);
      if (a != null) {
        stopper.leaseLost(a);
      }
    }
    for (Attempt a : byId.values()) {
      a.leaseExtended(until);
    }
    for (long id : result.cancelRequested()) {
      Attempt a = byId.get(id);
      if (a != null) {
        a.stop(StopReason.CANCELLED);
      }
    }
  }

  static Duration defaultInterval(Duration lease) {
    return lease.dividedBy(3);
  }
}
