package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads calling one store at once. Threads start together behind a latch and run until the
 * work is done; nothing here waits on time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ConcurrencyContract extends StoreContract {
  private static final int THREADS = 8;

  @Test
  public void concurrentClaimersNeverReceiveTheSameTask() throws Exception {
    int tasks = 3000;
    enqueueMany(tasks);
    ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();

    runTogether(
        worker -> {
          while (true) {
            List<ClaimedTask> batch = claim(QUEUE, worker, 16);
            if (batch.isEmpty()) {
              return null;
            }
            batch.forEach(t -> claimed.add(t.id()));
          }
        });

    Set<Long> distinct = new HashSet<>(claimed);
    assertThat(claimed).as("claims").hasSize(tasks);
    assertThat(distinct).as("distinct tasks claimed").hasSize(tasks);
  }

  @Test
  public void concurrentProducersAndConsumersLoseNoTask() throws Exception {
    int producers = THREADS / 2;
    int perProducer = 500;
    int total = producers * perProducer;
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger producerIndex = new AtomicInteger();

    runTogether(
        worker -> {
          int index = producerIndex.getAndIncrement();
          if (index < producers) {
            for (int i = 0; i < perProducer; i += 10) {
              List<NewTask> batch = new ArrayList<>();
              for (int j = 0; j < 10; j++) {
                batch.add(task().payload("{\"p\":" + index + ",\"i\":" + (i + j) + "}").build());
              }
              store.enqueue(batch);
            }
            return null;
          }
          while (succeeded.get() < total) {
            List<ClaimedTask> batch =
                store.claim(new ClaimRequest(QUEUE, worker, 32, now(), now().plus(LEASE)));
            List<Outcome> outcomes = new ArrayList<>();
            for (ClaimedTask t : batch) {
              outcomes.add(new Outcome.Succeeded(t.id(), t.leaseToken(), "null", now()));
            }
            if (!outcomes.isEmpty()) {
              assertThat(store.complete(outcomes)).isEmpty();
              succeeded.addAndGet(outcomes.size());
            } else {
              Thread.onSpinWait();
            }
          }
          return null;
        });

    assertThat(succeeded.get()).isEqualTo(total);
    QueueStats stats = store.stats(now()).getFirst();
    assertThat(stats.count(TaskState.SUCCEEDED)).isEqualTo(total);
    assertThat(stats.counts()).containsOnlyKeys(TaskState.SUCCEEDED);
  }

  @Test
  public void concurrentSubmissionsOfOneKeyCreateOneTask() throws Exception {
    ConcurrentLinkedQueue<Enqueued> results = new ConcurrentLinkedQueue<>();

    runTogether(
        worker -> {
          results.add(store.enqueue(List.of(task().idempotencyKey("once").build())).getFirst());
          return null;
        });

    assertThat(results).hasSize(THREADS);
    assertThat(results.stream().filter(Enqueued::created)).hasSize(1);
    assertThat(results.stream().map(Enqueued::id).distinct()).hasSize(1);
  }

  @Test
  public void expiredLeasesAreRescuedOnceWhileOthersClaim() throws Exception {
    enqueueMany(200);
    List<ClaimedTask> first = claim(QUEUE, "crashed", 200);
    letLeasesExpire();
    ConcurrentLinkedQueue<Long> rescued = new ConcurrentLinkedQueue<>();

    runTogether(
        worker -> {
          rescued.addAll(store.rescueExpired(now(), 50).requeued());
          rescued.addAll(store.rescueExpired(now(), 50).requeued());
          return null;
        });

    assertThat(first).hasSize(200);
    assertThat(rescued).hasSize(200).doesNotHaveDuplicates();
  }

  private void enqueueMany(int count) {
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(task().payload("{\"i\":" + i + "}").build());
      if (batch.size() == 500) {
        store.enqueue(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.enqueue(batch);
    }
  }

  /** A body run by each thread, given a worker id. */
  @FunctionalInterface
  protected interface WorkerBody {
    Void run(String workerId) throws Exception;
  }

  /** Runs the body on {@link #THREADS} threads released at once; rethrows the first failure. */
  protected void runTogether(WorkerBody body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Void>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        String worker = "worker-" + i;
        Callable<Void> task =
            () -> {
              start.await();
              return body.run(worker);
            };
        futures.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Void> future : futures) {
        future.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
