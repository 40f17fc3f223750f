package dev.spindle.store.postgres;

import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Reads rows of the task tables into Java values. Columns are timestamptz, read as instants. */
final class TaskRows {
  private TaskRows() {}

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? Optional.empty() : Optional.of(t.toInstant());
  }

  static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  /** A row returned by the claim statement. */
  static ClaimedTask claimedTask(ResultSet rs, Instant leaseUntil) throws SQLException {
    return new ClaimedTask(
        rs.getLong("id"),
        rs.getString("type"),
        rs.getString("queue"),
        rs.getString("payload"),
        rs.getInt("priority"),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        rs.getLong("lease_token"),
        leaseUntil,
        instant(rs, "created_at"),
        instant(rs, "run_at"),
        optionalInstant(rs, "deadline"),
        Duration.ofMillis(rs.getLong("timeout_ms")));
  }

  /** A row of the read queries, with the stored state (READY, never SCHEDULED). */
  static TaskInfo taskInfo(ResultSet rs) throws SQLException {
    return new TaskInfo(
        rs.getLong("id"),
        rs.getString("type"),
        rs.getString("queue"),
        TaskState.valueOf(rs.getString("state")),
        rs.getInt("priority"),
        rs.getString("payload"),
        optionalString(rs, "result"),
        optionalString(rs, "last_error"),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        instant(rs, "created_at"),
        instant(rs, "run_at"),
        optionalInstant(rs, "deadline"),
        optionalInstant(rs, "started_at"),
        optionalInstant(rs, "finished_at"),
        optionalString(rs, "idempotency_key"),
        optionalString(rs, "progress"),
        optionalString(rs, "lease_owner"),
        rs.getBoolean("cancel_requested"),
        ids(rs.getArray("depends_on")));
  }

  private static List<Long> ids(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    try {
      return List.of((Long[]) array.getArray());
    } finally {
      array.free();
    }
  }
}
