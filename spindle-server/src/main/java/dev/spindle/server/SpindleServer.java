package dev.spindle.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.core.Spindle;
import dev.spindle.core.SpindleBuilder;
import dev.spindle.core.SpindleListener;
import dev.spindle.core.TaskTypeProvider;
import dev.spindle.core.store.TaskStore;
import dev.spindle.server.builtin.BuiltinTaskTypes;
import dev.spindle.server.http.ApiRouting;
import dev.spindle.server.http.JsonBodyReader;
import dev.spindle.server.http.JsonReplies;
import dev.spindle.server.http.OpsEndpoints;
import dev.spindle.server.http.ProblemDirectHandler;
import dev.spindle.server.http.ProblemWriter;
import dev.spindle.server.http.QueueEndpoints;
import dev.spindle.server.http.TaskEndpoints;
import dev.spindle.server.http.TaskRequestReader;
import dev.spindle.server.metrics.QueueGauges;
import dev.spindle.server.metrics.SpindleMetrics;
import dev.spindle.wordcount.WordCount;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spindle engine behind the v1 HTTP API, with Prometheus metrics and a health check.
 *
 * <pre>{@code
 * try (SpindleServer server = SpindleServer.builder()
 *         .store(SqliteTaskStore.open(Path.of("spindle.db")))
 *         .queue("default", 64)
 *         .start()) {
 *   // curl -H 'Content-Type: application/json' -d '{"type":"noop"}' localhost:7070/v1/tasks
 * }
 * }</pre>
 *
 * <p>The server registers the built-in task types ({@code noop}, {@code sleep}, {@code http},
 * {@code wordcount}), those of the jars on the handlers path, and those given to {@link
 * Builder#configure(Consumer)}. HTTP requests run on virtual threads, one per request.
 */
public final class SpindleServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpindleServer.class);

  private final WebServer web;
  private final Spindle spindle;
  private final BuiltinTaskTypes builtins;
  private final HandlerJars jars;
  private final AtomicBoolean closed;

  private SpindleServer(
      WebServer web,
      Spindle spindle,
      BuiltinTaskTypes builtins,
      HandlerJars jars,
      AtomicBoolean closed) {
    this.web = web;
    this.spindle = spindle;
    this.builtins = builtins;
    this.jars = jars;
    this.closed = closed;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on; the one picked by the system when built with port 0. */
  public int port() {
    return web.port();
  }

  /** The engine inside, e.g. to submit from Java or to wait for a task. */
  public Spindle spindle() {
    return spindle;
  }

  /**
   * Stops accepting HTTP requests, then closes the engine gracefully (running tasks finish or are
   * given back to the queue) and with it the store. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      web.stop();
    } finally {
      try {
        spindle.close();
      } finally {
        builtins.close();
        if (jars != null) {
          jars.close();
        }
      }
    }
  }

  /** Configures a {@link SpindleServer}. Only {@link #store(TaskStore)} is required. */
  public static final class Builder {
    private int port = 7070;
    private String host = "127.0.0.1";
    private TaskStore store;
    private final Map<String, Integer> queues = new LinkedHashMap<>();
    private Path handlersPath;
    private ServerLimits limits = ServerLimits.defaults();
    private Consumer<SpindleBuilder> more = b -> {};
    private SpindleListener listener;

    private Builder() {}

    /** Default 7070; 0 lets the system pick a free port (see {@link SpindleServer#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** The address to listen on; default 127.0.0.1 (this machine only). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The task store; the server closes it on {@link SpindleServer#close()}. Required. */
    public Builder store(TaskStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Runs tasks of {@code name}, at most {@code concurrency} at once. Repeatable. */
    public Builder queue(String name, int concurrency) {
      queues.put(Objects.requireNonNull(name, "queue name"), concurrency);
      return this;
    }

    /**
     * A jar, or a directory of jars, whose {@code
     * META-INF/services/dev.spindle.core.TaskTypeProvider} files name the providers of more task
     * types.
     */
    public Builder handlersPath(Path dirOrJar) {
      this.handlersPath = Objects.requireNonNull(dirOrJar, "handlersPath");
      return this;
    }

    public Builder limits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Further engine configuration, applied last: task types, lease and poll settings. The listener
     * is the server's (for metrics); use {@link #listener(SpindleListener)} for yours.
     */
    public Builder configure(Consumer<SpindleBuilder> more) {
      this.more = Objects.requireNonNull(more, "configure");
      return this;
    }

    /** A listener that receives engine events after the server's metrics did. */
    public Builder listener(SpindleListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds and starts the engine, then listens for HTTP.
     *
     * @throws IllegalStateException if no store was given, or the address cannot be bound; the
     *     store is closed then
     * @throws IllegalArgumentException if the engine configuration or the handlers path is invalid;
     *     the store is closed then
     */
    public SpindleServer start() {
      if (store == null) {
        throw new IllegalStateException("a store is required: call store(...) before start()");
      }
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      SpindleMetrics metrics = new SpindleMetrics(registry);
      BuiltinTaskTypes builtins = BuiltinTaskTypes.create();
      HandlerJars jars = null;
      Spindle spindle = null;
      try {
        jars = handlersPath == null ? null : HandlerJars.open(handlersPath);
        spindle = buildEngine(metrics, builtins, jars).start();
        AtomicBoolean closed = new AtomicBoolean();
        WebServer web = listen(spindle, registry, builtins, closed);
        log.info(
            "Spindle server listening on http://{}:{} (queues {}, task types {})",
            host,
            web.port(),
            spindle.queueNames(),
            spindle.taskTypes());
        return new SpindleServer(web, spindle, builtins, jars, closed);
      } catch (RuntimeException e) {
        if (spindle != null) {
          spindle.close();
        } else {
          store.close();
        }
        builtins.close();
        if (jars != null) {
          jars.close();
        }
        throw e;
      }
    }

    private Spindle buildEngine(
        SpindleMetrics metrics, BuiltinTaskTypes builtins, HandlerJars jars) {
      SpindleBuilder b =
          Spindle.builder().store(store).listener(listener == null ? metrics : both(metrics));
      queues.forEach(b::queue);
      builtins.register(b);
      WordCount.register(b);
      if (jars != null) {
        for (TaskTypeProvider p : jars.providers()) {
          try {
            p.register(b);
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                "task type provider "
                    + p.getClass().getName()
                    + " from handlers path "
                    + jars.path()
                    + " failed to register: "
                    + e.getMessage(),
                e);
          }
        }
      }
      more.accept(b);
      return b.build();
    }

    private WebServer listen(
        Spindle spindle,
        PrometheusMeterRegistry registry,
        BuiltinTaskTypes builtins,
        AtomicBoolean closed) {
      // Each request runs on a virtual thread of its own: buffers from the shared pool.
      JsonFactory jsonFactory = SpindleBuilder.sharedBufferFactory();
      ObjectMapper json = new ObjectMapper(jsonFactory);
      ProblemWriter problems = new ProblemWriter(json);
      JsonReplies replies = new JsonReplies(jsonFactory);
      Set<String> served = spindle.queueNames();
      TaskEndpoints tasks =
          new TaskEndpoints(
              spindle,
              limits,
              new JsonBodyReader(limits),
              new TaskRequestReader(spindle.taskTypes(), served, builtins.payloadChecks()),
              replies);
      QueueEndpoints queueEndpoints = new QueueEndpoints(spindle, served, replies);
      QueueGauges gauges = new QueueGauges(spindle, registry, served);
      OpsEndpoints ops = new OpsEndpoints(spindle, registry, gauges, () -> !closed.get(), replies);
      DirectHandler direct = new ProblemDirectHandler(problems, limits.maxBodyBytes());
      WebServer web;
      try {
        web =
            WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                .maxPayloadSize(limits.maxBodyBytes())
                .directHandlers(
                    d -> {
                      for (DirectHandler.EventType t : DirectHandler.EventType.values()) {
                        d.addHandler(t, direct);
                      }
                    })
                .routing(r -> ApiRouting.configure(r, tasks, queueEndpoints, ops, problems))
                .build()
                .start();
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
      }
      // Helidon logs a failed bind and returns a stopped server instead of throwing.
      if (!web.isRunning() || web.port() < 0) {
        web.stop();
        throw new IllegalStateException(
            "cannot listen on "
                + host
                + ":"
                + port
                + ": the web server did not start (is the port in use? the log has the cause)");
      }
      return web;
    }

    private SpindleListener both(SpindleMetrics metrics) {
      return new ChainedListener(metrics, listener);
    }
  }
}
