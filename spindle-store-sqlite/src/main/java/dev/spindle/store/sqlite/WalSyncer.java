package dev.spindle.store.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the callers of committed transactions once the WAL holding them is on disk, off the
 * writer thread.
 *
 * <p>Why: with {@code synchronous=FULL} SQLite syncs the WAL inside COMMIT, and the writer thread
 * waits for the disk before it starts the next group: about a millisecond per commit on the
 * benchmark machine, a quarter to a third of the writer's time in the bulk benchmark. Instead the
 * writer commits with {@code synchronous=NORMAL}, where SQLite writes the WAL frames without
 * syncing them (it still syncs around checkpoints, which keeps the file consistent after any
 * crash), and hands the committed group here. This thread syncs the WAL file once for every group
 * handed over meanwhile and only then answers their callers, while the writer already runs the next
 * group. A call that returned is as durable as with {@code FULL}: its commit was in the WAL when
 * the sync began.
 *
 * <p>What a reader may see earlier: the read-only connections see a commit as soon as SQLite wrote
 * it, up to one sync before it is on disk, so a read may show a state that a power loss at that
 * moment would undo. A process crash loses nothing written: the frames are in the OS's cache.
 */
final class WalSyncer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalSyncer.class);

  /** Makes every write to the WAL so far durable; tests substitute one that can be held. */
  interface Sync extends AutoCloseable {
    void sync() throws IOException;

    @Override
    void close() throws IOException;
  }

  /** A committed group: how to answer its callers, and how to fail them if the sync fails. */
  private record Committed(Runnable answer, Consumer<Exception> fail) {}

  private static final Committed STOP = new Committed(() -> {}, e -> {});

  private final LinkedBlockingQueue<Committed> queue = new LinkedBlockingQueue<>();

  /**
   * Groups the writer may have under way and not yet answered: one being synced, one being run. A
   * writer further ahead would commit ever smaller groups under a trickle of single writes, each
   * rewriting the same hot pages into the WAL, which made the syncs longer and the latency from
   * submit to start worse than syncing inside COMMIT (p99 20-35 ms against 11-16 ms at 28,000
   * single submits/s, in alternating runs); waiting for its turn, ops gather into one group.
   */
  private final Semaphore turns = new Semaphore(2);

  private final Sync sync;
  private final Path dbFile;
  private final Thread thread;

  private WalSyncer(Sync sync, Path dbFile) {
    this.sync = sync;
    this.dbFile = dbFile;
    this.thread = Thread.ofPlatform().name("spindle-sqlite-sync").daemon().unstarted(this::run);
  }

  static WalSyncer start(Sync sync, Path dbFile) {
    WalSyncer syncer = new WalSyncer(sync, dbFile);
    syncer.thread.start();
    return syncer;
  }

  /**
   * Syncs the WAL file of {@code dbFile} with {@code fdatasync}. The file is opened at the first
   * sync, after the writer's first commit: SQLite creates it, and keeps the same file (truncating
   * it at most) for as long as the writer's connection is open.
   */
  static Sync walFile(Path dbFile) {
    Path wal = dbFile.resolveSibling(dbFile.getFileName() + "-wal");
    return new Sync() {
      private FileChannel channel;

      @Override
      public void sync() throws IOException {
        if (channel == null) {
          channel = FileChannel.open(wal, StandardOpenOption.READ);
        }
        channel.force(false);
      }

      @Override
      public void close() throws IOException {
        if (channel != null) {
          channel.close();
        }
      }
    };
  }

  /** Called by the writer before it runs a group: waits while two groups are unanswered. */
  void awaitTurn() {
    turns.acquireUninterruptibly();
  }

  /** Gives the turn back when the group ran but was not handed over (it failed, or was empty). */
  void skipTurn() {
    turns.release();
  }

  /**
   * Answers a committed group by running {@code answer} once the WAL is synced, or {@code fail}
   * with the cause if the sync fails.
   */
  void answerWhenDurable(Runnable answer, Consumer<Exception> fail) {
    queue.add(new Committed(answer, fail));
  }

  private void run() {
    List<Committed> groups = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      groups.add(GroupCommitWriter.takeUninterruptibly(queue));
      queue.drainTo(groups);
      stopping = groups.removeIf(group -> group == STOP);
      if (!groups.isEmpty()) {
        syncAndAnswer(groups);
      }
      groups.clear();
    }
    try {
      sync.close();
    } catch (IOException e) {
      log.warn("SQLite store {}: could not close the WAL file", dbFile, e);
    }
  }

  private void syncAndAnswer(List<Committed> groups) {
    Exception failure = syncOrFailure();
    for (Committed group : groups) {
      answer(failure == null ? group.answer : () -> group.fail.accept(failure));
    }
    turns.release(groups.size());
  }

  /** Syncs the WAL; returns why it failed, or null. */
  private Exception syncOrFailure() {
    try {
      sync.sync();
      return null;
    } catch (IOException | RuntimeException e) {
      log.error("SQLite store {}: syncing the WAL to disk failed", dbFile, e);
      return e;
    }
  }

  /** Runs an answer; one that throws must not stop the answers after it, nor the writer's turns. */
  private void answer(Runnable answer) {
    try {
      answer.run();
    } catch (RuntimeException e) {
      log.error("SQLite store {}: answering a committed write failed", dbFile, e);
    }
  }

  /** Syncs and answers every group handed over, then stops; call after the writer's last commit. */
  @Override
  public void close() {
    queue.add(STOP);
    if (GroupCommitWriter.joinUninterruptibly(thread)) {
      Thread.currentThread().interrupt();
    }
  }
}
