package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server JVM is killed with SIGKILL while clients submit over HTTP. A new server on the same file
 * must hold every task whose submit was answered 201, and run each of them to SUCCEEDED.
 */
class ServerCrashTest {
  private static final int CLIENTS = 8;
  private static final int ACKS_BEFORE_KILL = 400;
  private static final int MAX_REQUESTS_PER_CLIENT = 5_000;
  private static final String TASK = "{\"type\":\"sleep\",\"payload\":{\"millis\":20}}";

  @TempDir Path dir;

  @Test
  void everyAcknowledgedSubmitSurvivesSigkill() throws Exception {
    Path db = dir.resolve("crash.db");
    Process first = startServer(db, "first", 1);
    Api api = new Api(awaitPort(dir.resolve("first.port"), first));

    Set<Long> acked = ConcurrentHashMap.newKeySet();
    List<String> unexpected = new ArrayList<>();
    AtomicBoolean killed = new AtomicBoolean();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < CLIENTS; c++) {
        clients.submit(
            () -> {
              for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !killed.get(); i++) {
                Api.Reply r;
                try {
                  r = api.post("/v1/tasks", TASK);
                } catch (UncheckedIOException e) {
                  return; // the server is gone: this answer never came
                }
                if (r.status() == 201) {
                  acked.add(r.json().get("id").asLong());
                } else {
                  synchronized (unexpected) {
                    unexpected.add(r.status() + " " + r.body());
                  }
                }
              }
            });
      }
      awaitAcks(acked, first);
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      killed.set(true);
    }
    assertThat(first.exitValue()).as("killed by signal 9").isEqualTo(137);
    assertThat(unexpected).isEmpty();

    Process second = startServer(db, "second", 16);
    try {
      Api again = new Api(awaitPort(dir.resolve("second.port"), second));
      for (long id : acked) {
        assertThat(again.get("/v1/tasks/" + id).status()).as("task %d", id).isEqualTo(200);
      }
      awaitAllSucceeded(again, acked);
      System.out.printf("crash test: %d submits acknowledged before the kill%n", acked.size());
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Process startServer(Path db, String name, int concurrency) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            ServerMain.class.getName(),
            db.toString(),
            dir.resolve(name + ".port").toString(),
            Integer.toString(concurrency))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .start();
  }

  private static int awaitPort(Path portFile, Process server) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      if (Files.exists(portFile)) {
        return Integer.parseInt(Files.readString(portFile).trim());
      }
      if (!server.isAlive()) {
        throw new AssertionError("server exited early with " + server.exitValue());
      }
      Thread.sleep(20); // polling another process; no time logic depends on it
    }
    throw new AssertionError("server did not start listening in 60 s");
  }

  private static void awaitAcks(Set<Long> acked, Process server) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acked.size() < ACKS_BEFORE_KILL) {
      if (System.nanoTime() > end || !server.isAlive()) {
        throw new AssertionError("only " + acked.size() + " submits acknowledged");
      }
      Thread.sleep(5); // polling the clients' progress
    }
  }

  private static void awaitAllSucceeded(Api api, Set<Long> ids) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Set<Long> left = ConcurrentHashMap.newKeySet();
    left.addAll(ids);
    while (!left.isEmpty()) {
      for (Long id : List.copyOf(left)) {
        JsonNode t = api.get("/v1/tasks/" + id).json();
        if (t.get("state").asText().equals("SUCCEEDED")) {
          left.remove(id);
        }
      }
      if (!left.isEmpty()) {
        if (System.nanoTime() > end) {
          throw new AssertionError(left.size() + " acknowledged tasks never succeeded: " + left);
        }
        Thread.sleep(100); // polling another process
      }
    }
  }
}
