package dev.spindle.bench.peers;

import java.util.List;

/** The results as one text table, each peer's rates also as a ratio Spindle/peer. */
final class PeerTable {
  private static final String ROW = "%-13s %-38s %10s %13s %10s %15s  %s%n";

  private PeerTable() {}

  /** Formats {@code results}; the first is Spindle's, which the ratios divide by the others. */
  static String format(List<PeerResult> results) {
    PeerResult spindle = results.get(0);
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            ROW,
            "system",
            "settings",
            "submit/s",
            "end-to-end/s",
            "1st run",
            "Spindle/peer",
            "delivery"));
    for (PeerResult r : results) {
      String ratio = r == spindle ? "-" : ratios(spindle, r);
      String endToEnd =
          r.timedOut()
              ? String.format("TIMEOUT %d/%d", r.finished(), r.tasks())
              : String.format("%,.0f", r.endToEndRate());
      table.append(
          String.format(
              ROW,
              r.system(),
              r.settings(),
              String.format("%,.0f", r.submitRate()),
              endToEnd,
              String.format("%.2f s", r.firstRunSeconds()),
              ratio,
              r.delivery()));
    }
    table.append(
        String.format(
            "%nSpindle/peer: submit ratio / end-to-end ratio. end-to-end = first submit to last"
                + " committed completion; 1st run = first submit to first task started (a"
                + " polling system's wait for its next poll).%n"));
    return table.toString();
  }

  private static String ratios(PeerResult spindle, PeerResult peer) {
    String submit = String.format("%.1fx", spindle.submitRate() / peer.submitRate());
    if (spindle.timedOut() || peer.timedOut()) {
      return submit + " / -";
    }
    return submit + String.format(" / %.1fx", spindle.endToEndRate() / peer.endToEndRate());
  }
}
