package dev.spindle.store.sqlite;

import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Extends the leases a worker still holds, fenced on the lease token and owner, and reports the
 * ones it lost and the ones whose cancellation was requested.
 */
final class HeartbeatWrite implements WriteOp<HeartbeatResult> {
  private final HeartbeatRequest request;

  HeartbeatWrite(HeartbeatRequest request) {
    this.request = request;
  }

  @Override
  public HeartbeatResult apply(WriterSession session) throws SQLException {
    List<Long> lost = new ArrayList<>();
    List<Long> cancelRequested = new ArrayList<>();
    PreparedStatement ps = session.statement("heartbeat");
    long leaseUntil = TaskRows.millis(request.leaseUntil());
    for (HeartbeatRequest.Lease lease : request.leases()) {
      ps.setLong(1, leaseUntil);
      TaskRows.setOptionalString(ps, 2, lease.progressJson());
      ps.setLong(3, lease.id());
      ps.setLong(4, lease.leaseToken());
      ps.setString(5, request.workerId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          lost.add(lease.id());
        } else if (rs.getInt(1) != 0) {
          cancelRequested.add(lease.id());
        }
      }
    }
    return new HeartbeatResult(lost, cancelRequested);
  }
}
