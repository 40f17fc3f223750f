package dev.spindle.store.postgres;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.IdempotencyConflictException;
import dev.spindle.core.store.StartOnSubmit;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.task.NewTask;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Writes a batch of new tasks with one statement (the {@code enqueue} query), on whatever
 * connection it is given: the store's own, or a caller's inside the caller's transaction.
 *
 * <p>Repeats of a key inside the batch are resolved here, before anything is written. A key already
 * held by a stored task is detected by the statement ({@code ON CONFLICT DO NOTHING}); its holder
 * is then looked up, and a different fingerprint fails the batch, which the caller rolls back. So a
 * batch with keys must run in a transaction; one without is a single statement.
 */
final class EnqueueStatement {
  private final PostgresQueries queries;
  private final StoreSchema schema;
  private final boolean notify;
  private final QueueAnnouncer announcer;

  EnqueueStatement(
      PostgresQueries queries, StoreSchema schema, boolean notify, QueueAnnouncer announcer) {
    this.queries = queries;
    this.schema = schema;
    this.notify = notify;
    this.announcer = announcer;
  }

  static boolean hasKeys(List<NewTask> tasks) {
    for (NewTask t : tasks) {
      if (t.idempotencyKey().isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a write did.
   *
   * @param enqueued one result per task, in input order
   * @param leaseTokens per task, the lease token it was inserted RUNNING under, 0 if it was not
   * @param claimed per start request (by identity), the tasks claimed for it after the insert
   *     because a stored task of its queue was due (see {@code PostgresTaskStore#claimThrough})
   */
  record Written(
      List<Enqueued> enqueued, long[] leaseTokens, Map<ClaimRequest, List<ClaimedTask>> claimed) {
    Written(List<Enqueued> enqueued, long[] leaseTokens) {
      this(enqueued, leaseTokens, Map.of());
    }

    Written slice(int from, int to) {
      return new Written(
          enqueued.subList(from, to), Arrays.copyOfRange(leaseTokens, from, to), claimed);
    }

    Written withClaimed(Map<ClaimRequest, List<ClaimedTask>> claimed) {
      return new Written(enqueued, leaseTokens, claimed);
    }

    /** The tasks claimed for {@code start} after the insert; empty for null. */
    List<ClaimedTask> claimedFor(ClaimRequest start) {
      List<ClaimedTask> tasks = start == null ? null : claimed.get(start);
      return tasks == null ? List.of() : tasks;
    }

    /**
     * Every task leased for {@code start}, in claim order: those of {@code batch} (what was
     * written, in order) inserted RUNNING and those claimed after the insert.
     */
    List<ClaimedTask> started(List<NewTask> batch, ClaimRequest start) {
      List<ClaimedTask> started = new ArrayList<>(claimedFor(start));
      for (int i = 0; i < batch.size(); i++) {
        if (leaseTokens[i] != 0) {
          started.add(
              StartOnSubmit.started(enqueued.get(i).id(), batch.get(i), start, leaseTokens[i]));
        }
      }
      started.sort(ClaimedTask.CLAIM_ORDER);
      return started;
    }
  }

  /**
   * Writes the batch on {@code c}. In a caller's transaction every queue with due tasks is
   * announced (the notification is delivered only if the caller commits); otherwise the announcer
   * decides, see {@link QueueAnnouncer}.
   */
  List<Enqueued> write(Connection c, List<NewTask> tasks, boolean callersTransaction)
      throws SQLException {
    return write(c, tasks, callersTransaction, null).enqueued();
  }

  /**
   * Writes the batch on {@code c}, inserting RUNNING the tasks whose entry in {@code startPerTask}
   * names a claim to lease them to (see the {@code enqueue_start} query), when no stored task of
   * the queue is due. Only a batch without keys and dependencies starts tasks; null starts none.
   */
  Written write(
      Connection c, List<NewTask> tasks, boolean callersTransaction, ClaimRequest[] startPerTask)
      throws SQLException {
    Enqueued[] results = new Enqueued[tasks.size()];
    Map<String, Integer> firstIndexOfKey = new HashMap<>();
    List<NewTask> toWrite = new ArrayList<>(tasks.size());
    List<Integer> writtenIndex = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      NewTask task = tasks.get(i);
      if (task.idempotencyKey().isPresent()) {
        String key = task.idempotencyKey().get();
        Integer first = firstIndexOfKey.putIfAbsent(key, i);
        if (first != null) {
          if (!tasks.get(first).fingerprint().equals(task.fingerprint())) {
            throw new IdempotencyConflictException(key, -1);
          }
          continue; // resolved below, once the first occurrence has its id
        }
      }
      toWrite.add(task);
      writtenIndex.add(i);
    }
    boolean anyStart = false;
    if (startPerTask != null && !hasKeys(tasks) && !hasDependencies(tasks)) {
      for (ClaimRequest start : startPerTask) {
        anyStart |= start != null;
      }
    }
    boolean starts = anyStart; // then toWrite is tasks, in the same order
    long[] tokens = new long[tasks.size()];
    String[] notifyQueues = new String[0];
    if (notify) {
      // A task that may start is left out: if it does not, its queue has a due task already.
      Set<String> due = dueQueues(toWrite, i -> starts && startPerTask[i] != null);
      notifyQueues = callersTransaction ? due.toArray(String[]::new) : announcer.admit(due);
    }
    Map<String, Integer> taken =
        insert(
            c, toWrite, writtenIndex, notifyQueues, starts ? startPerTask : null, results, tokens);
    if (!taken.isEmpty()) {
      resolveTakenKeys(c, taken, tasks, results);
    }
    for (int i = 0; i < tasks.size(); i++) {
      if (results[i] == null) {
        Enqueued first = results[firstIndexOfKey.get(tasks.get(i).idempotencyKey().get())];
        results[i] = new Enqueued(first.id(), false);
      }
    }
    return new Written(List.of(results), tokens);
  }

  private static boolean hasDependencies(List<NewTask> tasks) {
    for (NewTask t : tasks) {
      if (!t.dependsOn().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Queues that get tasks due at once; a task with dependencies may wait, so it is left out. */
  static Set<String> dueQueues(List<NewTask> tasks) {
    return dueQueues(tasks, i -> false);
  }

  /** {@link #dueQueues(List)} without the tasks at the indexes {@code skip} accepts. */
  static Set<String> dueQueues(List<NewTask> tasks, IntPredicate skip) {
    Set<String> queues = new LinkedHashSet<>();
    for (int i = 0; i < tasks.size(); i++) {
      NewTask t = tasks.get(i);
      if (!skip.test(i) && t.dependsOn().isEmpty() && !t.runAt().isAfter(t.createdAt())) {
        queues.add(t.queue());
      }
    }
    return queues;
  }

  /**
   * Inserts the tasks; returns the keys found taken, with the batch index that asked for each. With
   * {@code starts} (a batch without keys and dependencies, in batch order), fills {@code tokens}
   * for the tasks inserted RUNNING.
   */
  private Map<String, Integer> insert(
      Connection c,
      List<NewTask> tasks,
      List<Integer> batchIndex,
      String[] notifyQueues,
      ClaimRequest[] starts,
      Enqueued[] results,
      long[] tokens)
      throws SQLException {
    int n = tasks.size();
    String[] types = new String[n];
    String[] queues = new String[n];
    String[] payloads = new String[n];
    int[] priorities = new int[n];
    long[] runAts = new long[n];
    Long[] deadlines = new Long[n];
    int[] maxAttempts = new int[n];
    long[] timeouts = new long[n];
    String[] keys = new String[n];
    String[] fingerprints = new String[n];
    long[] createdAts = new long[n];
    List<long[]> deps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NewTask t = tasks.get(i);
      types[i] = t.type();
      queues[i] = t.queue();
      payloads[i] = t.payloadJson();
      priorities[i] = t.priority();
      runAts[i] = t.runAt().toEpochMilli();
      deadlines[i] = t.deadline().map(d -> d.toEpochMilli()).orElse(null);
      maxAttempts[i] = t.maxAttempts();
      timeouts[i] = t.timeout().toMillis();
      keys[i] = t.idempotencyKey().orElse(null);
      fingerprints[i] = t.fingerprint();
      createdAts[i] = t.createdAt().toEpochMilli();
      for (long parent : t.dependsOn()) {
        deps.add(new long[] {i + 1, parent}); // WITH ORDINALITY counts from 1
      }
    }
    long[] depOrds = new long[deps.size()];
    long[] depParents = new long[deps.size()];
    for (int i = 0; i < deps.size(); i++) {
      depOrds[i] = deps.get(i)[0];
      depParents[i] = deps.get(i)[1];
    }
    Map<String, Integer> taken = new HashMap<>();
    boolean plain = deps.isEmpty() && !hasKeys(tasks);
    // Dependencies make the statement look parents up in the hot table: plan it on every
    // execution (for its values, on a caller's DataSource).
    NamedSql sql =
        queries.get(starts != null ? "enqueue_start" : plain ? "enqueue_plain" : "enqueue");
    try (NamedSql.Bound st = sql.prepare(c, !deps.isEmpty())) {
      st.set("types", types)
          .set("queues", queues)
          .set("payloads", payloads)
          .set("priorities", priorities)
          .set("run_ats", runAts)
          .set("deadlines", deadlines)
          .set("max_attempts", maxAttempts)
          .set("timeouts", timeouts)
          .set("fingerprints", fingerprints)
          .set("created_ats", createdAts)
          .set("channel", schema.channel())
          .set("notify_queues", notifyQueues);
      if (!plain) {
        st.set("keys", keys).set("dep_ords", depOrds).set("dep_parents", depParents);
      }
      if (starts != null) {
        bindStarts(st, starts);
      }
      try (ResultSet rs = st.statement().executeQuery()) {
        int i = 0;
        while (rs.next()) {
          long id = rs.getLong(1);
          int index = batchIndex.get(i);
          if (rs.getBoolean(2)) {
            results[index] = new Enqueued(id, true);
          } else {
            taken.put(keys[i], index);
          }
          if (starts != null) {
            tokens[index] = rs.getLong(4); // 0 for SQL null: inserted READY
          }
          i++;
        }
        if (i != n) {
          throw new SQLException("enqueue returned " + i + " rows for " + n + " tasks");
        }
      }
    }
    return taken;
  }

  private static void bindStarts(NamedSql.Bound st, ClaimRequest[] starts) throws SQLException {
    int n = starts.length;
    String[] owners = new String[n];
    Long[] ats = new Long[n];
    Long[] untils = new Long[n];
    for (int i = 0; i < n; i++) {
      ClaimRequest start = starts[i];
      if (start != null) {
        owners[i] = start.workerId();
        ats[i] = start.now().toEpochMilli();
        untils[i] = start.leaseUntil().toEpochMilli();
      }
    }
    st.set("start_owners", owners).set("start_ats", ats).set("start_untils", untils);
  }

  private void resolveTakenKeys(
      Connection c, Map<String, Integer> taken, List<NewTask> tasks, Enqueued[] results)
      throws SQLException {
    try (NamedSql.Bound st = queries.get("find_idempotency_keys").prepare(c)) {
      st.set("keys", taken.keySet().toArray(String[]::new));
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          long holder = rs.getLong(2);
          int index = taken.remove(key);
          if (!rs.getString(3).equals(tasks.get(index).fingerprint())) {
            throw new IdempotencyConflictException(key, holder);
          }
          results[index] = new Enqueued(holder, false);
        }
      }
    }
    if (!taken.isEmpty()) {
      throw new StoreException(
          "idempotency keys "
              + taken.keySet()
              + " were released (their tasks purged) while this batch was written; nothing was"
              + " written, submit the batch again");
    }
  }
}
