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
 * <p>Each change is conditional on the token read, as every store must do; here the single writer
 * makes the read and the update atomic anyway. The task keeps its {@code run_at}, so a rescued task
 * is due at once and keeps its place among tasks of its priority.
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
      }
    }
    return new RescueResult(requeued, dead);
  }

  private List<Expired> findExpired(WriterSession session) throws SQLException {
    PreparedStatement find = session.statement("find_expired_leases");
    find.setLong(1, TaskRows.millis(now));
    find.setInt(2, limit);
    List<Expired> expired = new ArrayList<>();
    try (ResultSet rs = find.executeQuery()) {
      while (rs.next()) {
        expired.add(
            new Expired(
                rs.getLong("id"),
                rs.getLong("lease_token"),
                rs.getString("lease_owner"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts")));
      }
    }
    return expired;
  }
}
