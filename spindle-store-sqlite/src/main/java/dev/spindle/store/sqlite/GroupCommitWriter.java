package dev.spindle.store.sqlite;

import dev.spindle.core.store.StoreException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every write of the store on one thread and one connection, committing all writes that queued
 * up meanwhile in one transaction (group commit).
 *
 * <p>Why: SQLite allows one writer at a time and a durable commit costs an fsync. Many callers
 * contending for the write lock would spin on SQLITE_BUSY; queued behind one thread they instead
 * share one fsync per drain. A failing op (an idempotency conflict) rolls back alone: the group is
 * then run again with each op under its own SAVEPOINT. Callers are answered only after COMMIT, and
 * with a {@link WalSyncer} only once the commit is synced to disk, so a returned call is durable.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private final WriterSession session;
  private final Path dbFile;
  private final int maxOpsPerCommit;
  private final WalSyncer syncer;
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final ReentrantLock lifecycle = new ReentrantLock();
  private final Pending<Void> stop = new Pending<>("stop", s -> null);
  private final AtomicLong commits = new AtomicLong();
  private final List<Consumer<String>> dueListeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean walRestartRequested;
  private boolean closed;

  private GroupCommitWriter(
      WriterSession session, Path dbFile, int maxOpsPerCommit, WalSyncer syncer) {
    this.session = session;
    this.dbFile = dbFile;
    this.maxOpsPerCommit = maxOpsPerCommit;
    this.syncer = syncer;
    this.thread = Thread.ofPlatform().name("spindle-sqlite-writer").daemon().unstarted(this::run);
  }

  /**
   * Starts the writer thread. With a {@code syncer}, callers are answered once it synced their
   * commit (the connection then commits without syncing); without one, right after COMMIT.
   */
  static GroupCommitWriter start(
      WriterSession session, Path dbFile, int maxOpsPerCommit, WalSyncer syncer) {
    GroupCommitWriter writer = new GroupCommitWriter(session, dbFile, maxOpsPerCommit, syncer);
    writer.thread.start();
    return writer;
  }

  /**
   * Runs the op in the next group transaction and waits until it is committed.
   *
   * @param what what the op does, for error messages ("enqueue 3 tasks")
   */
  <T> T execute(String what, WriteOp<T> op) {
    return submit(what, op).join();
  }

  /** Queues the op without waiting; the future completes after its transaction commits. */
  <T> CompletableFuture<T> submitAsync(String what, WriteOp<T> op) {
    return submit(what, op).future;
  }

  private <T> Pending<T> submit(String what, WriteOp<T> op) {
    Pending<T> pending = new Pending<>(what, op);
    lifecycle.lock();
    try {
      if (closed) {
        throw new StoreException(
            "cannot " + what + ": the SQLite store " + dbFile + " is closed; open it again");
      }
      queue.add(pending);
    } finally {
      lifecycle.unlock();
    }
    return pending;
  }

  /**
   * Calls {@code listener} on the writer thread, right after each commit, with every queue that the
   * commit gave tasks due now. The caller's own wake-up follows only once its thread is scheduled
   * again, which under load is the slower path from submit to claim.
   */
  Runnable onTasksDue(Consumer<String> listener) {
    // A fresh wrapper per registration, so removing it twice or registering twice stays exact.
    Consumer<String> entry = listener::accept;
    dueListeners.add(entry);
    return () -> dueListeners.remove(entry);
  }

  /** Ops waiting for the writer; for tests that line ops up in one drain. */
  int pendingCount() {
    return queue.size();
  }

  /** Transactions committed so far; for tests of grouping. */
  long commits() {
    return commits.get();
  }

  private void run() {
    List<Pending<?>> batch = new ArrayList<>(maxOpsPerCommit);
    boolean stopping = false;
    try {
      while (!stopping) {
        batch.add(takeUninterruptibly(queue));
        if (syncer != null) {
          syncer.awaitTurn();
        }
        queue.drainTo(batch, maxOpsPerCommit - 1);
        // Nothing is queued after stop, so stop can only be the last op of a drain.
        if (batch.getLast() == stop) {
          batch.removeLast();
          stopping = true;
        }
        long committedBefore = commits.get();
        if (!batch.isEmpty()) {
          runGroup(batch);
        }
        // A group is handed to the syncer exactly when it committed.
        if (syncer != null && commits.get() == committedBefore) {
          syncer.skipTurn();
        }
        batch.clear();
        if (walRestartRequested) {
          finishCheckpoint();
        }
      }
    } finally {
      if (syncer != null) {
        syncer.close();
      }
      session.close();
    }
  }

  /**
   * Asks the writer to copy the WAL frames the background checkpoint has not copied yet, after its
   * next group, so that its next transaction starts the WAL over (see {@link WalCheckpointer}).
   */
  void requestWalRestart() {
    walRestartRequested = true;
  }

  /**
   * Copies the tail of the WAL, typically the frames committed while the background checkpoint ran.
   * Runs after the group's callers were answered, so only ops that arrive meanwhile wait for it.
   */
  private void finishCheckpoint() {
    try (ResultSet rs = session.control("PRAGMA wal_checkpoint(PASSIVE)").executeQuery()) {
      boolean busy = rs.getInt(1) != 0;
      // Busy: the background checkpoint holds the checkpoint lock; try again after the next group.
      if (!busy && rs.getInt(2) == rs.getInt(3)) {
        walRestartRequested = false;
      }
    } catch (SQLException e) {
      walRestartRequested = false;
      log.warn("SQLite store {}: could not finish a checkpoint of the WAL", dbFile, e);
    }
  }

  /**
   * Takes the next element, ignoring interrupts: the writer and the syncer end only through their
   * close(), once everything queued before it has been answered.
   */
  static <T> T takeUninterruptibly(BlockingQueue<T> queue) {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // See above: only close() ends the thread.
      }
    }
  }

  /**
   * Runs the group in one transaction. The ops run first without savepoints, which cost every op
   * three more statements and a copy of each page it changes; only if one of them fails is the
   * transaction rolled back and the group run again with each op under its own savepoint, so the
   * failing op is the only one left out.
   */
  private void runGroup(List<Pending<?>> batch) {
    if (runTransaction(batch, false)) {
      return;
    }
    forgetRolledBack();
    for (Pending<?> pending : batch) {
      pending.reset();
    }
    runTransaction(batch, true);
  }

  /**
   * After a rollback: ids restart after the last durable one, leases ended in it still hold, and
   * the due hints are dropped.
   */
  private void forgetRolledBack() {
    session.transactionRolledBack();
    session.takeDueQueues();
  }

  /**
   * Runs the ops in one transaction and answers their callers once it committed. Without
   * savepoints, a failing op rolls the transaction back and answers nobody: returns false, for the
   * caller to run the group again with savepoints. With them, every op is answered, with its
   * failure or its result.
   */
  private boolean runTransaction(List<Pending<?>> batch, boolean savepoints) {
    try {
      session.control("BEGIN IMMEDIATE").execute();
    } catch (SQLException e) {
      failAll(batch, e, "could not start a transaction");
      return true;
    }
    try {
      for (Pending<?> pending : batch) {
        if (savepoints) {
          runInSavepoint(pending);
        } else {
          pending.run(session);
        }
      }
      session.beforeCommit();
      session.control("COMMIT").execute();
    } catch (SQLException | RuntimeException | Error e) {
      rollbackQuietly(e);
      if (!savepoints && !(e instanceof Error)) {
        return false;
      }
      forgetRolledBack();
      failAll(batch, e, "the transaction failed and was rolled back, nothing was written");
      return true;
    }
    session.transactionCommitted();
    commits.incrementAndGet();
    // Claims that these wake-ups lead to commit later, so they are answered after a later sync.
    announceDue(session.takeDueQueues());
    if (syncer == null) {
      batch.forEach(Pending::finish);
    } else {
      List<Pending<?>> committed = List.copyOf(batch);
      syncer.answerWhenDurable(
          () -> committed.forEach(Pending::finish),
          cause -> committed.forEach(pending -> pending.failNotDurable(dbFile, cause)));
    }
    return true;
  }

  private void announceDue(Set<String> queues) {
    for (String queue : queues) {
      for (Consumer<String> listener : dueListeners) {
        try {
          listener.accept(queue);
        } catch (RuntimeException e) {
          log.warn("SQLite store {}: a tasks-available listener failed", dbFile, e);
        }
      }
    }
  }

  /**
   * Runs one op under a savepoint. An op failure rolls back to the savepoint and is recorded on the
   * op; only a failure to roll back (SQLite already aborted the whole transaction, as it does on
   * I/O errors or a full disk) escapes and fails the group.
   */
  private void runInSavepoint(Pending<?> pending) throws SQLException {
    session.control("SAVEPOINT op").execute();
    WriterSession.Savepoint savepoint = session.savepoint();
    try {
      pending.run(session);
    } catch (SQLException | RuntimeException e) {
      session.control("ROLLBACK TO op").execute();
      session.rollBackTo(savepoint);
      pending.failure = translate(pending.what, e);
    }
    session.control("RELEASE op").execute();
  }

  private void rollbackQuietly(Throwable cause) {
    try {
      session.control("ROLLBACK").execute();
    } catch (SQLException e) {
      // SQLite rolls back by itself after the errors that abort a transaction.
      cause.addSuppressed(e);
    }
  }

  private void failAll(List<Pending<?>> batch, Throwable cause, String what) {
    log.warn("SQLite store {}: {}", dbFile, what, cause);
    for (Pending<?> pending : batch) {
      pending.future.completeExceptionally(
          new StoreException(
              "could not "
                  + pending.what
                  + " in SQLite store "
                  + dbFile
                  + ": "
                  + what
                  + " ("
                  + cause.getMessage()
                  + "); retry the call, and check disk space and file permissions if it persists",
              cause));
    }
  }

  private RuntimeException translate(String what, Exception e) {
    if (e instanceof RuntimeException re) {
      return re;
    }
    return new StoreException(
        "could not " + what + " in SQLite store " + dbFile + ": " + e.getMessage(), e);
  }

  /** Answers every queued op, then stops the writer thread and closes its connection. */
  @Override
  public void close() {
    lifecycle.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(stop);
    } finally {
      lifecycle.unlock();
    }
    if (joinUninterruptibly(thread)) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until {@code thread} has ended, even when interrupted meanwhile (closing must not leave a
   * thread using a connection it is about to close); returns whether an interrupt arrived, for the
   * caller to restore once its own cleanup is done.
   */
  static boolean joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    return interrupted;
  }

  private static final class Pending<T> {
    final String what;
    final WriteOp<T> op;
    final CompletableFuture<T> future = new CompletableFuture<>();
    T result;
    RuntimeException failure;

    Pending(String what, WriteOp<T> op) {
      this.what = what;
      this.op = op;
    }

    void run(WriterSession session) throws SQLException {
      if (!op.keepsDueProbes()) {
        session.forgetDueProbes();
      }
      result = op.apply(session);
    }

    /** Forgets the outcome of a run that was rolled back, before the op runs again. */
    void reset() {
      result = null;
      failure = null;
    }

    void finish() {
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(result);
      }
    }

    /**
     * Fails the op after its commit could not be synced: the write is in the database, but a power
     * loss may undo it.
     */
    void failNotDurable(Path dbFile, Exception cause) {
      future.completeExceptionally(
          new StoreException(
              "could not "
                  + what
                  + " durably in SQLite store "
                  + dbFile
                  + ": the transaction committed, but syncing it to disk failed ("
                  + cause.getMessage()
                  + "), so a power loss may undo it; check the disk",
              cause));
    }

    T join() {
      try {
        return future.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          // Rethrown on the caller's thread, so its stack shows where the call came from.
          re.addSuppressed(new Exception("the caller waited for the SQLite writer here"));
          throw re;
        }
        throw e;
      }
    }
  }
}
