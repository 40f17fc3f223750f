package dev.spindle.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Bulk state changes run by maintenance services: expiry of overdue tasks, promotion of tasks whose
 * dependencies are done, purge of old ones.
 */
final class HousekeepingWrites {
  private HousekeepingWrites() {}

  static WriteOp<Integer> expireOverdue(Instant now, int limit) {
    return session -> {
      long at = TaskRows.millis(now);
      int expired = expire(session, "expire_overdue", at, limit);
      if (expired < limit) {
        expired += expire(session, "expire_overdue_waiting", at, limit - expired);
      }
      return expired;
    };
  }

  /** Runs one expiry statement and lists the tasks it expired for the purge. */
  private static int expire(WriterSession session, String query, long at, int limit)
      throws SQLException {
    PreparedStatement ps = session.statement(query);
    ps.setLong(1, at);
    ps.setInt(2, limit);
    int expired = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        session.finished().add(rs.getLong(1), at);
        expired++;
      }
    }
    return expired;
  }

  /**
   * Deletes up to {@code limit} tasks listed in the oldest lists of {@code spindle_finished} whose
   * tasks all finished before the cutoff, with their dependency rows. A list is deleted once every
   * id in it was handled, or keeps the ids a full {@code limit} left for the next call.
   */
  static WriteOp<Integer> purgeFinished(Instant cutoff, int limit) {
    return session -> {
      long before = TaskRows.millis(cutoff);
      int purged = 0;
      while (purged < limit) {
        List<FinishedIds> lists = oldestLists(session, before, limit - purged);
        if (lists.isEmpty()) {
          break;
        }
        for (FinishedIds list : lists) {
          if (purged == limit) {
            break;
          }
          int take = Math.min(list.ids().size(), limit - purged);
          purged += deleteTasks(session, list.ids().subList(0, take), before);
          if (take == list.ids().size()) {
            PreparedStatement done = session.statement("purge_list_done");
            done.setLong(1, list.rowid());
            done.executeUpdate();
          } else {
            PreparedStatement rest = session.statement("purge_list_rest");
            rest.setString(1, TaskRows.jsonArray(list.ids().subList(take, list.ids().size())));
            rest.setLong(2, list.rowid());
            rest.executeUpdate();
          }
        }
      }
      return purged;
    };
  }

  private record FinishedIds(long rowid, List<Long> ids) {}

  private static List<FinishedIds> oldestLists(WriterSession session, long before, int limit)
      throws SQLException {
    PreparedStatement ps = session.statement("purge_lists");
    ps.setLong(1, before);
    ps.setInt(2, limit);
    List<FinishedIds> lists = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        lists.add(new FinishedIds(rs.getLong(1), TaskRows.ids(rs.getString(2))));
      }
    }
    return lists;
  }

  /** Deletes the listed tasks that are still final and old enough; returns how many. */
  private static int deleteTasks(WriterSession session, List<Long> ids, long before)
      throws SQLException {
    PreparedStatement task = session.statement("purge_task");
    for (long id : ids) {
      task.setLong(1, id);
      task.setLong(2, before);
      task.addBatch();
    }
    int[] counts = WriterSession.executeBatch(task);
    PreparedStatement deps = session.statement("purge_task_dependencies");
    int deleted = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        deleted++;
        deps.setLong(1, ids.get(i));
        deps.addBatch();
      }
    }
    if (deleted > 0) {
      WriterSession.executeBatch(deps);
    }
    return deleted;
  }

  static WriteOp<Integer> promoteWaiting(int limit) {
    return session -> {
      PreparedStatement ps = session.statement("promote_waiting");
      ps.setInt(1, limit);
      return ps.executeUpdate();
    };
  }
}
