package dev.spindle.store.postgres;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.StartOnSubmit;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.task.NewTask;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for enqueues: concurrent callers' batches are written together, one INSERT and one
 * commit for all of them, by {@link PostgresStoreOptions#enqueueWriters} writer threads (one by
 * default). A commit waits for PostgreSQL's WAL flush (about 1 ms on the 2-core test machine,
 * whatever the row count), so one task per submit at 10,000 submits a second needs 10 connections
 * doing nothing but committing; coalesced, a handful of commits carry them all. With one caller at
 * a time each batch is written alone, as before, at the cost of one hand-off to a writer.
 *
 * <p>A failed shared write is retried caller by caller, so one caller's bad batch fails only that
 * caller. Batches with idempotency keys do not come here: their conflicts need a transaction of
 * their own.
 */
final class EnqueueCoalescer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EnqueueCoalescer.class);

  /** Rows above which a writer stops adding callers' batches to its write. */
  static final int MAX_ROWS = 5000;

  /**
   * Writes tasks in one statement, committed on its own, starting those with an entry in {@code
   * startPerTask} (null for none, see {@link EnqueueStatement#write}); throws on failure.
   */
  @FunctionalInterface
  interface Write {
    EnqueueStatement.Written apply(List<NewTask> tasks, ClaimRequest[] startPerTask);
  }

  private record Pending(
      List<NewTask> tasks,
      ClaimRequest start,
      Consumer<EnqueueStatement.Written> committed,
      CompletableFuture<EnqueueStatement.Written> result) {

    /** Hands the caller's share of a committed write to its hook, then wakes the caller. */
    void complete(EnqueueStatement.Written written) {
      try {
        committed.accept(written);
      } catch (RuntimeException e) {
        // The tasks are written: the caller still gets their ids.
        log.warn("the hook of a committed enqueue of {} tasks failed", tasks.size(), e);
      }
      result.complete(written);
    }
  }

  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Write write;
  private final List<Thread> writers = new ArrayList<>();
  private final AtomicLong writes = new AtomicLong();
  private volatile boolean closed;

  EnqueueCoalescer(int writerCount, Write write) {
    this.write = write;
    for (int i = 0; i < writerCount; i++) {
      // A platform thread: every write waits for PostgreSQL twice (statement and commit), and a
      // virtual thread then waits again for a carrier, behind the submitters and handlers it
      // serves. In PostgreSQL (c) at 9,355 submits/s a write took 4.4 ms at p50 and 19.4 ms at p99
      // on a virtual thread, 1.8 and 8.0 ms on a platform thread.
      writers.add(
          Thread.ofPlatform().daemon().name("spindle-pg-enqueue-" + i).start(this::writeLoop));
    }
  }

  /** Writes {@code tasks}, shared with other callers' batches; returns when committed. */
  List<Enqueued> enqueue(List<NewTask> tasks) {
    return enqueue(tasks, null, written -> {}).enqueued();
  }

  /**
   * Writes {@code tasks}, shared with other callers' batches, and may insert RUNNING, leased for
   * {@code start}, those {@link StartOnSubmit#choose} picks; returns when committed. The writer
   * hands what it wrote to {@code committed} before it wakes the caller, on its own thread: the
   * tasks it leased can start without waiting for the caller to run again, which on a busy machine
   * is a wait for a free core.
   */
  EnqueueStatement.Written enqueue(
      List<NewTask> tasks, ClaimRequest start, Consumer<EnqueueStatement.Written> committed) {
    if (closed) {
      throw new StoreException("the store is closed; cannot enqueue " + tasks.size() + " tasks");
    }
    Pending pending = new Pending(tasks, start, committed, new CompletableFuture<>());
    queue.add(pending);
    if (closed) {
      failLeftovers();
    }
    try {
      return pending.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (!closed) {
      Pending first;
      try {
        // Wakes up now and then to notice close() without being interrupted mid-write.
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        continue;
      }
      batch.add(first);
      int rows = first.tasks().size();
      while (rows < MAX_ROWS) {
        Pending next = queue.poll();
        if (next == null) {
          break;
        }
        batch.add(next);
        rows += next.tasks().size();
      }
      flush(batch);
      batch.clear();
    }
  }

  private void flush(List<Pending> batch) {
    if (batch.size() == 1) {
      writeAlone(batch.get(0));
      return;
    }
    List<NewTask> all = new ArrayList<>();
    for (Pending p : batch) {
      all.addAll(p.tasks());
    }
    ClaimRequest[] starts = null;
    int offset = 0;
    for (Pending p : batch) {
      ClaimRequest[] own = startsOf(p);
      if (own != null) {
        if (starts == null) {
          starts = new ClaimRequest[all.size()];
        }
        System.arraycopy(own, 0, starts, offset, own.length);
      }
      offset += p.tasks().size();
    }
    EnqueueStatement.Written written;
    try {
      writes.incrementAndGet();
      written = write.apply(all, starts);
    } catch (RuntimeException e) {
      // Nothing was written (one statement); find out whose batch it was.
      batch.forEach(this::writeAlone);
      return;
    }
    offset = 0;
    for (Pending p : batch) {
      int n = p.tasks().size();
      p.complete(written.slice(offset, offset + n));
      offset += n;
    }
  }

  private void writeAlone(Pending pending) {
    EnqueueStatement.Written written;
    try {
      writes.incrementAndGet();
      written = write.apply(pending.tasks(), startsOf(pending));
    } catch (RuntimeException e) {
      pending.result().completeExceptionally(e);
      return;
    }
    pending.complete(written);
  }

  /** Per task of the caller's batch, the claim to lease it to, or null; null for none at all. */
  private static ClaimRequest[] startsOf(Pending p) {
    if (p.start() == null) {
      return null;
    }
    List<NewTask> tasks = p.tasks();
    List<Integer> chosen =
        StartOnSubmit.choose(tasks, p.start(), i -> tasks.get(i).dependsOn().isEmpty());
    if (chosen.isEmpty()) {
      return null;
    }
    ClaimRequest[] starts = new ClaimRequest[tasks.size()];
    for (int i : chosen) {
      starts[i] = p.start();
    }
    return starts;
  }

  /** Statements written so far, shared or alone (for tests). */
  long writes() {
    return writes.get();
  }

  /** Batches waiting for a writer (for tests). */
  int waiting() {
    return queue.size();
  }

  private void failLeftovers() {
    for (Pending p = queue.poll(); p != null; p = queue.poll()) {
      p.result()
          .completeExceptionally(
              new StoreException(
                  "the store was closed before " + p.tasks().size() + " tasks were enqueued"));
    }
  }

  /** Lets writes under way finish, then fails batches no writer took. */
  @Override
  public void close() {
    closed = true;
    for (Thread writer : writers) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    failLeftovers();
  }
}
