package dev.spindle.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.core.engine.Engine;
import dev.spindle.core.engine.NewTaskFactory;
import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.RetryResult;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A Spindle instance: submits tasks to a store and, for the queues it was given, runs their
 * handlers on virtual threads.
 *
 * <pre>{@code
 * try (Spindle spindle = Spindle.builder()
 *         .store(SqliteTaskStore.open(Path.of("tasks.db")))
 *         .handler("email", Email.class, (email, ctx) -> mailer.send(email))
 *         .queue("default", 64)
 *         .build()
 *         .start()) {
 *   long id = spindle.submit(TaskRequest.of("email", new Email("a@b.c", "hi")));
 * }
 * }</pre>
 *
 * <p>Delivery is at least once. {@link #close()} stops claiming, lets running tasks finish up to
 * the shutdown timeout, gives the rest back to the queue, and closes the store.
 */
public final class Spindle implements AutoCloseable {
  private final TaskStore store;
  private final Clock clock;
  private final ObjectMapper json;
  private final NewTaskFactory factory;
  private final Engine engine;
  private final SpindleListener listener;
  private final Duration shutdownTimeout;
  private final Set<String> taskTypes;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  Spindle(
      TaskStore store,
      Clock clock,
      ObjectMapper json,
      NewTaskFactory factory,
      Engine engine,
      SpindleListener listener,
      Duration shutdownTimeout,
      Set<String> taskTypes) {
    this.taskTypes = Collections.unmodifiableSet(new TreeSet<>(taskTypes));
    this.store = store;
    this.clock = clock;
    this.json = json;
    this.factory = factory;
    this.engine = engine;
    this.listener = listener;
    this.shutdownTimeout = shutdownTimeout;
  }

  public static SpindleBuilder builder() {
    return new SpindleBuilder();
  }

  /** Starts the workers and background services. Idempotent. */
  public Spindle start() {
    if (closed.get()) {
      throw new IllegalStateException("this Spindle instance is closed; build a new one");
    }
    if (started.compareAndSet(false, true)) {
      engine.start();
    }
    return this;
  }

  /**
   * Submits one task and returns its id once the task is durably stored.
   *
   * @throws InvalidTaskException if the request is invalid; nothing is written
   * @throws dev.spindle.core.store.IdempotencyConflictException if its idempotency key belongs to a
   *     different task
   */
  public long submit(TaskRequest request) {
    return submitAll(List.of(request)).get(0);
  }

  /** Submits a task of {@code type} with the type's defaults. */
  public long submit(String type, Object payload) {
    return submit(TaskRequest.of(type, payload));
  }

  /**
   * Submits tasks all or nothing: every request is validated before anything is written, and the
   * batch is written in one transaction.
   *
   * @return ids in request order
   */
  public List<Long> submitAll(List<TaskRequest> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    List<NewTask> tasks = validate(requests);
    ClaimRequest start = reserveStart(tasks);
    if (start == null) {
      return written(tasks, store.enqueue(tasks), true, List.of());
    }
    // The store may answer the reservation on its own thread right after its commit, so the
    // started tasks need not wait for this thread to be woken; whoever answers first answers.
    AtomicBoolean answered = new AtomicBoolean();
    Consumer<List<ClaimedTask>> answer =
        started -> {
          if (answered.compareAndSet(false, true)) {
            engine.startedOnSubmit(start, started);
          }
        };
    List<ClaimedTask> started = List.of();
    try {
      EnqueueResult result = store.enqueueAndStart(tasks, start, answer);
      started = result.started();
      return written(tasks, result.enqueued(), true, started);
    } finally {
      answer.accept(started);
    }
  }

  /**
   * Room in this node's dispatcher of the first task's queue for the batch's due tasks of that
   * queue to start from the submit itself, or null.
   */
  private ClaimRequest reserveStart(List<NewTask> tasks) {
    String queue = tasks.get(0).queue();
    Instant now = clock.instant();
    int due = 0;
    for (NewTask t : tasks) {
      if (t.queue().equals(queue) && isDue(t, now)) {
        due++;
      }
    }
    return due == 0 ? null : engine.reserveStart(queue, due);
  }

  private static boolean isDue(NewTask t, Instant now) {
    return !t.runAt().isAfter(now) && t.dependsOn().isEmpty();
  }

  /**
   * Submits tasks inside the caller's own database transaction: they exist, and run, if and only if
   * the caller commits {@code connection}. Needs a store that keeps tasks in that database
   * (PostgreSQL); the connection must not be in auto-commit mode.
   *
   * @return ids in request order (a rolled-back transaction leaves them unused)
   * @throws UnsupportedOperationException if the store cannot join a caller's transaction
   */
  public List<Long> submitAll(java.sql.Connection connection, List<TaskRequest> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    List<NewTask> tasks = validate(requests);
    // Not woken here: the tasks are invisible until the caller commits; the store announces them.
    return written(tasks, store.enqueue(connection, tasks), false, List.of());
  }

  private List<NewTask> validate(List<TaskRequest> requests) {
    List<NewTask> tasks = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      try {
        tasks.add(factory.create(requests.get(i)));
      } catch (InvalidTaskException e) {
        if (requests.size() == 1) {
          throw e;
        }
        throw new InvalidTaskException("tasks[" + i + "]." + e.field(), e.getMessage(), e);
      }
    }
    checkDependenciesExist(tasks);
    return tasks;
  }

  /**
   * The ids of what was written; wakes this node's dispatchers of queues with new due tasks, unless
   * every one of them was {@code started} by the submit already.
   */
  private List<Long> written(
      List<NewTask> tasks, List<Enqueued> written, boolean wake, List<ClaimedTask> started) {
    List<Long> ids = new ArrayList<>(written.size());
    Map<String, Integer> due = new HashMap<>();
    Map<List<String>, Integer> createdByQueueAndType = new LinkedHashMap<>();
    Instant now = clock.instant();
    for (int i = 0; i < written.size(); i++) {
      ids.add(written.get(i).id());
      NewTask t = tasks.get(i);
      if (written.get(i).created()) {
        createdByQueueAndType.merge(List.of(t.queue(), t.type()), 1, Integer::sum);
        if (isDue(t, now)) {
          due.merge(t.queue(), 1, Integer::sum);
        }
      }
    }
    if (!started.isEmpty()) {
      // Started may hold tasks that were waiting before (claimed for the submit), not these.
      Set<Long> own = new HashSet<>(ids);
      for (ClaimedTask t : started) {
        if (own.contains(t.id())) {
          due.merge(t.queue(), -1, Integer::sum);
        }
      }
    }
    if (wake) {
      due.forEach(
          (queue, waiting) -> {
            if (waiting > 0) {
              engine.wake(queue);
            }
          });
    }
    createdByQueueAndType.forEach((qt, n) -> listener.submitted(qt.get(0), qt.get(1), n));
    return ids;
  }

  /** Refuses a batch naming a task to wait for that does not exist; nothing is written then. */
  private void checkDependenciesExist(List<NewTask> tasks) {
    Set<Long> wanted = new LinkedHashSet<>();
    for (NewTask t : tasks) {
      wanted.addAll(t.dependsOn());
    }
    if (wanted.isEmpty()) {
      return;
    }
    for (TaskInfo found : store.get(List.copyOf(wanted))) {
      wanted.remove(found.id());
    }
    if (wanted.isEmpty()) {
      return;
    }
    for (int i = 0; i < tasks.size(); i++) {
      List<Long> missing = tasks.get(i).dependsOn().stream().filter(wanted::contains).toList();
      if (!missing.isEmpty()) {
        String field = tasks.size() == 1 ? "dependsOn" : "tasks[" + i + "].dependsOn";
        throw new InvalidTaskException(
            field,
            "names tasks that do not exist: "
                + missing.stream().limit(10).toList()
                + (missing.size() > 10 ? " and " + (missing.size() - 10) + " more" : ""));
      }
    }
  }

  /** The tasks as stored now, in the order asked; unknown ids are left out. */
  public List<TaskInfo> get(List<Long> ids) {
    Instant now = clock.instant();
    return store.get(ids).stream().map(t -> t.asOf(now)).toList();
  }

  /** The task types this instance has handlers for, sorted. */
  public Set<String> taskTypes() {
    return taskTypes;
  }

  /** The queues this instance runs, sorted. */
  public Set<String> queueNames() {
    return new TreeSet<>(engine.busy().keySet());
  }

  /** The JSON mapper used for payloads and results. */
  public ObjectMapper objectMapper() {
    return json;
  }

  /** The task as stored now, with SCHEDULED for a READY task that is not due yet. */
  public Optional<TaskInfo> get(long id) {
    Instant now = clock.instant();
    return store.get(id).map(t -> t.asOf(now));
  }

  /** The result of a SUCCEEDED task, decoded from JSON. */
  public <R> Optional<R> result(long id, Class<R> type) {
    Optional<String> raw = store.get(id).flatMap(TaskInfo::resultJson);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(json.readValue(raw.get(), type));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "result of task " + id + " cannot be read as " + type.getName(), e);
    }
  }

  public Page<TaskInfo> list(TaskFilter filter, PageRequest page) {
    Page<TaskInfo> raw = store.list(filter, page);
    return new Page<>(
        raw.items().stream().map(t -> t.asOf(filter.now())).toList(), raw.nextCursor());
  }

  /** Lists with a filter evaluated at the current time. */
  public Page<TaskInfo> list(PageRequest page) {
    return list(TaskFilter.all(clock.instant()), page);
  }

  /**
   * Cancels a task: a waiting one at once; a running one is asked to stop (its handler sees {@link
   * TaskContext#isCancelled()}), and becomes CANCELLED if it then stops by throwing.
   */
  public CancelResult cancel(long id) {
    CancelResult r = store.cancel(List.of(id), clock.instant()).get(0);
    if (r == CancelResult.CANCEL_REQUESTED) {
      engine.cancelLocal(id);
    }
    return r;
  }

  /** Runs a DEAD, CANCELLED or EXPIRED task again, with a fresh attempt budget. */
  public RetryResult retry(long id) {
    Optional<TaskInfo> before = store.get(id);
    RetryResult r = store.retry(List.of(id), clock.instant()).get(0);
    if (r == RetryResult.REQUEUED) {
      before.ifPresent(t -> engine.wake(t.queue()));
    }
    return r;
  }

  public List<QueueStats> stats() {
    return store.stats(clock.instant());
  }

  /** Stops claiming from a queue on this instance; running tasks go on. */
  public boolean pause(String queue) {
    return engine.pause(queue);
  }

  public boolean resume(String queue) {
    return engine.resume(queue);
  }

  /** True if the queue is paused on this instance. */
  public boolean isPaused(String queue) {
    return engine.isPaused(queue);
  }

  /** Tasks running on this instance, by queue. */
  public Map<String, Integer> busy() {
    return engine.busy();
  }

  /**
   * Tasks this instance claimed ahead and holds, not started yet, by queue. They are leased, so the
   * store shows them RUNNING; they start in claim order as slots free up.
   */
  public Map<String, Integer> held() {
    return engine.held();
  }

  /**
   * Waits until the task reaches a final state (SUCCEEDED, DEAD, CANCELLED, EXPIRED).
   *
   * @throws TimeoutException if it has not by then
   * @throws IllegalArgumentException if no such task exists
   */
  public TaskInfo awaitFinal(long id, Duration timeout)
      throws InterruptedException, TimeoutException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      CompletableFuture<Void> signal = engine.finishSignal(id);
      try {
        TaskInfo t =
            get(id).orElseThrow(() -> new IllegalArgumentException("no task with id " + id));
        if (t.state().isFinal()) {
          return t;
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("task " + id + " is still " + t.state() + " after " + timeout);
        }
        try {
          // Woken at once when the task finishes here; polled when it runs elsewhere.
          signal.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // read the store again
        }
      } finally {
        engine.forgetFinishSignal(id, signal);
      }
    }
  }

  /** Claims due tasks now rather than at the next poll: for tests and operators. */
  public void pollNow() {
    engine.wakeAll();
  }

  /** Runs one heartbeat round now, on this thread: for tests and operators. */
  public void heartbeatNow() {
    engine.heartbeatNow();
  }

  /** Checks timeouts and self-expired leases now, on this thread: for tests and operators. */
  public void watchdogNow() {
    engine.watchdogNow();
  }

  /**
   * Runs lease rescue, deadline expiry, promotion of waiting tasks and retention purge now, on this
   * thread.
   */
  public void maintainNow() {
    engine.maintainNow();
  }

  /** Attempts running on this instance. */
  public int running() {
    return engine.running();
  }

  public TaskStore store() {
    return store;
  }

  /** Graceful: stop claiming, finish or release running tasks, close the store. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (started.get()) {
      engine.close(shutdownTimeout);
    }
    store.close();
  }
}
