package dev.spindle.store.postgres.multinode;

import dev.spindle.server.SpindleServer;
import dev.spindle.store.postgres.PostgresStoreOptions;
import dev.spindle.store.postgres.PostgresTaskStore;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * One node of the multi-node crash test, in its own JVM: {@code NodeMain <url> <schema> <node>
 * <portFile> <logFile> <concurrency>}. Runs a server on a free port, writes the port to the port
 * file once it listens, and runs until it is killed.
 *
 * <p>The task type {@code work} logs {@code start <node> <taskId> <attempt> <micros>} and {@code
 * end ...} lines (wall-clock microseconds since the epoch), each written and flushed in one call so
 * that a SIGKILL leaves at most the line being written incomplete.
 */
public final class NodeMain {
  static final String TASK_TYPE = "work";
  static final Duration LEASE = Duration.ofSeconds(2);
  static final Duration WORK = Duration.ofMillis(20);

  private NodeMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String schema = args[1];
    String node = args[2];
    Path portFile = Path.of(args[3]);
    Path logFile = Path.of(args[4]);
    int concurrency = Integer.parseInt(args[5]);
    AttemptLog log = new AttemptLog(node, logFile);
    PostgresTaskStore store =
        PostgresTaskStore.open(
            PostgresStoreOptions.builder().url(url).schema(schema).poolSize(8).build());
    SpindleServer server =
        SpindleServer.builder()
            .port(0)
            .store(store)
            .queue("default", concurrency)
            .configure(
                b ->
                    b.workerId(node)
                        .pollInterval(Duration.ofMillis(50))
                        // Short leases so that the killed node's tasks come back within seconds.
                        .leaseDuration(LEASE)
                        .heartbeatInterval(Duration.ofMillis(500))
                        .maintenanceInterval(Duration.ofMillis(250))
                        .handler(
                            TASK_TYPE,
                            Long.class,
                            (n, ctx) -> {
                              log.write("start", ctx.taskId(), ctx.attempt());
                              Thread.sleep(WORK);
                              log.write("end", ctx.taskId(), ctx.attempt());
                              return null;
                            }))
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()));
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    new CountDownLatch(1).await(); // until the test kills this JVM
  }

  /** Appends one line per event; each line is one write, so a kill cannot interleave two. */
  private static final class AttemptLog {
    private final String node;
    private final OutputStream out;

    AttemptLog(String node, Path file) throws IOException {
      this.node = node;
      this.out = new FileOutputStream(file.toFile(), true);
    }

    synchronized void write(String event, long taskId, int attempt) {
      Instant now = Instant.now();
      long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
      String line = event + " " + node + " " + taskId + " " + attempt + " " + micros + "\n";
      try {
        // Unbuffered: the bytes reach the kernel before the handler goes on, and the kernel keeps
        // them when the JVM is killed.
        out.write(line.getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
