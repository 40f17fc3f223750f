package dev.spindle.core.store;

import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one seam between the engine and durable storage.
 *
 * <p>Every call is one atomic unit and takes or returns a batch. A store never reads a clock and
 * never makes a policy decision: times, lease lengths, backoff and limits arrive as parameters, so
 * the contract suite in {@code spindle-testkit} can drive any store through time without sleeping.
 *
 * <p>Fencing: every change to a RUNNING task (heartbeat, completion, rescue) is conditional on the
 * lease token handed out by the claim, so a worker that lost its lease cannot change the task.
 *
 * <p>Implementations are thread-safe.
 */
public interface TaskStore extends AutoCloseable {

  /**
   * Writes the tasks, all or nothing. A task whose idempotency key already exists with the same
   * fingerprint yields the existing id ({@link Enqueued#created()} false); with a different
   * fingerprint the whole batch fails with {@link IdempotencyConflictException}. Repeats of one key
   * inside the batch are treated the same way.
   *
   * <p>A task with {@link NewTask#dependsOn()} is stored WAITING while any of those tasks exists
   * and is not final, READY otherwise; the store remembers the ids for {@link
   * TaskInfo#dependsOn()}.
   *
   * @return one result per input task, in input order
   */
  List<Enqueued> enqueue(List<NewTask> tasks);

  /**
   * Writes the tasks as {@link #enqueue(List)} does and may lease tasks of queue {@code
   * start.queue()} to the worker that is about to ask for them anyway, up to {@code start.max()}:
   *
   * <ul>
   *   <li>when no task stored before them is due in that queue, new tasks that are READY and due at
   *       {@code start.now()}, taken in claim order, in the same transaction;
   *   <li>otherwise, once the tasks are written, what {@link #claim} with {@code start} would take:
   *       the waiting tasks first, so a new task never starts ahead of one already waiting.
   * </ul>
   *
   * A leased task is RUNNING exactly as if {@link #claim} had returned it: one attempt counted, a
   * fresh lease token greater than every earlier one, the lease ending at {@code
   * start.leaseUntil()}.
   *
   * <p>Why: a task submitted to an idle queue then starts once its insert is durable, instead of
   * after a wake-up, a claim and a second commit; and a queue where tasks wait drains from the
   * submits as well, so its later submits start their tasks again. The default leases nothing.
   */
  default EnqueueResult enqueueAndStart(List<NewTask> tasks, ClaimRequest start) {
    return new EnqueueResult(enqueue(tasks), List.of());
  }

  /**
   * As {@link #enqueueAndStart(List, ClaimRequest)}, and hands the leased tasks (the result's
   * {@link EnqueueResult#started()}) to {@code onStarted} once they are committed: a store may call
   * it on its own thread before this method returns, so the tasks start while the caller's thread
   * is still being woken. It is called exactly once when this method returns normally, and at most
   * once when it throws; it must not block or call the store. The default calls it on the caller's
   * thread once the tasks are written.
   */
  default EnqueueResult enqueueAndStart(
      List<NewTask> tasks, ClaimRequest start, Consumer<List<ClaimedTask>> onStarted) {
    EnqueueResult result = enqueueAndStart(tasks, start);
    onStarted.accept(result.started());
    return result;
  }

  /**
   * Writes the tasks through the caller's own JDBC connection, inside the caller's open
   * transaction, and commits nothing: the tasks exist if and only if the caller commits. Only
   * stores that keep tasks in the caller's database can do this.
   *
   * @throws UnsupportedOperationException if this store cannot join a caller's transaction
   * @throws IllegalArgumentException if the connection is in auto-commit mode
   */
  default List<Enqueued> enqueue(Connection callerConnection, List<NewTask> tasks) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName()
            + " cannot write tasks inside a caller's transaction; use a store that keeps tasks in"
            + " your database (PostgresTaskStore)");
  }

  /**
   * Leases up to {@code max} due READY tasks of one queue to a worker: highest priority first, then
   * earliest {@code runAt}, then lowest id. A task whose deadline has passed is never claimed; the
   * store marks it EXPIRED instead. Each claim counts one attempt and carries a fresh lease token
   * that is greater than every token handed out before by this store.
   */
  List<ClaimedTask> claim(ClaimRequest request);

  /**
   * Applies outcomes of attempts. Each outcome is applied only if the task is still RUNNING under
   * the outcome's lease token.
   *
   * @return ids whose outcome was refused because the lease was no longer held (fenced)
   */
  List<Long> complete(List<Outcome> outcomes);

  /** Extends the leases the worker still holds and records progress. */
  HeartbeatResult heartbeat(HeartbeatRequest request);

  /**
   * Returns RUNNING tasks whose lease ended before {@code now} to READY, or to DEAD when their last
   * attempt was the one that was lost. The attempt stays counted.
   */
  RescueResult rescueExpired(Instant now, int limit);

  /**
   * Marks READY and WAITING tasks whose deadline is before {@code now} as EXPIRED; returns how
   * many.
   */
  int expireOverdue(Instant now, int limit);

  /**
   * Makes WAITING tasks READY once every task they depend on is final or no longer exists.
   *
   * @return how many tasks became READY (at most {@code limit})
   */
  int promoteWaiting(int limit);

  /**
   * Cancels tasks: a WAITING or READY task becomes CANCELLED at once; a RUNNING one gets its cancel
   * flag set, which the holder of the lease learns from its next heartbeat.
   *
   * @return one result per id, in input order
   */
  List<CancelResult> cancel(List<Long> ids, Instant now);

  /**
   * Puts DEAD, CANCELLED or EXPIRED tasks back to READY at {@code now} with a fresh attempt budget
   * and no deadline.
   *
   * @return one result per id, in input order
   */
  List<RetryResult> retry(List<Long> ids, Instant now);

  /** Reads tasks by id; unknown ids are absent from the result. Stored states only. */
  List<TaskInfo> get(List<Long> ids);

  default Optional<TaskInfo> get(long id) {
    return get(List.of(id)).stream().findFirst();
  }

  /** Lists tasks matching the filter, highest id first. */
  Page<TaskInfo> list(TaskFilter filter, PageRequest page);

  /** Counts per queue and state; SCHEDULED is counted apart from READY as of {@code now}. */
  List<QueueStats> stats(Instant now);

  /** Deletes SUCCEEDED, CANCELLED and EXPIRED tasks that finished before {@code cutoff}. */
  int purgeFinished(Instant cutoff, int limit);

  /** Stops the calls of a listener registered with {@link #onTasksAvailable}. Idempotent. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Calls {@code queueListener} with a queue's name when tasks of that queue may have become due
   * through a write made elsewhere (another node's submit, a retry, a promotion, a rescue), so an
   * idle dispatcher claims at once instead of at its next poll. Calls are hints: they may come
   * late, twice or not at all, so dispatchers keep polling. The listener runs on a store thread,
   * must be quick and must not throw. Stores without such a channel keep this default.
   */
  default Subscription onTasksAvailable(Consumer<String> queueListener) {
    return () -> {};
  }

  /** Releases resources. Idempotent. */
  @Override
  void close();
}
