package dev.spindle.bench.peers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The results as text: one table per store and workload, each figure the median of its runs, with
 * Spindle's rate over each peer's and as a share of the raw SQL ceiling.
 */
final class PeerTable {
  /** Writes the heading of the table of one store and workload. */
  @FunctionalInterface
  interface Heading {
    String describe(StoreKind store, Workload workload, List<PeerResult> runs);
  }

  private PeerTable() {}

  /** One run in a line, printed as the runs finish. */
  static String summary(PeerResult r) {
    String done =
        r.timedOut()
            ? String.format("TIMEOUT %,d/%,d", r.finished(), r.tasks())
            : String.format("%,.0f tasks/s", r.endToEndRate());
    if (r.workload().equals(Workload.STEADY.id)) {
      double[] ms = r.latencyMillis();
      String lead =
          r.leadInLatencyMillis().length == 0
              ? ""
              : String.format(" (lead-in p99 %s)", millis(r.leadInLatencyMillis()[1]));
      return done
          + String.format(", start latency p50 %s p99 %s%s", millis(ms[0]), millis(ms[1]), lead);
    }
    if (r.workload().equals(Workload.HOLD.id)) {
      return done + String.format(", peak in flight %,d", r.peakInFlight());
    }
    return done;
  }

  static String format(List<PeerResult> results, Heading heading) {
    Map<String, List<PeerResult>> groups =
        results.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.store() + "/" + r.workload(), LinkedHashMap::new, Collectors.toList()));
    StringBuilder text = new StringBuilder();
    for (List<PeerResult> group : groups.values()) {
      StoreKind store = StoreKind.byId(group.get(0).store());
      Workload workload = Workload.byId(group.get(0).workload());
      Map<String, List<PeerResult>> bySystem =
          group.stream()
              .collect(
                  Collectors.groupingBy(
                      PeerResult::systemId, LinkedHashMap::new, Collectors.toList()));
      text.append('\n').append(heading.describe(store, workload, group)).append('\n');
      text.append(table(workload, bySystem));
    }
    text.append(
        """

        end-to-end = first submit to last committed completion; 1st run = first submit to first \
        task started (a polling system waits for its next poll); CPU/task = CPU time of the run's \
        JVM, all threads, from first submit to end, over the tasks (SQLite runs inside it, a \
        PostgreSQL server does not); start latency = scheduled submit \
        time to task start, a task never started counting as infinitely late; (c) measures after a \
        lead-in at the same rate on the same system, whose tasks run and count for delivery: \
        lead-in p99 = their p99, a fresh system's first moments; heap = peak heap in \
        use, RSS = peak resident memory of the run's JVM, threads = peak platform threads; \
        vs Spindle = Spindle's end-to-end rate over the row's (for (c): the row's p99 over \
        Spindle's); vs ceiling = Spindle's end-to-end rate as a share of raw SQL's (for (c): \
        Spindle's p99 over raw SQL's, the floor of a durable submit's start latency here).
        """);
    return text.toString();
  }

  /** The median p99 of the runs' lead-ins, "-" when they had none. */
  private static String leadInP99(List<PeerResult> runs) {
    if (runs.stream().anyMatch(r -> r.leadInLatencyMillis().length == 0)) {
      return "-";
    }
    return millis(median(runs, r -> r.leadInLatencyMillis()[1]));
  }

  private static String table(Workload workload, Map<String, List<PeerResult>> bySystem) {
    List<PeerResult> spindle = bySystem.get("spindle");
    List<String> header = new ArrayList<>(List.of("system", "settings"));
    switch (workload) {
      case BULK, SLEEP -> header.addAll(List.of("submit/s", "end-to-end/s", "1st run", "CPU/task"));
      case HOLD -> header.addAll(List.of("peak in flight", "all done in"));
      case STEADY -> header.addAll(List.of("p50", "p99", "max", "done/s", "lead-in p99"));
    }
    header.addAll(List.of("heap", "RSS", "threads", "delivery", "vs Spindle", "runs"));
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (List<PeerResult> runs : bySystem.values()) {
      PeerResult first = runs.get(0);
      List<String> row = new ArrayList<>(List.of(first.system(), first.settings()));
      boolean allDone = runs.stream().noneMatch(PeerResult::timedOut);
      switch (workload) {
        case BULK, SLEEP ->
            row.addAll(
                List.of(
                    rate(median(runs, PeerResult::submitRate)),
                    allDone ? rate(median(runs, PeerResult::endToEndRate)) : timeouts(runs),
                    String.format("%.2f s", median(runs, PeerResult::firstRunSeconds)),
                    micros(median(runs, PeerResult::cpuMicrosPerTask))));
        case HOLD ->
            row.addAll(
                List.of(
                    String.format("%,.0f", median(runs, r -> r.peakInFlight())),
                    allDone
                        ? String.format("%.2f s", median(runs, PeerResult::endToEndSeconds))
                        : timeouts(runs)));
        case STEADY ->
            row.addAll(
                List.of(
                    millis(median(runs, r -> r.latencyMillis()[0])),
                    millis(median(runs, r -> r.latencyMillis()[1])),
                    millis(median(runs, r -> r.latencyMillis()[2])),
                    allDone ? rate(median(runs, PeerResult::endToEndRate)) : timeouts(runs),
                    leadInP99(runs)));
      }
      row.addAll(
          List.of(
              mebibytes(median(runs, r -> r.peakHeapBytes())),
              mebibytes(median(runs, r -> r.peakRssBytes())),
              String.format("%.0f", median(runs, r -> r.peakThreads())),
              delivery(runs),
              versus(workload, spindle, runs),
              perRun(workload, runs)));
      rows.add(row);
    }
    return aligned(rows);
  }

  /** How the row compares with Spindle: Spindle's rate over a peer's, or its share of a ceiling. */
  private static String versus(Workload workload, List<PeerResult> spindle, List<PeerResult> runs) {
    if (spindle == null || runs == spindle || spindle.stream().anyMatch(PeerResult::timedOut)) {
      return "-";
    }
    if (workload == Workload.STEADY) {
      double p99 = median(runs, r -> r.latencyMillis()[1]);
      double ours = median(spindle, r -> r.latencyMillis()[1]);
      if (Double.isInfinite(p99)) {
        return "p99 inf";
      }
      return isCeiling(runs)
          ? String.format("Spindle p99 %.1fx", ours / p99)
          : String.format("p99 %.1fx", p99 / ours);
    }
    if (workload == Workload.HOLD || runs.stream().anyMatch(PeerResult::timedOut)) {
      return "-";
    }
    double ratio =
        median(spindle, PeerResult::endToEndRate) / median(runs, PeerResult::endToEndRate);
    return isCeiling(runs)
        ? String.format("Spindle = %.0f%%", ratio * 100)
        : String.format("Spindle %.1fx", ratio);
  }

  private static boolean isCeiling(List<PeerResult> runs) {
    return runs.get(0).systemId().equals("ceiling");
  }

  private static String perRun(Workload workload, List<PeerResult> runs) {
    Function<PeerResult, String> figure =
        switch (workload) {
          case BULK, SLEEP ->
              r -> r.timedOut() ? "timeout" : String.format("%,.0f", r.endToEndRate());
          case HOLD -> r -> String.format("%,d", r.peakInFlight());
          case STEADY -> r -> millis(r.latencyMillis()[1]);
        };
    return runs.stream().map(figure).collect(Collectors.joining(" · "));
  }

  private static String delivery(List<PeerResult> runs) {
    return runs.stream()
        .map(PeerResult::delivery)
        .filter(d -> !d.equals("exactly once"))
        .findFirst()
        .orElse("exactly once");
  }

  private static String timeouts(List<PeerResult> runs) {
    PeerResult worst = runs.stream().filter(PeerResult::timedOut).findFirst().orElseThrow();
    return String.format("TIMEOUT %,d/%,d", worst.finished(), worst.tasks());
  }

  private static double median(List<PeerResult> runs, ToDoubleFunction<PeerResult> figure) {
    return median(runs.stream().mapToDouble(figure).toArray());
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String rate(double perSecond) {
    return String.format("%,.0f", perSecond);
  }

  private static String millis(double ms) {
    if (Double.isInfinite(ms)) {
      return "never";
    }
    return ms >= 1000 ? String.format("%.2f s", ms / 1000) : String.format("%.1f ms", ms);
  }

  private static String micros(double micros) {
    return micros < 0 ? "?" : String.format("%,.1f us", micros);
  }

  private static String mebibytes(double bytes) {
    return bytes < 0 ? "?" : String.format("%,.0f MiB", bytes / (1 << 20));
  }

  private static String aligned(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        // Names left, figures right.
        line.append(i < 2 ? pad(cell, widths[i], false) : pad(cell, widths[i], true)).append("  ");
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  private static String pad(String cell, int width, boolean right) {
    String spaces = " ".repeat(width - cell.length());
    return right ? spaces + cell : cell + spaces;
  }
}
