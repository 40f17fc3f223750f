package dev.spindle.store.sqlite;

import java.sql.PreparedStatement;
import java.time.Instant;

/**
 * Bulk state changes run by maintenance services: expiry of overdue tasks, promotion of tasks whose
 * dependencies are done, purge of old ones.
 */
final class HousekeepingWrites {
  private HousekeepingWrites() {}

  static WriteOp<Integer> expireOverdue(Instant now, int limit) {
    return session -> {
      PreparedStatement ps = session.statement("expire_overdue");
      ps.setLong(1, TaskRows.millis(now));
      ps.setInt(2, limit);
      int expired = ps.executeUpdate();
      if (expired < limit) {
        PreparedStatement waiting = session.statement("expire_overdue_waiting");
        waiting.setLong(1, TaskRows.millis(now));
        waiting.setInt(2, limit - expired);
        expired += waiting.executeUpdate();
      }
      return expired;
    };
  }

  static WriteOp<Integer> purgeFinished(Instant cutoff, int limit) {
    return session -> {
      PreparedStatement deps = session.statement("purge_finished_dependencies");
      deps.setLong(1, TaskRows.millis(cutoff));
      deps.setInt(2, limit);
      deps.executeUpdate();
      PreparedStatement ps = session.statement("purge_finished");
      ps.setLong(1, TaskRows.millis(cutoff));
      ps.setInt(2, limit);
      return ps.executeUpdate();
    };
  }

  static WriteOp<Integer> promoteWaiting(int limit) {
    return session -> {
      PreparedStatement ps = session.statement("promote_waiting");
      ps.setInt(1, limit);
      return ps.executeUpdate();
    };
  }
}
