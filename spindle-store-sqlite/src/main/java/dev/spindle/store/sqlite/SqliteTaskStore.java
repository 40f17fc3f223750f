package dev.spindle.store.sqlite;

import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.RescueResult;
import dev.spindle.core.store.RetryResult;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.store.StoreLockedException;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The embedded default store: one SQLite file in WAL mode, used by one process.
 *
 * <p>Writes go through one {@link GroupCommitWriter} thread that commits everything queued in one
 * transaction; reads use their own read-only connections. A call that returned is committed, and
 * with {@link SqliteStoreOptions.Durability#FULL} (the default) synced to disk.
 */
public final class SqliteTaskStore implements TaskStore {
  private final Path dbFile;
  private final StoreFileLock lock;
  private final GroupCommitWriter writer;
  private final SqliteReaders readers;
  private final WalCheckpointer checkpointer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SqliteTaskStore(
      Path dbFile,
      StoreFileLock lock,
      GroupCommitWriter writer,
      SqliteReaders readers,
      WalCheckpointer checkpointer) {
    this.dbFile = dbFile;
    this.lock = lock;
    this.writer = writer;
    this.readers = readers;
    this.checkpointer = checkpointer;
  }

  /** Opens (creating if needed) the store in {@code dbFile} with the default, durable options. */
  public static SqliteTaskStore open(Path dbFile) {
    return open(dbFile, SqliteStoreOptions.defaults());
  }

  /**
   * Opens (creating if needed) the store in {@code dbFile}, migrating its schema.
   *
   * @throws StoreLockedException if another process or store instance has the file open
   */
  public static SqliteTaskStore open(Path dbFile, SqliteStoreOptions options) {
    return open(dbFile, options, WalSyncer::walFile);
  }

  /** Opens the store with the given sync of the WAL file, for tests that hold or fail the sync. */
  static SqliteTaskStore open(
      Path dbFile, SqliteStoreOptions options, Function<Path, WalSyncer.Sync> walSync) {
    Path db = dbFile.toAbsolutePath().normalize();
    createParentDirectories(db);
    StoreFileLock lock = StoreFileLock.acquire(db);
    Connection connection = null;
    Connection checkpointConnection = null;
    SqliteReaders readers = null;
    WalSyncer syncer = null;
    GroupCommitWriter writer = null;
    try {
      connection = SqliteConnections.openWriter(db, options);
      SqliteMigrator.migrate(connection, db);
      WriterSession session = startSession(connection, db);
      readers = SqliteReaders.open(db, options);
      checkpointConnection = SqliteConnections.openCheckpointer(db, options);
      syncer =
          options.durability() == SqliteStoreOptions.Durability.FULL
              ? WalSyncer.start(walSync.apply(db), db)
              : null;
      writer = GroupCommitWriter.start(session, db, options.maxOpsPerCommit(), syncer);
      WalCheckpointer checkpointer =
          WalCheckpointer.start(checkpointConnection, writer, db, options.checkpointInterval());
      return new SqliteTaskStore(db, lock, writer, readers, checkpointer);
    } catch (RuntimeException | Error e) {
      // Threads already started are stopped: one that could not start (no memory for a thread)
      // must not leave the others idling on a store that never opened.
      if (writer != null) {
        writer.close(); // also stops the syncer and closes the writer connection
      } else {
        if (syncer != null) {
          syncer.close();
        }
        if (connection != null) {
          SqliteConnections.closeQuietly(connection);
        }
      }
      if (readers != null) {
        readers.close();
      }
      if (checkpointConnection != null) {
        SqliteConnections.closeQuietly(checkpointConnection);
      }
      lock.close();
      throw e;
    }
  }

  private static void createParentDirectories(Path db) {
    Path parent = db.getParent();
    if (parent == null) {
      return;
    }
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new StoreException(
          "could not create directory "
              + parent
              + " for SQLite store "
              + db
              + "; check the path and its permissions",
          e);
    }
  }

  private static WriterSession startSession(Connection connection, Path db) {
    try {
      return WriterSession.start(connection);
    } catch (SQLException e) {
      throw new StoreException(
          "could not read the id and lease counters of SQLite store " + db + ": " + e.getMessage(),
          e);
    }
  }

  /** The database file. */
  public Path file() {
    return dbFile;
  }

  @Override
  public List<Enqueued> enqueue(List<NewTask> tasks) {
    return enqueueAndStart(tasks, null).enqueued();
  }

  /** A null {@code start} leases none. */
  @Override
  public EnqueueResult enqueueAndStart(List<NewTask> tasks, ClaimRequest start) {
    if (tasks.isEmpty()) {
      return new EnqueueResult(List.of(), List.of());
    }
    return writer.execute(
        "enqueue " + tasks.size() + " tasks", new EnqueueWrite(List.copyOf(tasks), start));
  }

  @Override
  public List<ClaimedTask> claim(ClaimRequest request) {
    return writer.execute(
        "claim tasks of queue '" + request.queue() + "'", new ClaimWrite(request));
  }

  @Override
  public List<Long> complete(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return List.of();
    }
    return writer.execute(
        "complete " + outcomes.size() + " tasks", new CompleteWrite(List.copyOf(outcomes)));
  }

  @Override
  public HeartbeatResult heartbeat(HeartbeatRequest request) {
    if (request.leases().isEmpty()) {
      return new HeartbeatResult(List.of(), List.of());
    }
    return writer.execute(
        "renew " + request.leases().size() + " leases of worker '" + request.workerId() + "'",
        new HeartbeatWrite(request));
  }

  @Override
  public RescueResult rescueExpired(Instant now, int limit) {
    return writer.execute("rescue expired leases", new RescueWrite(now, limit));
  }

  @Override
  public int expireOverdue(Instant now, int limit) {
    return writer.execute("expire overdue tasks", HousekeepingWrites.expireOverdue(now, limit));
  }

  @Override
  public int promoteWaiting(int limit) {
    return writer.execute("promote waiting tasks", HousekeepingWrites.promoteWaiting(limit));
  }

  @Override
  public List<CancelResult> cancel(List<Long> ids, Instant now) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return writer.execute(
        "cancel " + ids.size() + " tasks", OperatorWrites.cancel(List.copyOf(ids), now));
  }

  @Override
  public List<RetryResult> retry(List<Long> ids, Instant now) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return writer.execute(
        "retry " + ids.size() + " tasks", OperatorWrites.retry(List.copyOf(ids), now));
  }

  /** Announces the queues of submitted tasks that are due at once, right after their commit. */
  @Override
  public Subscription onTasksAvailable(Consumer<String> queueListener) {
    Runnable remove = writer.onTasksDue(queueListener);
    return remove::run;
  }

  @Override
  public List<TaskInfo> get(List<Long> ids) {
    return readers.get(ids);
  }

  @Override
  public Page<TaskInfo> list(TaskFilter filter, PageRequest page) {
    return readers.list(filter, page);
  }

  @Override
  public List<QueueStats> stats(Instant now) {
    return readers.stats(now);
  }

  @Override
  public int purgeFinished(Instant cutoff, int limit) {
    return writer.execute("purge finished tasks", HousekeepingWrites.purgeFinished(cutoff, limit));
  }

  /** Answers every write already queued, then closes connections and releases the file. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      writer.close();
      readers.close();
      checkpointer.close();
    } finally {
      lock.close();
    }
  }

  GroupCommitWriter writer() {
    return writer;
  }

  WalCheckpointer checkpointer() {
    return checkpointer;
  }

  @Override
  public String toString() {
    return "SqliteTaskStore[" + dbFile + "]";
  }
}
