package dev.spindle.store.postgres;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Decides which queues an enqueue announces with NOTIFY.
 *
 * <p>A transaction that sent NOTIFY holds a database-wide lock from just before its commit record
 * until the commit is flushed, so notifying commits cannot share an fsync: they queue up behind
 * each other. Measured on the 2-core build machine with 4 producers, notifying every enqueue cut
 * end-to-end throughput from 27,000 to 13,000 tasks/s. So this store instance announces each queue
 * at most once per {@link #WINDOW_NANOS}; an enqueue inside the window instead schedules one
 * trailing announcement at the window's end, so an idle node still wakes within a window of the
 * last submit of a burst. Under load nodes are busy anyway and the wake-ups would be wasted.
 */
final class QueueAnnouncer implements AutoCloseable {
  /** 10 ms: at most 100 notifying commits per second per queue and node. */
  static final long WINDOW_NANOS = 10_000_000L;

  private final ConcurrentHashMap<String, Long> lastAnnounced = new ConcurrentHashMap<>();
  private final Set<String> deferred = ConcurrentHashMap.newKeySet();
  private final Consumer<Set<String>> send;
  private ScheduledExecutorService timer;
  private boolean closed;

  /** {@code send} announces queues in a transaction of its own, for the trailing announcements. */
  QueueAnnouncer(Consumer<Set<String>> send) {
    this.send = send;
  }

  /**
   * Of the queues that get due tasks from one enqueue, the ones to NOTIFY in its transaction; the
   * others are announced at the end of their window.
   */
  String[] admit(Collection<String> dueQueues) {
    if (dueQueues.isEmpty()) {
      return new String[0];
    }
    List<String> now = new ArrayList<>(dueQueues.size());
    long t = System.nanoTime();
    for (String queue : dueQueues) {
      Long last = lastAnnounced.get(queue);
      long wait = last == null ? 0 : WINDOW_NANOS - (t - last);
      if (wait <= 0) {
        // Two threads may both pass here for one queue: one extra notification, no harm.
        lastAnnounced.put(queue, t);
        now.add(queue);
      } else if (deferred.add(queue)) {
        schedule(wait);
      }
    }
    return now.toArray(String[]::new);
  }

  private synchronized void schedule(long delayNanos) {
    if (closed) {
      return;
    }
    if (timer == null) {
      ScheduledThreadPoolExecutor t =
          new ScheduledThreadPoolExecutor(
              1, r -> Thread.ofPlatform().daemon().name("spindle-announce").unstarted(r));
      t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      timer = t;
    }
    timer.schedule(this::flush, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void flush() {
    Set<String> queues = new LinkedHashSet<>();
    long t = System.nanoTime();
    for (String queue : deferred) {
      if (deferred.remove(queue)) {
        lastAnnounced.put(queue, t);
        queues.add(queue);
      }
    }
    if (!queues.isEmpty()) {
      send.accept(queues);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
