package dev.spindle.store.postgres;

import dev.spindle.core.store.RescueResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The maintenance statements: rescue of expired leases, expiry, promotion of waiting tasks, purge.
 * Tasks they make READY are announced on the store's channel, after their statement committed.
 */
final class MaintenanceStatements {
  private final PostgresQueries queries;
  private final StoreSchema schema;
  private final boolean notify;

  MaintenanceStatements(PostgresQueries queries, StoreSchema schema, boolean notify) {
    this.queries = queries;
    this.schema = schema;
    this.notify = notify;
  }

  /** Rescues expired leases; returns the result and the queues that got READY tasks. */
  record Rescued(RescueResult result, Set<String> queues) {}

  Rescued rescueExpired(Connection c, Instant now, int limit) throws SQLException {
    List<Long> requeued = new ArrayList<>();
    List<Long> dead = new ArrayList<>();
    Set<String> queues = new LinkedHashSet<>();
    try (NamedSql.Bound st = queries.get("rescue_expired").prepare(c)) {
      st.set("now", now.toEpochMilli()).set("limit", limit);
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          if (rs.getBoolean("dead")) {
            dead.add(rs.getLong("id"));
          } else {
            requeued.add(rs.getLong("id"));
            queues.add(rs.getString("queue"));
          }
        }
      }
    }
    return new Rescued(new RescueResult(requeued, dead), queues);
  }

  int expireOverdue(Connection c, Instant now, int limit) throws SQLException {
    try (NamedSql.Bound st = queries.get("expire_overdue").prepare(c)) {
      st.set("now", now.toEpochMilli()).set("limit", limit);
      return st.statement().executeUpdate();
    }
  }

  /** Promotes waiting tasks; returns how many, and the queues of those due now. */
  record Promoted(int count, Set<String> dueQueues) {}

  Promoted promoteWaiting(Connection c, int limit) throws SQLException {
    int count = 0;
    Set<String> queues = new LinkedHashSet<>();
    try (NamedSql.Bound st = queries.get("promote_waiting").prepare(c)) {
      st.set("limit", limit);
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          count++;
          if (rs.getBoolean("due")) {
            queues.add(rs.getString("queue"));
          }
        }
      }
    }
    return new Promoted(count, queues);
  }

  int purgeFinished(Connection c, Instant cutoff, int limit) throws SQLException {
    try (NamedSql.Bound st = queries.get("purge_finished").prepare(c)) {
      st.set("cutoff", cutoff.toEpochMilli()).set("limit", limit);
      try (ResultSet rs = st.statement().executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Wakes listening nodes for these queues; a no-op with notifications off or no queues. */
  void notifyQueues(Connection c, Set<String> queues) throws SQLException {
    if (!notify || queues.isEmpty()) {
      return;
    }
    try (NamedSql.Bound st = queries.get("notify_queues").prepare(c)) {
      st.set("channel", schema.channel()).set("queues", queues.toArray(String[]::new));
      st.statement().execute();
    }
  }
}
