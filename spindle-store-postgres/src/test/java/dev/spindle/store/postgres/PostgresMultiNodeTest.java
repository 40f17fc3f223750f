package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several Spindle nodes on one schema, each with its own store: every task runs once, on some node,
 * and an idle node learns of a submit elsewhere through LISTEN/NOTIFY long before its next poll.
 * The engine does not subscribe by itself yet; the test wires the store's notifications to {@link
 * Spindle#pollNow()}, as the engine would.
 */
class PostgresMultiNodeTest {
  private static final Duration SLOW_POLL = Duration.ofSeconds(30);

  private final List<Spindle> nodes = new ArrayList<>();
  private final List<PostgresTaskStore.Subscription> subscriptions = new ArrayList<>();
  private PostgresStoreOptions options;

  @BeforeEach
  void schema() {
    TestDatabase.assumeAvailable();
    options = TestDatabase.options(TestDatabase.newSchema()).build();
  }

  @AfterEach
  void close() {
    subscriptions.forEach(PostgresTaskStore.Subscription::close);
    nodes.forEach(Spindle::close);
    TestDatabase.dropSchemas();
  }

  private Spindle node(String name, ConcurrentHashMap<Long, String> ranOn) {
    PostgresTaskStore store = PostgresTaskStore.open(options);
    Spindle spindle =
        Spindle.builder()
            .store(store)
            .workerId(name)
            .pollInterval(SLOW_POLL)
            .queue("default", 16)
            .handler(
                "where",
                Integer.class,
                (n, ctx) -> {
                  ranOn.merge(ctx.taskId(), name, (a, b) -> a + "," + b);
                  return name;
                })
            .build();
    subscriptions.add(store.onTasksAvailable(q -> spindle.pollNow()));
    nodes.add(spindle);
    return spindle.start();
  }

  @Test
  void anIdleNodeRunsATaskSubmittedElsewhereWithinMilliseconds() throws Exception {
    ConcurrentHashMap<Long, String> ranOn = new ConcurrentHashMap<>();
    Spindle worker = node("worker", ranOn);
    try (PostgresTaskStore producer = PostgresTaskStore.open(options)) {
      Spindle submitter = Spindle.builder().store(producer).build(); // no queues: submits only
      Thread.sleep(200); // the worker's first poll has come and gone; the next is 30 s away

      long[] micros = new long[11];
      for (int round = -1; round < micros.length; round++) { // round -1 warms up
        Thread.sleep(20); // idle: the last announcement of the queue is out of its window
        long start = System.nanoTime();
        long id = submitter.submit(TaskRequest.of("where", round));
        TaskInfo done = worker.awaitFinal(id, Duration.ofSeconds(10));
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        if (round >= 0) {
          micros[round] = (System.nanoTime() - start) / 1000;
        }
      }
      Arrays.sort(micros);
      System.out.printf(
          "submit on one node to outcome committed on an idle other: median %d µs, max %d µs%n",
          micros[micros.length / 2], micros[micros.length - 1]);
      assertThat(micros[micros.length / 2])
          .as("well before the next poll")
          .isLessThan(SLOW_POLL.toNanos() / 1000 / 10);
    }
  }

  @Test
  void threeNodesRunEveryTaskExactlyOnce() throws Exception {
    ConcurrentHashMap<Long, String> ranOn = new ConcurrentHashMap<>();
    Spindle a = node("a", ranOn);
    node("b", ranOn);
    node("c", ranOn);
    List<TaskRequest> batch = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      batch.add(TaskRequest.of("where", i));
    }
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < batch.size(); i += 100) {
      ids.addAll(a.submitAll(batch.subList(i, i + 100)));
    }
    AtomicInteger succeeded = new AtomicInteger();
    for (long id : ids) {
      if (a.awaitFinal(id, Duration.ofSeconds(30)).state() == TaskState.SUCCEEDED) {
        succeeded.incrementAndGet();
      }
    }

    assertThat(succeeded).hasValue(3000);
    assertThat(ranOn).hasSize(3000);
    assertThat(ranOn.values()).allMatch(node -> !node.contains(","), "ran on one node only");
    Set<String> used = new HashSet<>(ranOn.values());
    System.out.printf("3000 tasks ran on nodes %s%n", used);
  }
}
