package dev.spindle.core.engine;

import dev.spindle.core.SpindleListener;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims tasks of one queue and starts them, each on its own virtual thread, at most {@code
 * concurrency} at once.
 *
 * <p>Up to {@value #CLAIMS_IN_FLIGHT} claims are under way at once: a claim commits (on PostgreSQL
 * it waits for the WAL flush), and with one at a time a slot freed just after a claim left waited
 * for that claim's whole round trip and the next one's. While the tasks claimed ahead cover at
 * least one task per slot, the buffer bridges that round trip, and one claim at a time is made:
 * concurrent claims of one queue search the same head of the ready tasks, and on PostgreSQL each
 * skips, row by row, the rows the others have locked.
 *
 * <p><b>Claiming ahead.</b> The dispatcher also holds tasks claimed ahead, so a slot that frees up
 * starts its next task at once instead of after a claim round trip, and claims come in large
 * batches instead of one per freed slot. It holds about {@link #aheadBudget 100 ms of work} (less
 * with a lease shorter than a second), judged by the queue's average handler time, and at most
 * {@value #MAX_AHEAD_PER_SLOT} tasks per slot: thousands for no-op handlers, none for handlers that
 * run for seconds, so slow tasks are never held back from other nodes. A buffered task is leased,
 * so the store shows it RUNNING; it is started only while at least half its lease is left and its
 * deadline has not passed, and otherwise given back (RELEASED: READY again, the attempt uncounted).
 * The same holds for a task started straight from its claim, in case the claim was slow to return.
 * Held tasks start in claim order (priority, then due time, then id) whichever claim brought them,
 * so a task of higher priority claimed later starts before the ones held. Pausing and closing give
 * back every buffered task; cancelling a buffered task cancels it without running it.
 */
final class QueueDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueDispatcher.class);

  /** Claims of this queue that may be under way at once. */
  static final int CLAIMS_IN_FLIGHT = 3;

  /**
   * The most tasks claimed ahead per slot. At 4, 20,000 no-op tasks on SQLite took 137 claims and
   * 145 commits; at 16, 45 and 46, and the run was 10-20 % faster (each commit syncs the disk).
   */
  static final int MAX_AHEAD_PER_SLOT = 16;

  private final String queue;
  private final int concurrency;
  private final TaskStore store;
  private final Clock clock;
  private final EngineSettings settings;
  private final AttemptRunner runner;
  private final Completer completer;
  private final SpindleListener listener;
  private final long aheadBudgetNanos;
  private final Duration minLeaseToStart;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // Guarded by lock.
  // Claim order across claims: a task of higher priority claimed later starts before those
  // claimed ahead of it.
  private final PriorityQueue<ClaimedTask> buffer = new PriorityQueue<>(ClaimedTask.CLAIM_ORDER);
  private int running;
  private int asked; // tasks asked for by the claims and the submits under way
  private int reserved; // of which by the submits under way (see reserve)
  private int claimsUnderWay;
  private boolean waiting; // the loop waits on `changed`
  private long handlerNanos = -1; // moving average of handler times; -1 until one finished

  /**
   * Set when a claim made alone got fewer tasks than it asked for: the queue ran dry (or claiming
   * failed), so wait for a wake-up or the next poll.
   */
  private boolean dry;

  /**
   * Set when a claim made beside others got fewer tasks than it asked for: the others may hold the
   * rows it skipped, so let them finish and ask again alone before concluding the queue is dry.
   */
  private boolean unsure;

  private final WakeSignal signal = new WakeSignal();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile boolean paused;
  private volatile boolean accepting; // started: tasks may start from a submit

  QueueDispatcher(
      String queue,
      int concurrency,
      TaskStore store,
      Clock clock,
      EngineSettings settings,
      AttemptRunner runner,
      Completer completer,
      SpindleListener listener) {
    this.queue = queue;
    this.concurrency = concurrency;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.runner = runner;
    this.completer = completer;
    this.listener = listener;
    this.aheadBudgetNanos = aheadBudget(settings.leaseDuration()).toNanos();
    this.minLeaseToStart = settings.leaseDuration().dividedBy(2);
    this.thread =
        Thread.ofPlatform().daemon().name("spindle-dispatch-" + queue).unstarted(this::loop);
  }

  /**
   * How much work the buffer of tasks claimed ahead holds: 100 ms, or a tenth of the lease if that
   * is shorter, since buffered tasks wait under a lease nobody renews.
   */
  static Duration aheadBudget(Duration lease) {
    Duration tenth = lease.dividedBy(10);
    Duration max = Duration.ofMillis(100);
    return tenth.compareTo(max) < 0 ? tenth : max;
  }

  /**
   * How many tasks to claim ahead: as many as the slots run through in the budget at the average
   * handler time, at most {@value #MAX_AHEAD_PER_SLOT} per slot; none until a handler finished.
   */
  private int ahead() {
    if (handlerNanos < 0) {
      return 0;
    }
    long max = (long) MAX_AHEAD_PER_SLOT * concurrency;
    long fit = concurrency * aheadBudgetNanos / Math.max(1, handlerNanos);
    return (int) Math.min(max, fit);
  }

  void start() {
    thread.start();
    accepting = true;
  }

  /**
   * Reserves room for up to {@code tasks} tasks that a submit on this node may have the store lease
   * to this dispatcher at once (see {@link Engine#reserveStart}); returns how many, 0 for none. The
   * room counts as asked for, like a claim under way, until {@link #startedOnSubmit} answers it.
   *
   * <p>Claims under way do not count against it: a claim asks for all the room there is (up to a
   * thousand tasks with quick handlers) and mostly brings a few, so counting it refused every
   * submit while any claim was out. Those submits then stored their tasks READY, and the next ones
   * could not start either, since a due task was waiting: at 28,000 submits/s on PostgreSQL, 1-2 %
   * of the tasks went through a claim, which made the p99 of start latency. Submits and claims
   * together may so hold up to twice the room, which the {@link #aheadBudget} keeps far below a
   * lease; claims still count the submits' room and ask for less.
   */
  int reserve(int tasks) {
    if (!accepting || paused || stopping) {
      return 0;
    }
    lock.lock();
    try {
      int room = concurrency + ahead() - (running + buffer.size() + reserved);
      int granted = Math.min(Math.min(tasks, room), settings.maxClaimBatch());
      if (granted <= 0) {
        return 0;
      }
      asked += granted;
      reserved += granted;
      return granted;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the tasks a submit started for a {@link #reserve} of {@code reserved}, and frees it. */
  void startedOnSubmit(int reserved, List<ClaimedTask> started) {
    land(reserved, started, null);
  }

  /** Tasks may be due: claim now instead of at the next poll. */
  void wake() {
    signal.wake();
  }

  void pause() {
    paused = true;
    signal.wake();
  }

  void resume() {
    paused = false;
    signal.wake();
  }

  boolean isPaused() {
    return paused;
  }

  /** Attempts of this queue running now (tasks claimed ahead and not started do not count). */
  int busy() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }

  /** Tasks claimed ahead and held in the buffer, not started yet. */
  int held() {
    lock.lock();
    try {
      return buffer.size();
    } finally {
      lock.unlock();
    }
  }

  /** Cancels the task if it waits in this dispatcher's buffer; false if it is not there. */
  boolean cancelBuffered(long taskId) {
    ClaimedTask found = null;
    lock.lock();
    try {
      for (Iterator<ClaimedTask> it = buffer.iterator(); it.hasNext(); ) {
        ClaimedTask t = it.next();
        if (t.id() == taskId) {
          it.remove();
          found = t;
          break;
        }
      }
    } finally {
      lock.unlock();
    }
    if (found == null) {
      return false;
    }
    completer.giveBack(new Outcome.Cancelled(found.id(), found.leaseToken(), clock.instant()));
    return true;
  }

  private record Next(int want, boolean alone) {}

  private static final Next WAIT = new Next(0, false);
  private static final Next DRY = new Next(0, false);

  private void loop() {
    long pollNanos = settings.pollInterval().toNanos();
    try {
      while (!stopping) {
        if (paused) {
          giveBack(takeBuffer());
          signal.await(pollNanos);
          continue;
        }
        Next next = nextClaim();
        if (next == DRY) {
          signal.await(pollNanos);
        } else if (next != WAIT) {
          Thread.ofVirtual()
              .name("spindle-claim-" + queue)
              .start(() -> claim(next.want(), next.alone()));
        }
      }
    } catch (InterruptedException e) {
      // closing
    }
  }

  /** The claim to make now; WAIT after waiting for a change, DRY when the queue ran dry. */
  private Next nextClaim() throws InterruptedException {
    lock.lock();
    try {
      if (dry || unsure) {
        if (claimsUnderWay > 0) { // let them finish first
          awaitChange();
          return WAIT;
        }
        boolean wasDry = dry;
        dry = false;
        unsure = false;
        return wasDry ? DRY : WAIT;
      }
      int want = wanted();
      if (want == 0 || claimsUnderWay >= claimsAllowed()) {
        awaitChange();
        return WAIT;
      }
      asked += want;
      claimsUnderWay++;
      return new Next(want, claimsUnderWay == 1);
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many tasks to claim now, 0 for none. A slot with nothing to start, even once the claims
   * under way land, is worth a claim at once; otherwise, while claiming ahead, wait until half the
   * buffer's room is free, so claims come in batches.
   */
  private int wanted() {
    int ahead = ahead();
    int covered = running + buffer.size() + asked;
    int room = concurrency + ahead - covered;
    if (room <= 0 || (covered >= concurrency && room < Math.max(1, ahead / 2))) {
      return 0;
    }
    return Math.min(room, settings.maxClaimBatch());
  }

  private void awaitChange() throws InterruptedException {
    waiting = true;
    try {
      changed.await(100, TimeUnit.MILLISECONDS);
    } finally {
      waiting = false;
    }
  }

  /**
   * Claims that may be under way at once: one while the dispatcher claims ahead at least a task per
   * slot, {@value #CLAIMS_IN_FLIGHT} otherwise. PostgreSQL (a), 100,000 no-op tasks, 64 slots,
   * seven alternating pairs: median 59,432 tasks/s with three, 63,282 with one (more in six of
   * seven); SQLite (a) and PostgreSQL (c) showed no difference.
   */
  private int claimsAllowed() {
    return ahead() >= concurrency ? 1 : CLAIMS_IN_FLIGHT;
  }

  /** Under the lock: wakes the loop if it waits and now has something to do. */
  private void signalIfUseful() {
    if (waiting
        && (stopping
            || paused
            || ((dry || unsure)
                ? claimsUnderWay == 0
                : claimsUnderWay < claimsAllowed() && wanted() > 0))) {
      changed.signal();
    }
  }

  /** One claim of up to {@code want} tasks. */
  private void claim(int want, boolean alone) {
    List<ClaimedTask> claimed = null;
    try {
      Instant now = clock.instant();
      claimed =
          store.claim(
              new ClaimRequest(
                  queue, settings.workerId(), want, now, now.plus(settings.leaseDuration())));
    } catch (RuntimeException e) {
      log.warn("claiming from queue '{}' failed; retrying", queue, e);
    }
    land(want, claimed == null ? List.of() : claimed, alone);
    if (claimed != null) {
      // After landing, so a listener sees the dispatcher as the claim left it.
      listener.claimed(queue, want, claimed.size());
    }
  }

  /**
   * Buffers the tasks leased for room of {@code want} that was asked for, and starts as many as
   * slots are free. {@code alone} tells how the claim that brought them was made, null when a
   * submit started them, which says nothing of whether the queue ran dry.
   */
  private void land(int want, List<ClaimedTask> claimed, Boolean alone) {
    List<ClaimedTask> start = new ArrayList<>(Math.min(claimed.size(), concurrency));
    List<ClaimedTask> stale = new ArrayList<>(0);
    lock.lock();
    try {
      asked -= want;
      if (alone == null) {
        reserved -= want;
      }
      Instant now = clock.instant();
      for (ClaimedTask t : claimed) {
        if (stopping) {
          stale.add(t); // close may have given the buffer back already: nobody would start it
        } else if (startable(t, now)) {
          buffer.add(t);
        } else {
          stale.add(t); // the claim took half the lease to come back: hand the task on
        }
      }
      while (running < concurrency && !paused && !stopping) {
        ClaimedTask next = pollStartable(now, stale);
        if (next == null) {
          break;
        }
        running++;
        start.add(next);
      }
      if (alone != null) {
        claimsUnderWay--;
        if (claimed.size() < want) {
          if (alone) {
            dry = true;
          } else {
            unsure = true;
          }
        }
      }
      signalIfUseful();
    } finally {
      lock.unlock();
    }
    giveBack(stale);
    for (ClaimedTask t : start) {
      launch(t);
    }
  }

  private void launch(ClaimedTask task) {
    long started = System.nanoTime();
    runner.start(task, () -> finished(System.nanoTime() - started));
  }

  /** Runs on the finished task's thread: frees its slot and starts the next buffered task. */
  private void finished(long nanos) {
    ClaimedTask next = null;
    List<ClaimedTask> stale = new ArrayList<>(0);
    lock.lock();
    try {
      running--;
      handlerNanos = handlerNanos < 0 ? nanos : handlerNanos + (nanos - handlerNanos) / 8;
      if (!buffer.isEmpty() && !paused && !stopping) {
        next = pollStartable(clock.instant(), stale);
        if (next != null) {
          running++;
        }
      }
      signalIfUseful();
    } finally {
      lock.unlock();
    }
    giveBack(stale);
    if (next != null) {
      launch(next);
    }
  }

  /**
   * Under the lock: takes the first buffered task in claim order that may still start, adding the
   * ones passed over on the way to {@code stale}; null when none is left.
   */
  private ClaimedTask pollStartable(Instant now, List<ClaimedTask> stale) {
    for (ClaimedTask t = buffer.poll(); t != null; t = buffer.poll()) {
      if (startable(t, now)) {
        return t;
      }
      stale.add(t);
    }
    return null;
  }

  /**
   * A claimed task may start while half its lease is left and its deadline has not passed: checked
   * when a claim comes back and again when a buffered task's turn comes.
   */
  private boolean startable(ClaimedTask t, Instant now) {
    return !t.leaseUntil().isBefore(now.plus(minLeaseToStart))
        && (t.deadline().isEmpty() || !t.deadline().get().isBefore(now));
  }

  private List<ClaimedTask> takeBuffer() {
    lock.lock();
    try {
      List<ClaimedTask> all = new ArrayList<>(buffer);
      buffer.clear();
      return all;
    } finally {
      lock.unlock();
    }
  }

  /** Gives tasks claimed ahead back unrun: READY at their own time, the attempt uncounted. */
  private void giveBack(List<ClaimedTask> tasks) {
    for (ClaimedTask t : tasks) {
      completer.giveBack(new Outcome.Released(t.id(), t.leaseToken(), t.runAt()));
    }
  }

  /**
   * Stops claiming, waits for claims under way, and gives back the tasks claimed ahead; running
   * ones go on.
   */
  @Override
  public void close() {
    stopping = true;
    signal.wake();
    try {
      thread.join(Duration.ofSeconds(10));
      // Not interrupted: an interrupted claim may still commit, and tasks claimed but never
      // started would sit leased until rescue.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      lock.lock();
      try {
        while (claimsUnderWay > 0 && System.nanoTime() < end) {
          changed.await(10, TimeUnit.MILLISECONDS);
        }
      } finally {
        lock.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    giveBack(takeBuffer());
  }
}
