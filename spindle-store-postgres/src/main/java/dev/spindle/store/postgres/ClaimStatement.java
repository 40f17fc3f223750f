package dev.spindle.store.postgres;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Leases due READY tasks of one queue with one statement ({@code claim}): pick the best due ones
 * not past their deadline with {@code FOR UPDATE SKIP LOCKED}, mark them RUNNING under a fresh
 * lease token. Overdue tasks are left for {@code expireOverdue}. Concurrent claimers, on this node
 * or others, skip each other's rows instead of waiting for them.
 */
final class ClaimStatement {
  private final NamedSql sql;
  private final int maxBatch;

  ClaimStatement(PostgresQueries queries, int maxBatch) {
    this.sql = queries.get("claim");
    this.maxBatch = maxBatch;
  }

  List<ClaimedTask> claim(Connection c, ClaimRequest request) throws SQLException {
    int max = Math.min(request.max(), maxBatch);
    List<ClaimedTask> claimed = new ArrayList<>(Math.min(max, 256));
    try (NamedSql.Bound st = sql.prepare(c)) {
      st.set("queue", request.queue())
          .set("worker", request.workerId())
          .set("now", request.now().toEpochMilli())
          .set("lease_until", request.leaseUntil().toEpochMilli())
          .set("max", max);
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          claimed.add(TaskRows.claimedTask(rs, request.leaseUntil()));
        }
      }
    }
    // RETURNING yields rows in storage order, not in the order the subquery chose them.
    claimed.sort(ClaimedTask.CLAIM_ORDER);
    return claimed;
  }
}
