package dev.spindle.core.engine;

import dev.spindle.core.SpindleListener;
import dev.spindle.core.store.RescueResult;
import dev.spindle.core.store.TaskStore;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store housekeeping: rescues tasks whose lease expired (their worker died or hung), expires tasks
 * past their deadline, makes tasks READY whose dependencies are done, and purges finished tasks
 * past the retention period.
 */
final class Maintainer extends PeriodicService {
  private static final Logger log = LoggerFactory.getLogger(Maintainer.class);
  private static final int BATCH = 1000;
  private static final int MAX_PURGE_BATCHES = 50;

  private final TaskStore store;
  private final Clock clock;
  private final EngineSettings settings;
  private final SpindleListener listener;
  private final Runnable wakeDispatchers;

  Maintainer(
      TaskStore store,
      Clock clock,
      EngineSettings settings,
      SpindleListener listener,
      Runnable wakeDispatchers) {
    super("spindle-maintainer", settings.maintenanceInterval());
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.listener = listener;
    this.wakeDispatchers = wakeDispatchers;
  }

  @Override
  void runOnce() {
    Instant now = clock.instant();
    int requeued = 0;
    int dead = 0;
    RescueResult r;
    do {
      r = store.rescueExpired(now, BATCH);
      requeued += r.requeued().size();
      dead += r.dead().size();
    } while (r.total() == BATCH);
    if (requeued + dead > 0) {
      log.info(
          "rescued {} tasks whose lease expired: {} back to READY, {} DEAD",
          requeued + dead,
          requeued,
          dead);
      listener.rescued(requeued, dead);
    }
    while (store.expireOverdue(now, BATCH) == BATCH) {
      // keep going until every overdue task is expired
    }
    if (!settings.retention().isZero()) {
      Instant cutoff = now.minus(settings.retention());
      // More than one batch finishes per round at high throughput; the cap keeps one round from
      // holding up rescue when a long history is purged for the first time.
      for (int i = 0; i < MAX_PURGE_BATCHES && store.purgeFinished(cutoff, BATCH) == BATCH; i++) {
        // next batch
      }
    }
    int promoted = 0;
    int n;
    do {
      n = store.promoteWaiting(BATCH);
      promoted += n;
    } while (n == BATCH);
    if (requeued > 0 || promoted > 0) {
      wakeDispatchers.run();
    }
  }
}
