package dev.spindle.core.engine;

import dev.spindle.core.SpindleListener;
import dev.spindle.core.SpindleListener.AttemptResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes attempt outcomes to the store in batches. While one batch is being committed the next one
 * gathers, so the batch size follows the load by itself (group commit): one store call per batch
 * instead of one per task is what lets a single writer keep up with many workers.
 */
final class Completer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Completer.class);
  private static final int MAX_BATCH = 2048;

  /** An outcome to write; {@code attempt} is null for a task given back without being started. */
  private record Pending(Attempt attempt, Outcome outcome, AttemptResult result) {}

  private final TaskStore store;
  private final Clock clock;
  private final ActiveAttempts active;
  private final SpindleListener listener;
  private final LongConsumer onFinished;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean stopping;

  Completer(
      TaskStore store,
      Clock clock,
      ActiveAttempts active,
      SpindleListener listener,
      LongConsumer onFinished) {
    this.store = store;
    this.clock = clock;
    this.active = active;
    this.listener = listener;
    this.onFinished = onFinished;
    this.thread = Thread.ofPlatform().daemon().name("spindle-completer").unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  void submit(Attempt attempt, Outcome outcome, AttemptResult result) {
    queue.add(new Pending(attempt, outcome, result));
  }

  /** Writes the outcome of a task claimed but never started (released or cancelled unrun). */
  void giveBack(Outcome outcome) {
    queue.add(new Pending(null, outcome, null));
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        if (batch.isEmpty()) {
          Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (stopping && queue.isEmpty()) {
              return;
            }
            continue;
          }
          batch.add(first);
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
        write(batch);
        batch.clear();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The store is unreachable or failed: keep the outcomes and try again. Those whose lease
        // has run out meanwhile are dropped; the rescuer will hand their tasks out again.
        log.warn("writing {} outcomes failed; retrying", batch.size(), e);
        dropExpired(batch);
        pause();
      }
    }
  }

  private void write(List<Pending> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      outcomes.add(p.outcome());
    }
    Set<Long> fenced = new HashSet<>(store.complete(outcomes));
    for (Pending p : batch) {
      Attempt a = p.attempt();
      if (a == null) {
        onFinished.accept(p.outcome().id());
        continue;
      }
      active.remove(a);
      long id = a.task.id();
      if (fenced.contains(id)) {
        listener.leaseLost(id);
      } else {
        Duration ran = Duration.ofNanos(System.nanoTime() - a.startNanos);
        listener.attemptFinished(a.task.queue(), a.task.type(), id, p.result(), ran);
        onFinished.accept(id);
      }
    }
  }

  private void dropExpired(List<Pending> batch) {
    Instant now = clock.instant();
    batch.removeIf(
        p -> {
          Attempt a = p.attempt();
          if (a == null) {
            return false; // its lease is unknown here; a fenced write is harmless
          }
          if (a.leaseUntil().isBefore(now)) {
            active.remove(a);
            listener.leaseLost(a.task.id());
            return true;
          }
          return false;
        });
  }

  private void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    stopping = true;
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
