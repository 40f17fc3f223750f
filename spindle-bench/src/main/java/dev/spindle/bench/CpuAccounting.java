package dev.spindle.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this process by thread group, between two snapshots. Throughput on a shared machine
 * varies with the neighbours; CPU time per task does much less, so it says where the time goes.
 * Virtual threads show up as their carriers (the ForkJoinPool workers).
 */
final class CpuAccounting {
  /** Thread groups, by name prefix, in the order they are reported. */
  private static final Map<String, String> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("bench-client", "client");
    GROUPS.put("HttpClient-", "client");
    GROUPS.put("ForkJoinPool-", "virtual threads (HTTP server, task handlers, client I/O)");
    GROUPS.put("spindle-sqlite-writer", "sqlite writer");
    GROUPS.put("spindle-", "engine");
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** CPU nanoseconds of the process, and of each group; "other" holds the rest (GC, JIT, …). */
  record Snapshot(long process, Map<String, Long> groups) {
    /**
     * Reads the CPU time of every live thread; {@code endedClientNanos} is that of client threads
     * that already ended (the JVM forgets a thread's time when it ends).
     */
    static Snapshot take(long endedClientNanos) {
      Map<String, Long> groups = new LinkedHashMap<>();
      GROUPS.values().forEach(g -> groups.put(g, 0L));
      groups.merge("client", endedClientNanos, Long::sum);
      long[] ids = THREADS.getAllThreadIds();
      ThreadInfo[] infos = THREADS.getThreadInfo(ids);
      for (int i = 0; i < ids.length; i++) {
        long cpu = THREADS.getThreadCpuTime(ids[i]);
        if (infos[i] == null || cpu < 0) {
          continue;
        }
        String name = infos[i].getThreadName();
        for (Map.Entry<String, String> g : GROUPS.entrySet()) {
          if (name.startsWith(g.getKey())) {
            groups.merge(g.getValue(), cpu, Long::sum);
            break;
          }
        }
      }
      return new Snapshot(OS.getProcessCpuTime(), groups);
    }

    /** CPU microseconds per {@code n} units between {@code before} and this snapshot, by group. */
    String perUnit(Snapshot before, long n, String unit) {
      if (n == 0) {
        return "";
      }
      StringBuilder s = new StringBuilder();
      long total = process - before.process;
      long grouped = 0;
      s.append(String.format("CPU %.0f µs/%s:", total / 1e3 / n, unit));
      for (Map.Entry<String, Long> g : groups.entrySet()) {
        long d = g.getValue() - before.groups.getOrDefault(g.getKey(), 0L);
        grouped += d;
        s.append(String.format(" %s %.0f,", g.getKey(), d / 1e3 / n));
      }
      s.append(String.format(" other (GC, JIT) %.0f", (total - grouped) / 1e3 / n));
      return s.toString();
    }
  }

  /** CPU time of the calling thread so far, for a thread to report just before it ends. */
  static long currentThreadNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private CpuAccounting() {}
}
