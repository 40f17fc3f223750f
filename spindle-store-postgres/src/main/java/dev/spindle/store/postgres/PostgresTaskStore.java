package dev.spindle.store.postgres;

import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.RescueResult;
import dev.spindle.core.store.RetryResult;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multi-node store: many Spindle nodes share one PostgreSQL database (one schema per store).
 *
 * <ul>
 *   <li>Claims use {@code FOR UPDATE SKIP LOCKED}, so nodes never wait for each other's rows and
 *       never receive the same task; lease tokens come from a sequence.
 *   <li>Finished tasks move to a history table in the statement that finishes them, so the hot
 *       table and its indexes hold only waiting and running work however much history is kept.
 *   <li>Concurrent enqueues share one INSERT and one commit (group commit, see {@link
 *       EnqueueCoalescer}): one task per submit scales past one commit per task.
 *   <li>Enqueues NOTIFY the queues that got due tasks; {@link #onTasksAvailable} LISTENs, so idle
 *       nodes wake within milliseconds instead of at their next poll.
 *   <li>Maintenance (rescue, expiry, promotion, purge) runs on one node at a time: the one holding
 *       an advisory lock. On other nodes those calls return nothing.
 *   <li>{@link #enqueue(Connection, List)} writes through a caller's connection, inside the
 *       caller's transaction: the tasks exist if and only if that transaction commits.
 * </ul>
 *
 * <p>Every call is one statement, and so one round trip, except where noted.
 */
public final class PostgresTaskStore implements TaskStore {
  private static final Logger log = LoggerFactory.getLogger(PostgresTaskStore.class);

  private final PostgresStoreOptions options;
  private final StoreSchema schema;
  private final ConnectionSource connections;
  private final StatementRunner runner;
  private final EnqueueStatement enqueue;
  private final EnqueueCoalescer coalescer;
  private final ClaimStatement claim;
  private final CompleteStatement complete;
  private final HeartbeatStatement heartbeat;
  private final MaintenanceStatements maintenance;
  private final OperatorStatements operator;
  private final TaskReads reads;
  private final MaintenanceElection election;
  private final QueueWakeListener listener;
  private final QueueAnnouncer announcer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresTaskStore(
      PostgresStoreOptions options,
      StoreSchema schema,
      ConnectionSource connections,
      StatementRunner runner,
      PostgresQueries queries) {
    this.options = options;
    this.schema = schema;
    this.connections = connections;
    this.runner = runner;
    this.announcer = new QueueAnnouncer(this::announce);
    this.enqueue = new EnqueueStatement(queries, schema, options.notifications(), announcer);
    this.claim = new ClaimStatement(queries, options.maxClaimBatch());
    this.coalescer = new EnqueueCoalescer(options.enqueueWriters(), this::writeShared);
    this.complete = new CompleteStatement(queries);
    this.heartbeat = new HeartbeatStatement(queries);
    this.maintenance = new MaintenanceStatements(queries, schema, options.notifications());
    this.operator = new OperatorStatements(queries);
    this.reads = new TaskReads(queries);
    this.election = new MaintenanceElection(connections, queries, schema);
    this.listener = new QueueWakeListener(connections, queries, schema);
  }

  /**
   * Opens the store in schema {@value PostgresStoreOptions#DEFAULT_SCHEMA} of the database at
   * {@code url}: {@code jdbc:postgresql://host:5432/db?user=u} or {@code
   * postgresql://u:password@host:5432/db}.
   */
  public static PostgresTaskStore open(String url) {
    return open(PostgresStoreOptions.forUrl(url));
  }

  /**
   * Opens the store, creating and migrating its schema if needed.
   *
   * @throws StoreException if the database cannot be reached, is not PostgreSQL 13 or later, or its
   *     schema was migrated by a newer Spindle
   */
  public static PostgresTaskStore open(PostgresStoreOptions options) {
    StoreSchema schema = new StoreSchema(options.schema());
    ConnectionSource connections = ConnectionSource.open(options);
    try {
      PostgresQueries queries = PostgresQueries.forSchema(schema, connections.sessionPinsIndexes());
      connections.checkServer(queries);
      StatementRunner runner = new StatementRunner(connections, options);
      int applied = new PostgresMigrator(queries, schema, options.describe()).migrate(runner);
      if (applied > 0) {
        log.info(
            "applied {} migrations to schema '{}' at {}",
            applied,
            schema.name(),
            options.describe());
      }
      return new PostgresTaskStore(options, schema, connections, runner, queries);
    } catch (RuntimeException e) {
      connections.close();
      throw e;
    }
  }

  /** The options this store was opened with; opening them again reaches the same tasks. */
  public PostgresStoreOptions options() {
    return options;
  }

  /** The enqueue group commit, for tests. */
  EnqueueCoalescer coalescer() {
    return coalescer;
  }

  /** The schema version this Spindle writes. */
  public static int schemaVersion() {
    return PostgresMigrator.latestVersion();
  }

  @Override
  public List<Enqueued> enqueue(List<NewTask> tasks) {
    return enqueueAndStart(tasks, null).enqueued();
  }

  /**
   * Writes the tasks as {@link #enqueue(List)} does, inserting RUNNING the ones {@code start} may
   * lease when no stored task of their queue is due, and otherwise claiming for {@code start} once
   * the insert is committed (see {@link TaskStore#enqueueAndStart} and {@link #claimThrough}); a
   * null {@code start} leases none. A batch with idempotency keys starts none; one with
   * dependencies inserts none RUNNING.
   */
  @Override
  public EnqueueResult enqueueAndStart(List<NewTask> tasks, ClaimRequest start) {
    return enqueueAndStart(tasks, start, started -> {});
  }

  /**
   * As {@link #enqueueAndStart(List, ClaimRequest)}; the enqueue writer hands the started tasks to
   * {@code onStarted} right after its commit, before it wakes this caller.
   */
  @Override
  public EnqueueResult enqueueAndStart(
      List<NewTask> tasks, ClaimRequest start, Consumer<List<ClaimedTask>> onStarted) {
    if (tasks.isEmpty()) {
      onStarted.accept(List.of());
      return new EnqueueResult(List.of(), List.of());
    }
    List<NewTask> batch = List.copyOf(tasks);
    // Without keys nothing can fail after the insert: one statement, committed on its own and
    // shared with concurrent callers'.
    EnqueueStatement.Written written;
    List<ClaimedTask> started;
    if (EnqueueStatement.hasKeys(batch)) {
      written =
          runner.transaction(
              "enqueue " + batch.size() + " tasks", c -> enqueue.write(c, batch, false, null));
      started = List.of(); // a batch with keys starts none
      onStarted.accept(started);
    } else {
      // The writer computes the started tasks once, for the hook, before it wakes this caller.
      AtomicReference<List<ClaimedTask>> handed = new AtomicReference<>();
      written =
          coalescer.enqueue(
              batch,
              start,
              w -> {
                handed.set(w.started(batch, start));
                onStarted.accept(handed.get());
              });
      started = handed.get();
    }
    long[] tokens = written.leaseTokens();
    // Committed: this node's dispatchers may claim the tasks that did not start now. The NOTIFY
    // for other nodes is sent at most once per window per queue (QueueAnnouncer), up to 10 ms
    // after the commit.
    if (options.notifications()) {
      listener.deliverLocally(EnqueueStatement.dueQueues(batch, i -> tokens[i] != 0));
    }
    return new EnqueueResult(written.enqueued(), started);
  }

  /**
   * One write of the enqueue group commit: the insert, committed on its own, then {@link
   * #claimThrough} for the start requests whose queue had a stored task due.
   */
  private EnqueueStatement.Written writeShared(List<NewTask> batch, ClaimRequest[] starts) {
    EnqueueStatement.Written written =
        runner.autocommit(
            "enqueue " + batch.size() + " tasks", c -> enqueue.write(c, batch, false, starts));
    if (starts == null) {
      return written;
    }
    Map<ClaimRequest, List<ClaimedTask>> claimed = claimThrough(starts, written.leaseTokens());
    return claimed.isEmpty() ? written : written.withClaimed(claimed);
  }

  /**
   * Claims, right after the insert, for each start request none of whose tasks started because a
   * stored task of its queue was due: as a claim would, the waiting tasks first, up to the room the
   * requests of one queue and worker hold together. Without it the new tasks would wait READY too,
   * every later submit would find a task due, and the queue would stay on its dispatcher's claims
   * for as long as submits kept coming. A claim that fails leaves the tasks to those claims.
   *
   * @return the tasks claimed per request (by identity); empty if none
   */
  private Map<ClaimRequest, List<ClaimedTask>> claimThrough(ClaimRequest[] starts, long[] tokens) {
    // A request's tasks are adjacent in the batch and start all or none: look at its first one.
    Map<Claimer, List<ClaimRequest>> closed = null;
    ClaimRequest previous = null;
    for (int i = 0; i < starts.length; i++) {
      ClaimRequest start = starts[i];
      if (start == null || start == previous) {
        continue;
      }
      previous = start;
      if (tokens[i] == 0) {
        if (closed == null) {
          closed = new LinkedHashMap<>();
        }
        closed
            .computeIfAbsent(new Claimer(start.queue(), start.workerId()), k -> new ArrayList<>())
            .add(start);
      }
    }
    if (closed == null) {
      return Map.of();
    }
    Map<ClaimRequest, List<ClaimedTask>> claimed = new IdentityHashMap<>();
    closed.forEach((claimer, requests) -> claimFor(claimer, requests, claimed));
    return claimed;
  }

  /** Who a claim for submits leases to: one claim per queue and worker. */
  private record Claimer(String queue, String workerId) {}

  /** One claim for {@code requests}, its tasks handed out in claim order, each up to its room. */
  private void claimFor(
      Claimer claimer, List<ClaimRequest> requests, Map<ClaimRequest, List<ClaimedTask>> claimed) {
    int room = 0;
    ClaimRequest latest = requests.getFirst();
    for (ClaimRequest r : requests) {
      room += r.max();
      if (r.now().isAfter(latest.now())) {
        latest = r;
      }
    }
    ClaimRequest request =
        new ClaimRequest(
            claimer.queue(), claimer.workerId(), room, latest.now(), latest.leaseUntil());
    List<ClaimedTask> tasks;
    try {
      tasks = claim(request);
    } catch (RuntimeException e) {
      log.warn(
          "claiming from queue '{}' for submits failed; its dispatcher will", claimer.queue(), e);
      return;
    }
    int next = 0;
    for (ClaimRequest r : requests) {
      int end = Math.min(tasks.size(), next + r.max());
      claimed.put(r, tasks.subList(next, end));
      next = end;
    }
  }

  /**
   * Writes the tasks through {@code callerConnection}, inside the caller's open transaction, and
   * commits nothing: the tasks exist, and other nodes are notified, if and only if the caller
   * commits. Ids are final at once (a rollback leaves gaps). On failure the caller's transaction is
   * rolled back to where it was before this call and stays usable.
   *
   * <p>The connection must reach the same database as the store and must not be in auto-commit
   * mode. Callers normally build tasks through the engine; this is the store-level entry point.
   *
   * @throws IllegalArgumentException if the connection is in auto-commit mode
   */
  @Override
  public List<Enqueued> enqueue(Connection callerConnection, List<NewTask> tasks) {
    Objects.requireNonNull(callerConnection, "callerConnection");
    if (tasks.isEmpty()) {
      return List.of();
    }
    List<NewTask> batch = List.copyOf(tasks);
    String what = "enqueue " + batch.size() + " tasks in the caller's transaction";
    try {
      if (callerConnection.getAutoCommit()) {
        throw new IllegalArgumentException(
            "enqueue(Connection, tasks) writes inside the caller's transaction, but the connection"
                + " is in auto-commit mode: call setAutoCommit(false) first, then commit or roll"
                + " back yourself");
      }
      Savepoint before = callerConnection.setSavepoint();
      try {
        List<Enqueued> written = enqueue.write(callerConnection, batch, true);
        callerConnection.releaseSavepoint(before);
        return written;
      } catch (SQLException | RuntimeException e) {
        try {
          callerConnection.rollback(before);
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw runner.failure(what, e);
    }
  }

  @Override
  public List<ClaimedTask> claim(ClaimRequest request) {
    return runner.autocommit(
        "claim tasks of queue '" + request.queue() + "'", c -> claim.claim(c, request));
  }

  @Override
  public List<Long> complete(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return List.of();
    }
    return runner.autocommit(
        "complete " + outcomes.size() + " tasks", c -> complete.complete(c, outcomes));
  }

  @Override
  public HeartbeatResult heartbeat(HeartbeatRequest request) {
    if (request.leases().isEmpty()) {
      return new HeartbeatResult(List.of(), List.of());
    }
    return runner.autocommit(
        "renew " + request.leases().size() + " leases of worker '" + request.workerId() + "'",
        c -> heartbeat.heartbeat(c, request));
  }

  /** Runs on the maintenance leader only; elsewhere returns an empty result. */
  @Override
  public RescueResult rescueExpired(Instant now, int limit) {
    if (!leadsMaintenance()) {
      return new RescueResult(List.of(), List.of());
    }
    MaintenanceStatements.Rescued rescued =
        runner.autocommit("rescue expired leases", c -> maintenance.rescueExpired(c, now, limit));
    announce(rescued.queues());
    return rescued.result();
  }

  /** Runs on the maintenance leader only; elsewhere returns 0. */
  @Override
  public int expireOverdue(Instant now, int limit) {
    if (!leadsMaintenance()) {
      return 0;
    }
    return runner.autocommit("expire overdue tasks", c -> maintenance.expireOverdue(c, now, limit));
  }

  /** Runs on the maintenance leader only; elsewhere returns 0. */
  @Override
  public int promoteWaiting(int limit) {
    if (!leadsMaintenance()) {
      return 0;
    }
    MaintenanceStatements.Promoted promoted =
        runner.autocommit("promote waiting tasks", c -> maintenance.promoteWaiting(c, limit));
    announce(promoted.dueQueues());
    return promoted.count();
  }

  @Override
  public List<CancelResult> cancel(List<Long> ids, Instant now) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Long> batch = List.copyOf(ids);
    return runner.autocommit(
        "cancel " + ids.size() + " tasks", c -> operator.cancel(c, batch, now));
  }

  @Override
  public List<RetryResult> retry(List<Long> ids, Instant now) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Long> batch = List.copyOf(ids);
    Set<String> queues = new LinkedHashSet<>();
    List<RetryResult> results =
        runner.autocommit(
            "retry " + ids.size() + " tasks", c -> operator.retry(c, batch, now, queues));
    announce(queues);
    return results;
  }

  @Override
  public List<TaskInfo> get(List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Long> batch = List.copyOf(ids);
    return runner.autocommit("get " + ids.size() + " tasks", c -> reads.get(c, batch));
  }

  @Override
  public Page<TaskInfo> list(TaskFilter filter, PageRequest page) {
    return runner.autocommit("list tasks", c -> reads.list(c, filter, page));
  }

  @Override
  public List<QueueStats> stats(Instant now) {
    return runner.autocommit("read queue stats", c -> reads.stats(c, now));
  }

  /** Runs on the maintenance leader only; elsewhere returns 0. */
  @Override
  public int purgeFinished(Instant cutoff, int limit) {
    if (!leadsMaintenance()) {
      return 0;
    }
    return runner.autocommit(
        "purge finished tasks", c -> maintenance.purgeFinished(c, cutoff, limit));
  }

  /**
   * Calls {@code queueListener} with a queue's name when tasks of that queue became due through a
   * write on any node: a submit, a retry, a promotion or a rescue. Calls are hints, coalesced per
   * queue: they may come late, twice, or not at all (while the listening connection reconnects), so
   * a dispatcher keeps polling as well. The listener runs on the store's listening thread, or, for
   * this store's own submits, on the submitting thread right after the commit; it must be quick.
   * With {@link PostgresStoreOptions#notifications()} off it is never called.
   */
  @Override
  public Subscription onTasksAvailable(Consumer<String> queueListener) {
    Objects.requireNonNull(queueListener, "queueListener");
    if (!options.notifications() || closed.get()) {
      return () -> {};
    }
    Runnable unsubscribe = listener.subscribe(queueListener);
    return unsubscribe::run;
  }

  /** Waits until the store listens for notifications; for tests. */
  boolean awaitListening(Duration max) throws InterruptedException {
    return listener.awaitListening(max);
  }

  /** The server process of the maintenance lock connection, or -1; for tests. */
  int maintenanceBackendPid() {
    try {
      return election.backendPid();
    } catch (SQLException e) {
      return -1;
    }
  }

  /** True if this instance holds the maintenance lock (acquiring it if free). */
  public boolean leadsMaintenance() {
    try {
      return election.isLeader();
    } catch (SQLException e) {
      throw runner.failure("check which node runs maintenance", e);
    }
  }

  /** Wakes listening nodes for queues that got due tasks; a lost notification only costs a poll. */
  private void announce(Set<String> queues) {
    if (queues.isEmpty() || !options.notifications()) {
      return;
    }
    try {
      runner.autocommit(
          "notify queues " + queues,
          c -> {
            maintenance.notifyQueues(c, queues);
            return null;
          });
    } catch (StoreException e) {
      log.debug("could not notify queues {}; nodes will find their tasks by polling", queues, e);
    }
  }

  /** Stops listening, gives up the maintenance lock, and closes the store's own pool. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    coalescer.close();
    runner.close();
    try {
      announcer.close();
      listener.close();
      election.close();
    } finally {
      connections.close();
    }
  }

  @Override
  public String toString() {
    return "PostgresTaskStore[schema " + schema.name() + " at " + options.describe() + "]";
  }
}
