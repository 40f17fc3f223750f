package dev.spindle.store.sqlite;

import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Converts between rows of {@code spindle_task} and Java values; times are epoch millis. */
final class TaskRows {
  private TaskRows() {}

  static long millis(Instant instant) {
    return instant.toEpochMilli();
  }

  static Instant instant(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  static void setOptionalMillis(PreparedStatement ps, int index, Optional<Instant> instant)
      throws SQLException {
    if (instant.isPresent()) {
      ps.setLong(index, instant.get().toEpochMilli());
    } else {
      ps.setNull(index, Types.INTEGER);
    }
  }

  static void setOptionalString(PreparedStatement ps, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setString(index, value.get());
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(instant(value));
  }

  static Optional<Instant> optionalInstant(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(instant(value));
  }

  static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
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
        instant(rs.getLong("created_at")),
        instant(rs.getLong("run_at")),
        optionalInstant(rs, "deadline"),
        optionalInstant(rs, "started_at"),
        optionalInstant(rs, "finished_at"),
        optionalString(rs, "idempotency_key"),
        optionalString(rs, "progress"),
        optionalString(rs, "lease_owner"),
        rs.getInt("cancel_requested") != 0,
        ids(rs.getString("depends_on")));
  }

  /** Ids as a JSON array, for {@code json_each}. */
  static String jsonArray(List<Long> ids) {
    StringBuilder b = new StringBuilder(ids.size() * 8).append('[');
    for (int i = 0; i < ids.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(ids.get(i).longValue());
    }
    return b.append(']').toString();
  }

  /** Reads a JSON array of ids written by {@code json_group_array}. */
  static List<Long> ids(String jsonArray) {
    if (jsonArray == null || jsonArray.length() <= 2) {
      return List.of();
    }
    String[] parts = jsonArray.substring(1, jsonArray.length() - 1).split(",");
    List<Long> ids = new ArrayList<>(parts.length);
    for (String part : parts) {
      ids.add(Long.parseLong(part.strip()));
    }
    return ids;
  }
}
