package dev.spindle.store.postgres;

import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** get, list and stats over both task tables. */
final class TaskReads {
  private final PostgresQueries queries;

  TaskReads(PostgresQueries queries) {
    this.queries = queries;
  }

  List<TaskInfo> get(Connection c, List<Long> ids) throws SQLException {
    Map<Long, TaskInfo> byId = new HashMap<>();
    try (NamedSql.Bound st = queries.get("get_by_ids").prepare(c)) {
      st.set("ids", ids.stream().mapToLong(Long::longValue).distinct().toArray());
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          TaskInfo info = TaskRows.taskInfo(rs);
          byId.put(info.id(), info);
        }
      }
    }
    List<TaskInfo> inOrder = new ArrayList<>(byId.size());
    for (long id : ids) {
      TaskInfo info = byId.get(id);
      if (info != null) {
        inOrder.add(info);
      }
    }
    return inOrder;
  }

  /** Items are shown as of {@code filter.now()}: a READY task due later is listed as SCHEDULED. */
  Page<TaskInfo> list(Connection c, TaskFilter filter, PageRequest page) throws SQLException {
    Optional<TaskState> state = filter.state();
    // SCHEDULED and READY are both stored READY, told apart by run_at.
    boolean splitReady =
        state.isPresent() && (state.get() == TaskState.SCHEDULED || state.get() == TaskState.READY);
    List<TaskInfo> items = new ArrayList<>(page.limit() + 1);
    try (NamedSql.Bound st = queries.get("list").prepare(c)) {
      st.set("after", page.afterId().orElse(Long.MAX_VALUE))
          .set("queue", filter.queue().orElse(null))
          .set("state", state.map(s -> splitReady ? TaskState.READY.name() : s.name()).orElse(null))
          .set("type", filter.type().orElse(null))
          .set("split_at", splitReady ? filter.now().toEpochMilli() : null)
          .set("scheduled", splitReady && state.get() == TaskState.SCHEDULED)
          .set("limit", page.limit() + 1);
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          items.add(TaskRows.taskInfo(rs).asOf(filter.now()));
        }
      }
    }
    if (items.size() <= page.limit()) {
      return new Page<>(items, Optional.empty());
    }
    List<TaskInfo> shown = items.subList(0, page.limit());
    return new Page<>(shown, Optional.of(shown.getLast().id()));
  }

  List<QueueStats> stats(Connection c, Instant now) throws SQLException {
    Map<String, Map<TaskState, Long>> byQueue = new LinkedHashMap<>();
    try (NamedSql.Bound st = queries.get("stats").prepare(c)) {
      st.set("now", now.toEpochMilli());
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          byQueue
              .computeIfAbsent(rs.getString(1), q -> new EnumMap<>(TaskState.class))
              .merge(TaskState.valueOf(rs.getString(2)), rs.getLong(3), Long::sum);
        }
      }
    }
    List<QueueStats> stats = new ArrayList<>(byQueue.size());
    byQueue.forEach((queue, counts) -> stats.add(new QueueStats(queue, counts)));
    return stats;
  }
}
