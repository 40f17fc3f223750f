package dev.spindle.store.sqlite;

import dev.spindle.core.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed pages from the WAL back into the database file, on its own thread and
 * connection, so that the writer's commits never wait for a checkpoint.
 *
 * <p>A passive checkpoint runs beside the writer, but it cannot let the WAL start over while the
 * writer keeps appending: SQLite rewinds the WAL only when a write transaction begins after every
 * frame was copied, and under steady load the writer commits again before a checkpoint of the
 * frames before it is done. So once the WAL is longer than {@link #RESTART_PAGES}, the checkpointer
 * asks the writer to copy the few frames appended meanwhile itself, between two groups; the
 * writer's next transaction then starts the WAL over. That short catch-up is the only checkpoint
 * work left on the writer thread.
 *
 * <p>Durability: a commit is synced into the WAL before the caller is answered (by {@link
 * WalSyncer}), and a checkpoint syncs the WAL before it copies frames and the database file before
 * the WAL frames it copied may be overwritten.
 */
final class WalCheckpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

  /** WAL length (pages of 4 KiB) past which the writer is asked to let the WAL start over. */
  static final int RESTART_PAGES = 2_000;

  /** What one checkpoint saw: {@code walPages} in the WAL, of which {@code copiedPages} copied. */
  record Result(boolean busy, int walPages, int copiedPages) {}

  private final Connection connection;
  private final GroupCommitWriter writer;
  private final Path dbFile;
  private final long intervalNanos;
  private final ReentrantLock connectionLock = new ReentrantLock();
  private final Thread thread;
  private PreparedStatement passive;
  private volatile boolean closing;

  private WalCheckpointer(
      Connection connection, GroupCommitWriter writer, Path dbFile, Duration interval) {
    this.connection = connection;
    this.writer = writer;
    this.dbFile = dbFile;
    this.intervalNanos = interval.toNanos();
    this.thread =
        Thread.ofPlatform().name("spindle-sqlite-checkpointer").daemon().unstarted(this::run);
  }

  /** Checkpoints every {@code interval} in which the writer committed something. */
  static WalCheckpointer start(
      Connection connection, GroupCommitWriter writer, Path dbFile, Duration interval) {
    WalCheckpointer checkpointer = new WalCheckpointer(connection, writer, dbFile, interval);
    checkpointer.thread.start();
    return checkpointer;
  }

  private void run() {
    long seenCommits = writer.commits();
    while (!closing) {
      LockSupport.parkNanos(intervalNanos);
      long commits = writer.commits();
      if (closing || commits == seenCommits) {
        continue;
      }
      seenCommits = commits;
      try {
        checkpoint();
      } catch (RuntimeException e) {
        // The WAL only grows meanwhile; the next round tries again.
        log.warn("SQLite store {}: background checkpoint failed", dbFile, e);
      }
    }
  }

  /**
   * Copies what the WAL holds into the database file without blocking the writer, and asks the
   * writer to let the WAL start over if it has grown long.
   */
  Result checkpoint() {
    connectionLock.lock();
    try {
      if (passive == null) {
        passive = connection.prepareStatement("PRAGMA wal_checkpoint(PASSIVE)");
      }
      Result result;
      try (ResultSet rs = passive.executeQuery()) {
        result = new Result(rs.getInt(1) != 0, rs.getInt(2), rs.getInt(3));
      }
      if (result.walPages() >= RESTART_PAGES) {
        writer.requestWalRestart();
      }
      return result;
    } catch (SQLException e) {
      throw new StoreException(
          "could not checkpoint the WAL of SQLite store " + dbFile + ": " + e.getMessage(), e);
    } finally {
      connectionLock.unlock();
    }
  }

  /**
   * Stops the thread and closes the connection. Call it after the writer and readers are closed:
   * the last connection to close copies the whole WAL back and removes it.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    LockSupport.unpark(thread);
    boolean interrupted = GroupCommitWriter.joinUninterruptibly(thread);
    connectionLock.lock();
    try {
      if (passive != null) {
        passive.close();
      }
    } catch (SQLException e) {
      // Closing the connection frees it anyway.
    } finally {
      SqliteConnections.closeQuietly(connection);
      connectionLock.unlock();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
