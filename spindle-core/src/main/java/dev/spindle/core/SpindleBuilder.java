package dev.spindle.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.spindle.core.engine.Engine;
import dev.spindle.core.engine.EngineSettings;
import dev.spindle.core.engine.HandlerRegistry;
import dev.spindle.core.engine.NewTaskFactory;
import dev.spindle.core.engine.RegisteredType;
import dev.spindle.core.engine.Submitter;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskLimits;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** Configures a {@link Spindle}. Only {@link #store(TaskStore)} is required. */
public final class SpindleBuilder {
  /** Concurrency of a queue that a handler names but {@link #queue(String, int)} did not. */
  public static final int DEFAULT_CONCURRENCY = 64;

  private TaskStore store;
  private Clock clock = Clock.systemUTC();
  private ObjectMapper json;
  private String workerId;
  private SpindleListener listener = new SpindleListener() {};
  private final Map<String, Integer> queues = new LinkedHashMap<>();
  private final Map<String, RegisteredType<?>> types = new LinkedHashMap<>();
  private Duration leaseDuration = Duration.ofSeconds(30);
  private Duration heartbeatInterval;
  private Duration pollInterval = Duration.ofMillis(500);
  private Duration maintenanceInterval = Duration.ofSeconds(1);
  private Duration watchdogInterval = Duration.ofMillis(100);
  private Duration shutdownTimeout = Duration.ofSeconds(30);
  private Duration retention = Duration.ofDays(7);
  private int maxClaimBatch = 512;
  private boolean maintenance = true;

  SpindleBuilder() {}

  public SpindleBuilder store(TaskStore s) {
    this.store = Objects.requireNonNull(s, "store");
    return this;
  }

  /** The clock every time decision uses; tests pass a manual one. */
  public SpindleBuilder clock(Clock c) {
    this.clock = Objects.requireNonNull(c, "clock");
    return this;
  }

  /**
   * The mapper for payloads and results. Default typing must stay off: data never names classes.
   */
  public SpindleBuilder objectMapper(ObjectMapper m) {
    this.json = Objects.requireNonNull(m, "objectMapper");
    return this;
  }

  /** This instance's name in leases; default host, pid and a random suffix. */
  public SpindleBuilder workerId(String id) {
    this.workerId = Objects.requireNonNull(id, "workerId");
    return this;
  }

  public SpindleBuilder listener(SpindleListener l) {
    this.listener = Objects.requireNonNull(l, "listener");
    return this;
  }

  /** Runs tasks of {@code queue}, at most {@code concurrency} at once on this instance. */
  public SpindleBuilder queue(String name, int concurrency) {
    requireName("queue", name);
    if (concurrency < 1 || concurrency > 100_000) {
      throw new IllegalArgumentException(
          "concurrency of queue '" + name + "' must be 1 to 100000, was " + concurrency);
    }
    queues.put(name, concurrency);
    return this;
  }

  /** Registers the handler of {@code type} with default options (queue "default"). */
  public <P> SpindleBuilder handler(String type, Class<P> payloadType, TaskHandler<P> handler) {
    return handler(type, payloadType, handler, TaskTypeOptions.DEFAULTS);
  }

  public <P> SpindleBuilder handler(
      String type, Class<P> payloadType, TaskHandler<P> handler, TaskTypeOptions options) {
    requireName("type", type);
    requireName("queue", options.queue());
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(handler, "handler");
    if (types.containsKey(type)) {
      throw new IllegalArgumentException("a handler for type '" + type + "' is already registered");
    }
    types.put(type, new RegisteredType<>(type, payloadType, handler, options));
    return this;
  }

  /** How long a claim holds a task without a heartbeat; default 30 s. */
  public SpindleBuilder leaseDuration(Duration d) {
    this.leaseDuration = positive("leaseDuration", d);
    return this;
  }

  /** Default a third of the lease. */
  public SpindleBuilder heartbeatInterval(Duration d) {
    this.heartbeatInterval = positive("heartbeatInterval", d);
    return this;
  }

  /** How often an idle queue asks the store for due tasks; default 500 ms. */
  public SpindleBuilder pollInterval(Duration d) {
    this.pollInterval = positive("pollInterval", d);
    return this;
  }

  public SpindleBuilder maintenanceInterval(Duration d) {
    this.maintenanceInterval = positive("maintenanceInterval", d);
    return this;
  }

  public SpindleBuilder watchdogInterval(Duration d) {
    this.watchdogInterval = positive("watchdogInterval", d);
    return this;
  }

  /** How long {@link Spindle#close()} lets running tasks finish; default 30 s. */
  public SpindleBuilder shutdownTimeout(Duration d) {
    this.shutdownTimeout = Objects.requireNonNull(d, "shutdownTimeout");
    return this;
  }

  /** How long SUCCEEDED, CANCELLED and EXPIRED tasks are kept; zero keeps them forever. */
  public SpindleBuilder retention(Duration d) {
    this.retention = Objects.requireNonNull(d, "retention");
    return this;
  }

  public SpindleBuilder maxClaimBatch(int n) {
    this.maxClaimBatch = n;
    return this;
  }

  /** Whether this instance rescues expired leases and expires overdue tasks; default true. */
  public SpindleBuilder maintenance(boolean on) {
    this.maintenance = on;
    return this;
  }

  /** Builds the instance; call {@link Spindle#start()} to run workers. */
  public Spindle build() {
    if (store == null) {
      throw new IllegalStateException("a store is required: call store(...) before build()");
    }
    ObjectMapper mapper = json != null ? json : defaultMapper();
    Map<String, Integer> allQueues = new LinkedHashMap<>(queues);
    for (RegisteredType<?> t : types.values()) {
      allQueues.putIfAbsent(t.options().queue(), DEFAULT_CONCURRENCY);
    }
    EngineSettings settings =
        new EngineSettings(
            workerId != null ? workerId : defaultWorkerId(),
            leaseDuration,
            heartbeatInterval != null ? heartbeatInterval : leaseDuration.dividedBy(3),
            pollInterval,
            maintenanceInterval,
            watchdogInterval,
            maxClaimBatch,
            retention);
    HandlerRegistry registry = new HandlerRegistry(types);
    // Handlers submit through the Spindle that runs them, which exists only after its engine.
    AtomicReference<Spindle> self = new AtomicReference<>();
    Submitter submitter =
        new Submitter() {
          @Override
          public List<Long> submitAll(List<TaskRequest> requests) {
            return self.get().submitAll(requests);
          }

          @Override
          public List<TaskInfo> get(List<Long> ids) {
            return self.get().get(ids);
          }
        };
    Engine engine =
        new Engine(
            store, clock, mapper, registry, allQueues, settings, listener, maintenance, submitter);
    Spindle spindle =
        new Spindle(
            store,
            clock,
            mapper,
            new NewTaskFactory(mapper, registry, clock),
            engine,
            listener,
            shutdownTimeout,
            registry.typeNames());
    self.set(spindle);
    return spindle;
  }

  /**
   * JSON with java.time support, dates as ISO-8601 text, and no polymorphic typing. Its buffers
   * come from one pool shared by all threads (see {@link #sharedBufferFactory()}).
   */
  public static ObjectMapper defaultMapper() {
    return JsonMapper.builder(sharedBufferFactory())
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
  }

  /**
   * A JSON factory whose parsers and generators take their buffers from one pool shared by all
   * threads. Jackson's default pool is per thread, and every task attempt and every submit from a
   * virtual thread runs on a new thread, so each allocated fresh buffers of several KiB. Measured
   * in the peers benchmark's single-submit workload on SQLite: five times less garbage in all. The
   * pool is bounded (Jackson's default of 100 buffer sets), so a burst of thousands of attempts at
   * once does not leave thousands of buffer sets behind.
   */
  public static JsonFactory sharedBufferFactory() {
    return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build();
  }

  private static String defaultWorkerId() {
    String host = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void requireName(String what, String name) {
    if (name == null || !TaskLimits.isName(name)) {
      throw new IllegalArgumentException(
          what + " name '" + name + "' is not allowed: use 1 to 128 letters, digits or . _ : -");
    }
  }

  private static Duration positive(String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }
}
