package dev.spindle.bench;

import dev.spindle.server.SpindleServer;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;

/**
 * One HTTP measurement: a fresh server on a fresh SQLite store, {@code clients} threads each
 * sending one request at a time over a kept-alive HTTP/1.1 connection, then waiting until every
 * accepted task has finished.
 */
final class HttpLoadRun {
  /**
   * How the client threads share {@link HttpClient}s. Either way each thread has one request in
   * flight, so each holds one kept-alive connection for the whole run (checked with {@code ss}: as
   * many ESTABLISHED connections as clients, none in TIME_WAIT).
   */
  enum Connections {
    /**
     * One HttpClient for all threads; its pool hands each request an idle connection. Measured
     * cheaper than PER_CLIENT on 2 cores (64 clients, medians of 3 alternating runs: 410 vs 507 µs
     * of CPU per request), because one selector thread serves every connection instead of 64.
     */
    SHARED,
    /** One HttpClient, and so one selector thread and one connection, per client thread. */
    PER_CLIENT
  }

  /** When the clients stop sending: after a time, or after a number of tasks. */
  record Limit(Duration time, long tasks) {
    static Limit ofSeconds(int s) {
      return new Limit(Duration.ofSeconds(s), Long.MAX_VALUE);
    }

    static Limit ofTasks(long n) {
      return new Limit(Duration.ofDays(1), n);
    }
  }

  record Result(
      long requests,
      long tasks,
      long errors,
      String firstError,
      double submitSeconds,
      double endToEndSeconds,
      boolean allFinished,
      LatencyRecorder.Summary latency,
      String submitCpu,
      String totalCpu) {
    double requestRate() {
      return requests / submitSeconds;
    }

    double acceptedRate() {
      return tasks / submitSeconds;
    }

    double processedRate() {
      return tasks / endToEndSeconds;
    }
  }

  private final Path dir;
  private final int queueConcurrency;
  private final Connections connections;
  private int runs;

  HttpLoadRun(Path dir, int queueConcurrency, Connections connections) {
    this.dir = dir;
    this.queueConcurrency = queueConcurrency;
    this.connections = connections;
  }

  Result run(int clients, int batch, Limit limit) throws Exception {
    FinishedAttempts finished = new FinishedAttempts();
    Path db = dir.resolve("http-bench-" + (++runs) + ".db");
    try {
      return run(clients, batch, limit, db, finished);
    } finally {
      for (String suffix : new String[] {"", "-wal", "-shm", ".lock"}) {
        Files.deleteIfExists(Path.of(db + suffix));
      }
    }
  }

  private Result run(int clients, int batch, Limit limit, Path db, FinishedAttempts finished)
      throws Exception {
    try (SpindleServer server =
        SpindleServer.builder()
            .host("127.0.0.1")
            .port(0)
            .store(SqliteTaskStore.open(db))
            .queue("default", queueConcurrency)
            .listener(finished)
            .start()) {
      URI base = URI.create("http://127.0.0.1:" + server.port() + "/");
      try (Load load = new Load(base, clients, batch, limit)) {
        CpuAccounting.Snapshot cpu0 = CpuAccounting.Snapshot.take(0);
        long t0 = System.nanoTime();
        load.runClients();
        long submitted = System.nanoTime();
        CpuAccounting.Snapshot cpu1 = CpuAccounting.Snapshot.take(load.endedClientCpu.sum());
        long accepted = load.tasks.get();
        long deadline = submitted + Duration.ofMinutes(10).toNanos();
        while (finished.count() < accepted && System.nanoTime() < deadline) {
          Thread.sleep(2);
        }
        long done = System.nanoTime();
        CpuAccounting.Snapshot cpu2 = CpuAccounting.Snapshot.take(load.endedClientCpu.sum());
        return new Result(
            load.requests.get(),
            accepted,
            load.errors.get(),
            load.firstError.get(),
            (submitted - t0) / 1e9,
            (done - t0) / 1e9,
            finished.count() >= accepted,
            LatencyRecorder.summarize(load.latencies()),
            cpu1.perUnit(cpu0, load.requests.get(), "request while submitting"),
            cpu2.perUnit(cpu0, accepted, "task end to end"));
      }
    }
  }

  /** The client side of one run; closing it closes its HttpClients. */
  private final class Load implements AutoCloseable {
    private final int clients;
    private final int batch;
    private final Limit limit;
    private final URI submitUri;
    private final byte[] body;
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<Samples> perClient = new ArrayList<>();
    private final LongAdder endedClientCpu = new LongAdder();
    // The clients' internal work (parsing responses, completing futures) runs on virtual threads,
    // as the server's does: measured cheaper than HttpClient's default cached thread pool (medians
    // of 3 alternating runs: 300 vs 410 µs of CPU per request), which hands every response over to
    // another OS thread. Blocking send() on platform threads beat sendAsync() chains (5,400 vs
    // 3,800 requests/s, same CPU per request).
    private final ExecutorService clientWork = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<HttpClient> opened = new HashSet<>();

    Load(URI base, int clients, int batch, Limit limit) {
      this.clients = clients;
      this.batch = batch;
      this.limit = limit;
      this.submitUri = base.resolve(batch == 1 ? "v1/tasks" : "v1/tasks/batch");
      this.body = body(batch);
    }

    void runClients() throws InterruptedException {
      HttpClient shared = connections == Connections.SHARED ? newClient(clientWork) : null;
      long end = System.nanoTime() + limit.time().toNanos();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Samples latency = new Samples();
        perClient.add(latency);
        HttpClient http = shared != null ? shared : newClient(clientWork);
        opened.add(http);
        Runnable client =
            () -> {
              send(http, latency, end);
              endedClientCpu.add(CpuAccounting.currentThreadNanos());
            };
        threads.add(Thread.ofPlatform().name("bench-client-" + c).start(client));
      }
      for (Thread t : threads) {
        t.join();
      }
    }

    @Override
    public void close() {
      opened.forEach(HttpClient::close);
      clientWork.close();
    }

    private void send(HttpClient http, Samples latency, long end) {
      HttpRequest full = request(body);
      while (System.nanoTime() < end) {
        long first = claimed.getAndAdd(batch);
        if (first >= limit.tasks()) {
          return;
        }
        int n = (int) Math.min(batch, limit.tasks() - first);
        HttpRequest request = n == batch ? full : request(body(n));
        long t = System.nanoTime();
        try {
          HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
          latency.add(System.nanoTime() - t);
          requests.incrementAndGet();
          if (r.statusCode() / 100 == 2) {
            tasks.addAndGet(n);
          } else {
            error("HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
          }
        } catch (IOException e) {
          error(e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private void error(String what) {
      errors.incrementAndGet();
      firstError.compareAndSet(null, what);
    }

    private HttpRequest request(byte[] bytes) {
      return HttpRequest.newBuilder(submitUri)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
          .build();
    }

    private byte[] body(int n) {
      String one = "{\"type\":\"noop\"}";
      if (batch == 1) {
        return one.getBytes(StandardCharsets.UTF_8);
      }
      StringBuilder s = new StringBuilder("{\"tasks\":[");
      for (int i = 0; i < n; i++) {
        s.append(i == 0 ? "" : ",").append(one);
      }
      return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    long[] latencies() {
      return perClient.stream().flatMapToLong(Samples::stream).toArray();
    }
  }

  private static HttpClient newClient(ExecutorService work) {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(work).build();
  }

  /** Request latencies of one client thread: written by that thread only, read after it ended. */
  private static final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    LongStream stream() {
      return Arrays.stream(values, 0, size);
    }
  }
}
