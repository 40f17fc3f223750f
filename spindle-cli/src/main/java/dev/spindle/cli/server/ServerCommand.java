package dev.spindle.cli.server;

import dev.spindle.cli.CliFailure;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.store.TaskStore;
import dev.spindle.server.SpindleServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle server}: the HTTP API and the workers, until SIGINT or SIGTERM. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Spindle server: the HTTP API (/v1/tasks, /v1/queues, /metrics, /health) and the"
          + " workers, on an embedded SQLite store. Stops gracefully on Ctrl-C or SIGTERM:"
          + " running tasks get time to finish, the rest go back to their queue."
    },
    footer = {
      "",
      "Examples:",
      "  spindle server",
      "  spindle server --port 8080 --data /var/lib/spindle --queue default=128",
      "  spindle server --store sqlite:/tmp/tasks.db"
    })
public final class ServerCommand implements Callable<Integer> {
  /**
   * Silenced while the server starts: a failed start (port in use) is logged as SEVERE with stack
   * traces, and this command reports it as one line instead. Held because JUL keeps loggers weakly.
   */
  private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "7070",
      description = "TCP port; 0 picks a free one (default ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "address to listen on; 0.0.0.0 for every interface (default ${DEFAULT-VALUE})")
  String host;

  @ArgGroup(exclusive = true)
  Storage storage;

  /** One of the two ways to say where tasks are kept. */
  static final class Storage {
    @Option(
        names = "--data",
        paramLabel = "DIR",
        description =
            "keep tasks in DIR/" + StoreLocation.SQLITE_FILE + " (default ./spindle-data)")
    Path data;

    @Option(
        names = "--store",
        paramLabel = "URL",
        description =
            "keep tasks in this store instead: sqlite:PATH, or postgresql://USER@HOST:PORT/DB to"
                + " share one database between many nodes")
    String store;
  }

  @Option(
      names = "--queue",
      paramLabel = "NAME=CONCURRENCY",
      description =
          "run queue NAME with at most CONCURRENCY tasks at once; repeatable"
              + " (default: the queues the task types name, 64 each)")
  Map<String, Integer> queues = new LinkedHashMap<>();

  @Option(
      names = "--handlers",
      paramLabel = "PATH",
      description =
          "a jar, or a directory of jars, with more task types (found through"
              + " META-INF/services/dev.spindle.core.TaskTypeProvider)")
  Path handlers;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    StoreLocation location = location();
    if (handlers != null && !Files.exists(handlers)) {
      throw usage("Invalid value for option '--handlers': " + handlers + " does not exist");
    }
    if (port < 0 || port > 65_535) {
      throw usage("Invalid value for option '--port': " + port + " is not a port (0 to 65535)");
    }
    queues.forEach(
        (name, concurrency) -> {
          if (concurrency < 1) {
            throw usage(
                "Invalid value for option '--queue': %s=%d: concurrency must be at least 1"
                    .formatted(name, concurrency));
          }
        });
    requireFreePort();
    SpindleServer server = start(location);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Spindle%s listening on http://%s:%d (store %s)%n",
        version(), host, server.port(), location.describe());
    out.println("Stop with Ctrl-C.");
    out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // Runs on SIGINT/SIGTERM: the JVM waits for this hook before it exits.
                  PrintWriter err = spec.commandLine().getErr();
                  err.println("stopping: letting running tasks finish…");
                  err.flush();
                  server.close();
                  err.println("stopped");
                  err.flush();
                  stopped.countDown();
                },
                "spindle-shutdown"));
    stopped.await();
    return ExitCode.OK;
  }

  /**
   * Fails with one clear line when the port is taken, before the store is opened; Helidon's own
   * report of it is a stack trace without the cause.
   */
  private void requireFreePort() {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      throw CliFailure.failed(
          "cannot listen on %s:%d: the port is in use (another `spindle server`?); stop it or"
                  .formatted(host, port)
              + " choose another port with --port",
          e);
    } catch (IOException e) {
      throw CliFailure.failed(
          "cannot listen on %s:%d: %s".formatted(host, port, e.getMessage()), e);
    }
  }

  private SpindleServer start(StoreLocation location) {
    TaskStore store;
    try {
      store = location.open();
    } catch (StoreException | IllegalArgumentException e) {
      // a locked SQLite file, an unreachable or newer PostgreSQL schema, a malformed URL
      throw CliFailure.failed(e.getMessage(), e);
    }
    SpindleServer.Builder builder = SpindleServer.builder().host(host).port(port).store(store);
    queues.forEach(builder::queue);
    if (handlers != null) {
      builder.handlersPath(handlers);
    }
    Level level = HELIDON_LOG.getLevel();
    HELIDON_LOG.setLevel(Level.OFF);
    try {
      return builder.start(); // closes the store if it fails
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw CliFailure.failed("could not start: " + e.getMessage(), e);
    } finally {
      HELIDON_LOG.setLevel(level);
    }
  }

  private StoreLocation location() {
    if (storage != null && storage.store != null) {
      try {
        return StoreLocation.parse(storage.store);
      } catch (IllegalArgumentException e) {
        throw usage("Invalid value for option '--store': " + e.getMessage());
      }
    }
    return StoreLocation.dataDir(
        storage != null && storage.data != null ? storage.data : Path.of("spindle-data"));
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static String version() {
    String v = ServerCommand.class.getPackage().getImplementationVersion();
    return v == null ? "" : " " + v;
  }
}
