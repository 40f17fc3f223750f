package dev.spindle.store.sqlite;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.IdempotencyConflictException;
import dev.spindle.core.store.StartOnSubmit;
import dev.spindle.core.task.NewTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a batch of new tasks, all or nothing, resolving idempotency keys first.
 *
 * <p>Keys are looked up before anything is inserted so a conflict is reported with the id that
 * holds the key; the unique index on the key still guards the invariant if a lookup were wrong.
 *
 * <p>With a {@code start} request (see {@link dev.spindle.core.store.TaskStore#enqueueAndStart}),
 * new due tasks of its queue are inserted already RUNNING under a lease, when no stored task of the
 * queue is due: that costs one index probe instead of a claim's search, row update and index
 * changes, and the task starts one commit earlier. When a stored task is due, the new tasks are
 * inserted READY and the request claims, in the same transaction, as a claim would: the waiting
 * tasks first, so the queue drains and later submits start their tasks again.
 */
final class EnqueueWrite implements WriteOp<EnqueueResult> {
  private final List<NewTask> tasks;
  private final ClaimRequest start;

  /**
   * @param start who may get new tasks leased at once, and until when; null to lease none
   */
  EnqueueWrite(List<NewTask> tasks, ClaimRequest start) {
    this.tasks = tasks;
    this.start = start;
  }

  /** It makes READY only tasks it inserts, and then forgets the probes. */
  @Override
  public boolean keepsDueProbes() {
    return true;
  }

  @Override
  public EnqueueResult apply(WriterSession session) throws SQLException {
    Enqueued[] results = new Enqueued[tasks.size()];
    Map<String, Integer> firstIndexOfKey = new HashMap<>();
    List<Integer> toInsert = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      NewTask task = tasks.get(i);
      if (task.idempotencyKey().isEmpty()) {
        toInsert.add(i);
        continue;
      }
      String key = task.idempotencyKey().get();
      Integer first = firstIndexOfKey.putIfAbsent(key, i);
      if (first != null) {
        if (!tasks.get(first).fingerprint().equals(task.fingerprint())) {
          throw new IdempotencyConflictException(key, -1);
        }
        continue; // resolved below, once the first occurrence has its id
      }
      Enqueued existing = findExisting(session, key, task.fingerprint());
      if (existing != null) {
        results[i] = existing;
      } else {
        toInsert.add(i);
      }
    }
    List<ClaimedTask> started = insert(session, toInsert, results);
    for (int i = 0; i < tasks.size(); i++) {
      if (results[i] == null) {
        Enqueued first = results[firstIndexOfKey.get(tasks.get(i).idempotencyKey().get())];
        results[i] = new Enqueued(first.id(), false);
      }
    }
    return new EnqueueResult(List.of(results), started);
  }

  private static Enqueued findExisting(WriterSession session, String key, String fingerprint)
      throws SQLException {
    PreparedStatement find = session.statement("find_by_idempotency_key");
    find.setString(1, key);
    try (ResultSet rs = find.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      long id = rs.getLong(1);
      if (!rs.getString(2).equals(fingerprint)) {
        throw new IdempotencyConflictException(key, id);
      }
      return new Enqueued(id, false);
    }
  }

  /**
   * Inserts the tasks at {@code indexes}; returns those inserted RUNNING for {@link #start}, or the
   * tasks it claimed after the insert when a stored task of its queue was due.
   */
  private List<ClaimedTask> insert(WriterSession session, List<Integer> indexes, Enqueued[] results)
      throws SQLException {
    if (indexes.isEmpty()) {
      return List.of();
    }
    boolean[] waits = new boolean[tasks.size()];
    for (int i : indexes) {
      results[i] = new Enqueued(session.nextTaskId(), true);
      waits[i] = waitsForAny(session, tasks.get(i).dependsOn());
    }
    List<Integer> chosen = startable(indexes, waits);
    // A claim would take a stored due task first: then insert READY and claim after the insert.
    boolean claimThrough = !chosen.isEmpty() && queueHasDueTask(session);
    Set<Integer> toStart = claimThrough ? Set.of() : new HashSet<>(chosen);
    long token = toStart.isEmpty() ? 0 : session.nextLeaseToken();
    long leaseUntil = toStart.isEmpty() ? 0 : TaskRows.millis(start.leaseUntil());
    long startedAt = toStart.isEmpty() ? 0 : TaskRows.millis(start.now());
    PreparedStatement insert = null;
    PreparedStatement insertStarted = null;
    List<ClaimedTask> started = new ArrayList<>(toStart.size());
    for (int i : indexes) {
      NewTask task = tasks.get(i);
      long id = results[i].id();
      if (toStart.contains(i)) {
        if (insertStarted == null) {
          insertStarted = session.statement("insert_started");
          insertStarted.clearBatch();
        }
        bindTask(insertStarted, id, task);
        insertStarted.setString(13, start.workerId());
        insertStarted.setLong(14, token);
        insertStarted.setLong(15, leaseUntil);
        insertStarted.setLong(16, startedAt);
        insertStarted.addBatch();
        session.leases().granted(id, token, leaseUntil);
        started.add(StartOnSubmit.started(id, task, start, token));
        continue;
      }
      if (insert == null) {
        insert = session.statement("insert");
        insert.clearBatch();
      }
      bindTask(insert, id, task);
      insert.setString(13, waits[i] ? "WAITING" : "READY");
      if (!waits[i] && !task.runAt().isAfter(task.createdAt())) {
        session.tasksDue(task.queue());
      }
      insert.addBatch();
    }
    if (insert != null) {
      session.forgetDueProbes();
      WriterSession.executeBatch(insert);
    }
    if (insertStarted != null) {
      WriterSession.executeBatch(insertStarted);
    }
    insertDependencies(session, indexes, results);
    if (claimThrough) {
      return new ClaimWrite(start).apply(session);
    }
    started.sort(ClaimedTask.CLAIM_ORDER);
    return started;
  }

  /**
   * The indexes of the new tasks that may be inserted RUNNING: up to {@code start.max()} of those a
   * claim at {@code start.now()} could take, in claim order.
   */
  private List<Integer> startable(List<Integer> indexes, boolean[] waits) {
    if (start == null) {
      return List.of();
    }
    boolean[] inserted = new boolean[tasks.size()];
    indexes.forEach(i -> inserted[i] = true);
    return StartOnSubmit.choose(tasks, start, i -> inserted[i] && !waits[i]);
  }

  private boolean queueHasDueTask(WriterSession session) throws SQLException {
    long now = TaskRows.millis(start.now());
    if (session.knownNoDueTask(start.queue(), now)) {
      return false;
    }
    PreparedStatement probe = session.statement("queue_has_due_task");
    probe.setString(1, start.queue());
    probe.setLong(2, now);
    try (ResultSet rs = probe.executeQuery()) {
      if (rs.next()) {
        return true;
      }
    }
    session.noDueTask(start.queue(), now);
    return false;
  }

  /** Binds the columns both inserts share, parameters 1 to 12. */
  private static void bindTask(PreparedStatement insert, long id, NewTask task)
      throws SQLException {
    insert.setLong(1, id);
    insert.setString(2, task.type());
    insert.setString(3, task.queue());
    insert.setInt(4, task.priority());
    insert.setString(5, task.payloadJson());
    insert.setInt(6, task.maxAttempts());
    insert.setLong(7, TaskRows.millis(task.createdAt()));
    insert.setLong(8, TaskRows.millis(task.runAt()));
    TaskRows.setOptionalMillis(insert, 9, task.deadline());
    insert.setLong(10, task.timeout().toMillis());
    TaskRows.setOptionalString(insert, 11, task.idempotencyKey());
    insert.setString(12, task.fingerprint());
  }

  private static boolean waitsForAny(WriterSession session, List<Long> parents)
      throws SQLException {
    if (parents.isEmpty()) {
      return false;
    }
    PreparedStatement count = session.statement("count_unfinished");
    count.setString(1, TaskRows.jsonArray(parents));
    try (ResultSet rs = count.executeQuery()) {
      return rs.next() && rs.getLong(1) > 0;
    }
  }

  private void insertDependencies(WriterSession session, List<Integer> indexes, Enqueued[] results)
      throws SQLException {
    PreparedStatement dep = null;
    for (int i : indexes) {
      for (long parent : tasks.get(i).dependsOn()) {
        if (dep == null) {
          dep = session.statement("insert_dependency");
          dep.clearBatch();
        }
        dep.setLong(1, results[i].id());
        dep.setLong(2, parent);
        dep.addBatch();
      }
    }
    if (dep != null) {
      WriterSession.executeBatch(dep);
    }
  }
}
