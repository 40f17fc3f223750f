package dev.spindle.store.sqlite;

import dev.spindle.core.store.StoreException;
import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Answers get, list and stats on a small pool of read-only connections. In WAL mode readers see the
 * last committed state and never wait for the writer, so dashboards do not slow the hot path.
 */
final class SqliteReaders implements AutoCloseable {
  private final Path dbFile;
  private final BlockingQueue<Reader> idle;
  private volatile boolean closed;

  private SqliteReaders(Path dbFile, int size) {
    this.dbFile = dbFile;
    this.idle = new ArrayBlockingQueue<>(size);
  }

  static SqliteReaders open(Path dbFile, SqliteStoreOptions options) {
    SqliteReaders readers = new SqliteReaders(dbFile, options.readerConnections());
    try {
      for (int i = 0; i < options.readerConnections(); i++) {
        Reader reader = new Reader(SqliteConnections.openReader(dbFile, options));
        readers.idle.add(reader);
      }
    } catch (RuntimeException e) {
      readers.close();
      throw e;
    }
    return readers;
  }

  List<TaskInfo> get(List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    String idArray = TaskRows.jsonArray(ids);
    Map<Long, TaskInfo> found =
        read(
            "get " + ids.size() + " tasks",
            reader -> {
              PreparedStatement ps = reader.statement("get_by_ids");
              ps.setString(1, idArray);
              Map<Long, TaskInfo> byId = new HashMap<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  TaskInfo info = TaskRows.taskInfo(rs);
                  byId.put(info.id(), info);
                }
              }
              return byId;
            });
    List<TaskInfo> inOrder = new ArrayList<>(found.size());
    for (long id : ids) {
      TaskInfo info = found.get(id);
      if (info != null) {
        inOrder.add(info);
      }
    }
    return inOrder;
  }

  /** Items are shown as of {@code filter.now()}: a READY task due later is listed as SCHEDULED. */
  Page<TaskInfo> list(TaskFilter filter, PageRequest page) {
    return read(
        "list tasks",
        reader -> {
          PreparedStatement ps = reader.statement("list");
          setOptional(ps, 1, filter.queue());
          Optional<TaskState> state = filter.state();
          // SCHEDULED and READY are both stored READY, told apart by run_at.
          boolean splitReady =
              state.isPresent()
                  && (state.get() == TaskState.SCHEDULED || state.get() == TaskState.READY);
          setOptional(ps, 2, state.map(s -> splitReady ? TaskState.READY.name() : s.name()));
          setOptional(ps, 3, filter.type());
          ps.setLong(4, page.afterId().orElse(Long.MAX_VALUE));
          if (splitReady) {
            ps.setLong(5, TaskRows.millis(filter.now()));
            ps.setInt(6, state.get() == TaskState.SCHEDULED ? 1 : 0);
          } else {
            ps.setNull(5, Types.INTEGER);
            ps.setNull(6, Types.INTEGER);
          }
          // One row more than asked tells whether another page follows.
          ps.setInt(7, page.limit() + 1);
          List<TaskInfo> items = new ArrayList<>(page.limit() + 1);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              items.add(TaskRows.taskInfo(rs).asOf(filter.now()));
            }
          }
          if (items.size() <= page.limit()) {
            return new Page<>(items, Optional.empty());
          }
          List<TaskInfo> shown = items.subList(0, page.limit());
          return new Page<>(shown, Optional.of(shown.getLast().id()));
        });
  }

  List<QueueStats> stats(Instant now) {
    return read(
        "read queue stats",
        reader -> {
          PreparedStatement ps = reader.statement("stats");
          ps.setLong(1, TaskRows.millis(now));
          Map<String, Map<TaskState, Long>> byQueue = new LinkedHashMap<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              byQueue
                  .computeIfAbsent(rs.getString(1), q -> new EnumMap<>(TaskState.class))
                  .put(TaskState.valueOf(rs.getString(2)), rs.getLong(3));
            }
          }
          List<QueueStats> stats = new ArrayList<>(byQueue.size());
          byQueue.forEach((queue, counts) -> stats.add(new QueueStats(queue, counts)));
          return stats;
        });
  }

  private static void setOptional(PreparedStatement ps, int index, Optional<String> value)
      throws SQLException {
    TaskRows.setOptionalString(ps, index, value);
  }

  private interface ReadOp<T> {
    T apply(Reader reader) throws SQLException;
  }

  private <T> T read(String what, ReadOp<T> op) {
    Reader reader = borrow(what);
    try {
      return op.apply(reader);
    } catch (SQLException e) {
      throw new StoreException(
          "could not " + what + " from SQLite store " + dbFile + ": " + e.getMessage(), e);
    } finally {
      giveBack(reader);
    }
  }

  private Reader borrow(String what) {
    if (closed) {
      throw closedException(what);
    }
    Reader reader;
    try {
      reader = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          "interrupted while waiting for a read connection to " + what + " from " + dbFile, e);
    }
    if (closed) {
      giveBack(reader);
      throw closedException(what);
    }
    return reader;
  }

  private void giveBack(Reader reader) {
    idle.add(reader);
    if (closed) {
      closeIdle();
    }
  }

  private StoreException closedException(String what) {
    return new StoreException(
        "cannot " + what + ": the SQLite store " + dbFile + " is closed; open it again");
  }

  /** Closes idle connections now and busy ones as their reads finish. */
  @Override
  public void close() {
    closed = true;
    closeIdle();
  }

  private void closeIdle() {
    Reader reader;
    while ((reader = idle.poll()) != null) {
      reader.close();
    }
  }

  /** One read-only connection and its statements; used by one thread at a time. */
  private static final class Reader {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Reader(Connection connection) {
      this.connection = connection;
    }

    PreparedStatement statement(String name) throws SQLException {
      PreparedStatement ps = statements.get(name);
      if (ps == null) {
        ps = connection.prepareStatement(SqliteQueries.sql(name));
        statements.put(name, ps);
      }
      return ps;
    }

    void close() {
      for (PreparedStatement ps : statements.values()) {
        try {
          ps.close();
        } catch (SQLException e) {
          // Closing the connection frees it anyway.
        }
      }
      SqliteConnections.closeQuietly(connection);
    }
  }
}
