package dev.spindle.bench.pg;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * CPU time spent between two snapshots: this JVM, the server processes of the store's connections
 * (application_name spindle*), and every other PostgreSQL process (WAL writer, checkpointer,
 * autovacuum, other users). On a shared machine throughput varies with the neighbours; CPU time per
 * task varies much less, so it says where the time goes. Linux only (reads /proc).
 */
final class CpuMeter {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100

  record Snapshot(long jvmNanos, Map<Integer, Long> postgresTicks, Set<Integer> storeBackends) {}

  static Snapshot take(Connection c) throws SQLException {
    Set<Integer> backends = new HashSet<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'spindle%'")) {
      while (rs.next()) {
        backends.add(rs.getInt(1));
      }
    }
    return new Snapshot(OS.getProcessCpuTime(), postgresTicks(), backends);
  }

  private static Map<Integer, Long> postgresTicks() {
    Map<Integer, Long> ticks = new HashMap<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        try {
          if (!Files.readString(p.resolve("comm")).strip().equals("postgres")) {
            continue;
          }
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name.
          ticks.put(
              Integer.parseInt(p.getFileName().toString()),
              Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException | RuntimeException e) {
          // The process ended while being read.
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return ticks;
  }

  /** CPU microseconds per task: JVM, store backends, other PostgreSQL, and the total. */
  static String perTask(Snapshot before, Snapshot after, long tasks) {
    Set<Integer> mine = new HashSet<>(before.storeBackends());
    mine.addAll(after.storeBackends());
    long store = 0;
    long other = 0;
    for (Map.Entry<Integer, Long> e : after.postgresTicks().entrySet()) {
      long delta = e.getValue() - before.postgresTicks().getOrDefault(e.getKey(), 0L);
      if (mine.contains(e.getKey())) {
        store += delta;
      } else {
        other += delta;
      }
    }
    double jvm = (after.jvmNanos() - before.jvmNanos()) / 1e3 / tasks;
    double backends = store * NANOS_PER_TICK / 1e3 / tasks;
    double rest = other * NANOS_PER_TICK / 1e3 / tasks;
    double total = jvm + backends + rest;
    return String.format(
        "CPU per task: JVM %.1f µs + store backends %.1f µs + other PostgreSQL %.1f µs = %.1f µs"
            + " (%,.0f tasks/s if %d cores did nothing else)",
        jvm,
        backends,
        rest,
        total,
        Runtime.getRuntime().availableProcessors() * 1e6 / total,
        Runtime.getRuntime().availableProcessors());
  }
}
