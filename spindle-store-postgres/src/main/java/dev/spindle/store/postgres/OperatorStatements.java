package dev.spindle.store.postgres;

import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.RetryResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Cancel and retry by hand, one result per id in input order. */
final class OperatorStatements {
  /**
   * Rounds of cancel for ids a concurrent change moved between states while a round ran (a READY
   * task claimed meanwhile is neither cancelled nor flagged by that round).
   */
  private static final int CANCEL_ROUNDS = 3;

  private final PostgresQueries queries;

  OperatorStatements(PostgresQueries queries) {
    this.queries = queries;
  }

  List<CancelResult> cancel(Connection c, List<Long> ids, Instant now) throws SQLException {
    Map<Long, CancelResult> decided = new HashMap<>();
    Set<Long> open = new LinkedHashSet<>(ids);
    for (int round = 1; !open.isEmpty(); round++) {
      try (NamedSql.Bound st = queries.get("cancel").prepare(c)) {
        st.set("ids", sortedArray(open)).set("now", now.toEpochMilli());
        try (ResultSet rs = st.statement().executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            decided.put(id, CancelResult.valueOf(rs.getString(2)));
            open.remove(id);
          }
        }
      }
      Map<Long, Boolean> where = locate(c, open);
      for (var it = open.iterator(); it.hasNext(); ) {
        long id = it.next();
        Boolean finished = where.get(id);
        if (finished == null) {
          decided.put(id, CancelResult.NOT_FOUND);
          it.remove();
        } else if (finished || round == CANCEL_ROUNDS) {
          decided.put(id, CancelResult.ALREADY_FINISHED);
          it.remove();
        }
      }
    }
    List<CancelResult> results = new ArrayList<>(ids.size());
    for (long id : ids) {
      results.add(decided.get(id));
    }
    return results;
  }

  /** Retried tasks; {@code queues} receives the queue of each task made READY. */
  List<RetryResult> retry(Connection c, List<Long> ids, Instant now, Set<String> queues)
      throws SQLException {
    Set<Long> requeued = new LinkedHashSet<>();
    try (NamedSql.Bound st = queries.get("retry").prepare(c)) {
      st.set("ids", sortedArray(ids)).set("now", now.toEpochMilli());
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          requeued.add(rs.getLong(1));
          queues.add(rs.getString(2));
        }
      }
    }
    Set<Long> others = new LinkedHashSet<>(ids);
    others.removeAll(requeued);
    Map<Long, Boolean> where = locate(c, others);
    List<RetryResult> results = new ArrayList<>(ids.size());
    Set<Long> answered = new java.util.HashSet<>();
    for (long id : ids) {
      if (requeued.contains(id) && answered.add(id)) {
        results.add(RetryResult.REQUEUED);
      } else if (requeued.contains(id) || where.containsKey(id)) {
        results.add(RetryResult.NOT_RETRYABLE);
      } else {
        results.add(RetryResult.NOT_FOUND);
      }
    }
    return results;
  }

  /** Where each id is now: true in the history table, false in the hot table, absent if gone. */
  private Map<Long, Boolean> locate(Connection c, Set<Long> ids) throws SQLException {
    Map<Long, Boolean> where = new HashMap<>();
    if (ids.isEmpty()) {
      return where;
    }
    try (NamedSql.Bound st = queries.get("locate").prepare(c)) {
      st.set("ids", sortedArray(ids));
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          where.put(rs.getLong(1), rs.getBoolean(2));
        }
      }
    }
    return where;
  }

  private static long[] sortedArray(java.util.Collection<Long> ids) {
    return ids.stream().mapToLong(Long::longValue).sorted().toArray();
  }
}
