package dev.spindle.store.postgres;

import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Extends a worker's leases with one statement ({@code heartbeat}), fenced on the lease token and
 * owner, and reports the leases lost and the tasks whose cancellation was requested.
 */
final class HeartbeatStatement {
  private final NamedSql sql;

  HeartbeatStatement(PostgresQueries queries) {
    this.sql = queries.get("heartbeat");
  }

  HeartbeatResult heartbeat(Connection c, HeartbeatRequest request) throws SQLException {
    List<HeartbeatRequest.Lease> leases = new ArrayList<>(request.leases());
    // Sorted: the statement binary-searches the ids, and locks rows in the order complete does.
    leases.sort(
        Comparator.comparingLong(HeartbeatRequest.Lease::id)); // same lock order as complete
    int n = leases.size();
    long[] ids = new long[n];
    long[] tokens = new long[n];
    String[] progress = new String[n];
    for (int i = 0; i < n; i++) {
      HeartbeatRequest.Lease lease = leases.get(i);
      ids[i] = lease.id();
      tokens[i] = lease.leaseToken();
      progress[i] = lease.progressJson().orElse(null);
    }
    Map<Long, Boolean> held = new HashMap<>();
    try (NamedSql.Bound st = sql.prepare(c)) {
      st.set("ids", ids)
          .set("tokens", tokens)
          .set("progress", progress)
          .set("worker", request.workerId())
          .set("lease_until", request.leaseUntil().toEpochMilli());
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          held.put(rs.getLong(1), rs.getBoolean(2));
        }
      }
    }
    List<Long> lost = new ArrayList<>();
    List<Long> cancelRequested = new ArrayList<>();
    for (HeartbeatRequest.Lease lease : request.leases()) {
      Boolean cancel = held.get(lease.id());
      if (cancel == null) {
        lost.add(lease.id());
      } else if (cancel) {
        cancelRequested.add(lease.id());
      }
    }
    return new HeartbeatResult(lost, cancelRequested);
  }
}
