package dev.spindle.store.sqlite;

import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.IdempotencyConflictException;
import dev.spindle.core.task.NewTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch of new tasks, all or nothing, resolving idempotency keys first.
 *
 * <p>Keys are looked up before anything is inserted so a conflict is reported with the id that
 * holds the key; the unique index on the key still guards the invariant if a lookup were wrong.
 */
final class EnqueueWrite implements WriteOp<List<Enqueued>> {
  private final List<NewTask> tasks;

  EnqueueWrite(List<NewTask> tasks) {
    this.tasks = tasks;
  }

  @Override
  public List<Enqueued> apply(WriterSession session) throws SQLException {
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
    insert(session, toInsert, results);
    for (int i = 0; i < tasks.size(); i++) {
      if (results[i] == null) {
        Enqueued first = results[firstIndexOfKey.get(tasks.get(i).idempotencyKey().get())];
        results[i] = new Enqueued(first.id(), false);
      }
    }
    return List.of(results);
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

  private void insert(WriterSession session, List<Integer> indexes, Enqueued[] results)
      throws SQLException {
    if (indexes.isEmpty()) {
      return;
    }
    PreparedStatement insert = session.statement("insert");
    insert.clearBatch();
    for (int i : indexes) {
      NewTask task = tasks.get(i);
      long id = session.nextTaskId();
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
      boolean waits = waitsForAny(session, task.dependsOn());
      insert.setString(13, waits ? "WAITING" : "READY");
      if (!waits && !task.runAt().isAfter(task.createdAt())) {
        session.tasksDue(task.queue());
      }
      insert.addBatch();
      results[i] = new Enqueued(id, true);
    }
    WriterSession.executeBatch(insert);
    insertDependencies(session, indexes, results);
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
