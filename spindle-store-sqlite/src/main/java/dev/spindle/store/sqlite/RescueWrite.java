package dev.spindle.store.sqlite;

import dev.spindle.core.store.RescueResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns tasks whose lease expired to READY, or to DEAD when the lost attempt was their last.
 *
 * <p>The candidates come from the writer's {@link LeaseTable}; each one's row is read before
 * acting, since the table may hold an expiry that a heartbeat has extended since, or a lease whose
 * claim was rolled back. The row is the truth, and the table is mended from it. Each change is
 * still conditional on the token read, as every store must do; here the single writer makes the
 * read and the update atomic anyway. The task keeps its {@code run_at}, so a rescued task is due at
 * once and keeps its place among tasks of its priority.
 */
final class RescueWrite implements WriteOp<RescueResult> {
  private final Instant now;
  private final int limit;

  RescueWrite(Instant now, int limit) {
    this.now = now;
    this.limit = limit;
  }

  private record Expired(long id, long token, String owner, int attempts, int maxAttempts) {}

  @Override
  public RescueResult apply(WriterSession session) throws SQLException {
    List<Long> requeued = new ArrayList<>();
    List<Long> dead = new ArrayList<>();
    for (Expired task : findExpired(session)) {
      boolean last = task.attempts() >= task.maxAttempts();
      String error =
          "the lease of worker '"
              + task.owner()
              + "' expired before attempt "
              + task.attempts()
              + " of "
              + task.maxAttempts()
              + " finished (the worker stopped or could not renew its lease in time)";
      PreparedStatement ps = session.statement(last ? "rescue_dead" : "rescue_requeue");
      ps.setString(1, error);
      if (last) {
        ps.setLong(2, TaskRows.millis(now));
        ps.setLong(3, task.id());
        ps.setLong(4, task.token());
      } else {
        ps.setLong(2, task.id());
        ps.setLong(3, task.token());
      }
      if (ps.executeUpdate() == 1) {
        (last ? dead : requeued).add(task.id());
        session.leases().ended(task.id(), task.token());
      }
    }
    return new RescueResult(requeued, dead);
  }

  /** The candidates whose row shows a lease expired before now; mends the table for the others. */
  private List<Expired> findExpired(WriterSession session) throws SQLException {
    long nowMillis = TaskRows.millis(now);
    LeaseTable leases = session.leases();
    PreparedStatement read = session.statement("lease_of");
    List<Expired> expired = new ArrayList<>();
    for (LeaseTable.Lease candidate : leases.expiredBefore(nowMillis, limit)) {
      read.setLong(1, candidate.id());
      try (ResultSet rs = read.executeQuery()) {
        if (!rs.next() || !"RUNNING".equals(rs.getString(1))) {
          leases.forget(candidate.id(), candidate.token());
          continue;
        }
        long token = rs.getLong(2);
        long until = rs.getLong(4);
        if (until >= nowMillis) {
          leases.granted(candidate.id(), token, until);
          continue;
        }
        expired.add(
            new Expired(candidate.id(), token, rs.getString(3), rs.getInt(5), rs.getInt(6)));
      }
    }
    return expired;
  }
}
