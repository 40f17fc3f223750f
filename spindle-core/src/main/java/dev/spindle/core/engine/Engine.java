package dev.spindle.core.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.core.SpindleListener;
import dev.spindle.core.SpindleListener.AttemptResult;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of one Spindle instance: dispatchers per queue, the runner, the completer, and
 * the lease keeper, watchdog and maintainer. Internal: applications use {@code Spindle}.
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final Clock clock;
  private final EngineSettings settings;
  private final ActiveAttempts active = new ActiveAttempts();
  private final Map<String, QueueDispatcher> dispatchers = new LinkedHashMap<>();
  private final Completer completer;
  private final LeaseKeeper leaseKeeper;
  private final AttemptWatchdog watchdog;
  private final Maintainer maintainer;
  private final ConcurrentHashMap<Long, CompletableFuture<Void>> finishWaiters =
      new ConcurrentHashMap<>();
  private final boolean maintenance;
  private final TaskStore store;
  private TaskStore.Subscription tasksAvailable = () -> {};

  public Engine(
      TaskStore store,
      Clock clock,
      ObjectMapper json,
      HandlerRegistry registry,
      Map<String, Integer> queues,
      EngineSettings settings,
      SpindleListener listener,
      boolean maintenance,
      Submitter submitter) {
    this.clock = clock;
    this.settings = settings;
    this.maintenance = maintenance;
    this.store = store;
    this.completer = new Completer(store, clock, active, listener, this::notifyFinished);
    AttemptStopper stopper = new AttemptStopper(active, listener);
    AttemptRunner runner =
        new AttemptRunner(
            registry,
            json,
            clock,
            active,
            completer,
            listener,
            settings.workerId(),
            submitter,
            stopper);
    queues.forEach(
        (queue, concurrency) ->
            dispatchers.put(
                queue,
                new QueueDispatcher(
                    queue, concurrency, store, clock, settings, runner, completer, listener)));
    this.leaseKeeper = new LeaseKeeper(store, clock, active, settings, stopper);
    this.watchdog = new AttemptWatchdog(clock, active, stopper, settings);
    this.maintainer = new Maintainer(store, clock, settings, listener, this::wakeAll);
  }

  public void start() {
    completer.start();
    leaseKeeper.start();
    watchdog.start();
    if (maintenance) {
      maintainer.start();
    }
    dispatchers.values().forEach(QueueDispatcher::start);
    tasksAvailable = store.onTasksAvailable(this::wake);
  }

  /** Tasks of {@code queue} may be due now. */
  public void wake(String queue) {
    QueueDispatcher d = dispatchers.get(queue);
    if (d != null) {
      d.wake();
    }
  }

  /**
   * Room for up to {@code tasks} new due tasks of {@code queue} to start right from their submit:
   * the claim request to pass to {@link TaskStore#enqueueAndStart}, or null when this node does not
   * run the queue or has no room now. A request returned here holds room in the queue's dispatcher
   * until it is answered, exactly once, by {@link #startedOnSubmit}.
   */
  public ClaimRequest reserveStart(String queue, int tasks) {
    QueueDispatcher d = dispatchers.get(queue);
    int room = d == null ? 0 : d.reserve(tasks);
    if (room == 0) {
      return null;
    }
    Instant now = clock.instant();
    return new ClaimRequest(
        queue, settings.workerId(), room, now, now.plus(settings.leaseDuration()));
  }

  /**
   * Answers a {@link #reserveStart} request with the tasks the store leased for it (none if the
   * submit failed): they start as if a claim had brought them, and the rest of the room is freed.
   */
  public void startedOnSubmit(ClaimRequest reserved, List<ClaimedTask> started) {
    dispatchers.get(reserved.queue()).startedOnSubmit(reserved.max(), started);
  }

  public void wakeAll() {
    dispatchers.values().forEach(QueueDispatcher::wake);
  }

  /** Runs one heartbeat round now, on the caller's thread. */
  public void heartbeatNow() {
    leaseKeeper.runOnce();
  }

  /** Runs one timeout and lease check now, on the caller's thread. */
  public void watchdogNow() {
    watchdog.runOnce();
  }

  /**
   * Runs one maintenance round (rescue, expire, promote waiting, purge) now, on the caller's
   * thread.
   */
  public void maintainNow() {
    maintainer.runOnce();
  }

  public boolean pause(String queue) {
    QueueDispatcher d = dispatchers.get(queue);
    if (d != null) {
      d.pause();
    }
    return d != null;
  }

  /** True if the queue is paused on this instance; false for an unknown queue. */
  public boolean isPaused(String queue) {
    QueueDispatcher d = dispatchers.get(queue);
    return d != null && d.isPaused();
  }

  public boolean resume(String queue) {
    QueueDispatcher d = dispatchers.get(queue);
    if (d != null) {
      d.resume();
    }
    return d != null;
  }

  /** Attempts this instance is running, by queue. */
  public Map<String, Integer> busy() {
    return perQueue(QueueDispatcher::busy);
  }

  /** Tasks claimed ahead that this instance holds, not started yet, by queue. */
  public Map<String, Integer> held() {
    return perQueue(QueueDispatcher::held);
  }

  private Map<String, Integer> perQueue(ToIntFunction<QueueDispatcher> count) {
    Map<String, Integer> out = new LinkedHashMap<>();
    dispatchers.forEach((q, d) -> out.put(q, count.applyAsInt(d)));
    return out;
  }

  public int running() {
    return active.size();
  }

  /**
   * Signals a running attempt of this instance that its task was cancelled; a task claimed ahead
   * and not started is cancelled unrun.
   */
  public void cancelLocal(long taskId) {
    Optional<Attempt> running = active.find(taskId);
    if (running.isPresent()) {
      running.get().stop(StopReason.CANCELLED);
      return;
    }
    for (QueueDispatcher d : dispatchers.values()) {
      if (d.cancelBuffered(taskId)) {
        return;
      }
    }
  }

  /**
   * A future completed when an attempt of the task ends here, or never if it runs elsewhere;
   * callers wait on it with a timeout and then read the store.
   */
  public CompletableFuture<Void> finishSignal(long taskId) {
    return finishWaiters.computeIfAbsent(taskId, id -> new CompletableFuture<>());
  }

  public void forgetFinishSignal(long taskId, CompletableFuture<Void> signal) {
    finishWaiters.remove(taskId, signal);
  }

  private void notifyFinished(long taskId) {
    if (!finishWaiters.isEmpty()) {
      CompletableFuture<Void> f = finishWaiters.remove(taskId);
      if (f != null) {
        f.complete(null);
      }
    }
  }

  /**
   * Stops claiming, lets running attempts finish for up to {@code grace}, then interrupts the rest
   * and gives their tasks back (READY, attempt not counted). Leases are kept alive until every
   * outcome is written.
   */
  public void close(Duration grace) {
    tasksAvailable.close();
    dispatchers.values().forEach(QueueDispatcher::close);
    awaitIdle(grace);
    List<Attempt> left = active.snapshot();
    if (!left.isEmpty()) {
      log.info(
          "{} tasks still running after {}; interrupting and releasing them", left.size(), grace);
      left.forEach(a -> a.forceStop(StopReason.SHUTDOWN));
      awaitIdle(Duration.ofSeconds(1));
      for (Attempt a : active.snapshot()) {
        if (a.settle()) {
          completer.submit(
              a,
              new Outcome.Released(a.taskId(), a.leaseToken(), clock.instant()),
              AttemptResult.RELEASED);
        }
      }
    }
    completer.close();
    maintainer.close();
    watchdog.close();
    leaseKeeper.close();
  }

  private void awaitIdle(Duration max) {
    long end = System.nanoTime() + max.toNanos();
    while (!active.isEmpty() && System.nanoTime() < end) {
      try {
        Thread.sleep(5); // shutdown only: not worth a signal on the hot path
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
