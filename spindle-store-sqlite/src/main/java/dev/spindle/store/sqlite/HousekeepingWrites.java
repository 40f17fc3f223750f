package dev.spindle.store.sqlite;

import java.sql.PreparedStatement;
import java.time.Instant;

/** Bulk state changes run by maintenance services: expiry of overdue tasks, purge of old ones. */
final class HousekeepingWrites {
  private HousekeepingWrites() {}

  static WriteOp<Integer> expireOverdue(Instant now, int limit) {
    return session -> {
      PreparedStatement ps = session.statement("expire_overdue");
      ps.setLong(1, TaskRows.millis(now));
      ps.setInt(2, limit);
      return ps.executeUpdate();
    };
  }

  static WriteOp<Integer> purgeFinished(Instant cutoff, int limit) {
    return session -> {
      PreparedStatement ps = session.statement("purge_finished");
      ps.setLong(1, TaskRows.millis(cutoff));
      ps.setInt(2, limit);
      return ps.executeUpdate();
    };
  }
}
