package dev.spindle.bench;

import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.store.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One end-to-end measurement on a fresh store: no-op tasks whose payload is the time they were
 * meant to be submitted, so the handler can record submit-to-start latency. A task counts as done
 * when the store has committed its outcome, not when its handler returned.
 */
final class EndToEndRun {
  private final Supplier<TaskStore> stores;
  private final int concurrency;

  EndToEndRun(Supplier<TaskStore> stores, int concurrency) {
    this.stores = stores;
    this.concurrency = concurrency;
  }

  record Throughput(
      int tasks, double submitSeconds, double endToEndSeconds, LatencyRecorder.Summary latency) {
    double submitRate() {
      return tasks / submitSeconds;
    }

    double endToEndRate() {
      return tasks / endToEndSeconds;
    }
  }

  record Paced(
      double targetRate, double achievedRate, int tasks, LatencyRecorder.Summary latency) {}

  /**
   * Submits {@code tasks} as fast as {@code producers} threads can, in batches of {@code batch}.
   */
  Throughput bulk(int tasks, int producers, int batch) throws Exception {
    LatencyRecorder latency = new LatencyRecorder(tasks);
    CountDownLatch done = new CountDownLatch(tasks);
    try (Spindle spindle = build(latency, done)) {
      long t0 = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
          running.add(
              pool.submit(
                  () -> {
                    List<TaskRequest> chunk = new ArrayList<>(batch);
                    while (true) {
                      int start = next.getAndAdd(batch);
                      if (start >= tasks) {
                        return null;
                      }
                      int n = Math.min(batch, tasks - start);
                      long now = System.nanoTime();
                      chunk.clear();
                      for (int i = 0; i < n; i++) {
                        chunk.add(TaskRequest.of("noop", now));
                      }
                      spindle.submitAll(chunk);
                    }
                  }));
        }
        for (Future<?> f : running) {
          f.get();
        }
      }
      long submitted = System.nanoTime();
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(done.getCount() + " tasks did not finish in 10 minutes");
      }
      long finished = System.nanoTime();
      return new Throughput(
          tasks, (submitted - t0) / 1e9, (finished - t0) / 1e9, latency.summary());
    }
  }

  /**
   * Submits one task at a time at a steady {@code rate} for {@code duration}, paced by a {@link
   * Pacer}. Latency is measured from each task's scheduled submit time, so a stalled submit counts
   * against it.
   */
  Paced paced(double rate, Duration duration) throws Exception {
    int tasks = (int) (rate * duration.toNanos() / 1e9);
    LatencyRecorder latency = new LatencyRecorder(tasks);
    CountDownLatch done = new CountDownLatch(tasks);
    try (Spindle spindle = build(latency, done)) {
      long t0 = System.nanoTime() + 50_000_000;
      Pacer pacer = new Pacer(t0, rate);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < tasks; i++) {
          long due = pacer.awaitDue(i);
          pool.submit(() -> spindle.submit(TaskRequest.of("noop", due)));
        }
      }
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(done.getCount() + " tasks did not finish in 10 minutes");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Paced(rate, tasks / seconds, tasks, latency.summary());
    }
  }

  private Spindle build(LatencyRecorder latency, CountDownLatch done) {
    FinishedAttempts finished = new FinishedAttempts(done::countDown);
    return Spindle.builder()
        .store(stores.get())
        .listener(finished)
        .retention(Duration.ZERO)
        .queue("default", concurrency)
        .handler(
            "noop",
            Long.class,
            (submittedAt, ctx) -> {
              latency.record(System.nanoTime() - submittedAt);
              return null;
            })
        .build()
        .start();
  }
}
