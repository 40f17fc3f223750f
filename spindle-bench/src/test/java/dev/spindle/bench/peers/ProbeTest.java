package dev.spindle.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void theLeadInsLatencyIsReportedApartFromTheMeasuredTasks() {
    Probe probe = Probe.begin(4, 0, 2);
    long now = System.nanoTime();
    // The lead-in's tasks waited a minute, the measured ones no time to speak of.
    probe.submitting(0, now - 60 * SECOND);
    probe.submitting(1, now - 60 * SECOND);
    probe.submitting(2, now);
    probe.submitting(3, now);
    for (int task = 0; task < 4; task++) {
      probe.run(task);
    }

    assertThat(probe.leadInLatencyMillis()[1]).isGreaterThanOrEqualTo(60_000);
    assertThat(probe.startLatencyMillis()[2]).isLessThan(60_000);
    assertThat(probe.delivery()).isEqualTo("exactly once");
  }

  @Test
  void aLeadInTaskThatNeverRanIsStillReportedAsNeverRun() {
    Probe probe = Probe.begin(3, 0, 1);
    long now = System.nanoTime();
    for (int task = 0; task < 3; task++) {
      probe.submitting(task, now);
    }
    probe.run(1);
    probe.run(2);

    assertThat(probe.startLatencyMillis()[2]).isFinite();
    assertThat(probe.leadInLatencyMillis()[1]).isInfinite();
    assertThat(probe.delivery()).isEqualTo("1 NEVER RAN");
  }

  @Test
  void withoutALeadInEveryTaskIsMeasured() {
    Probe probe = Probe.begin(2, 0, 0);
    long now = System.nanoTime();
    probe.submitting(0, now - 60 * SECOND);
    probe.submitting(1, now);
    probe.run(0);
    probe.run(1);

    assertThat(probe.startLatencyMillis()[2]).isGreaterThanOrEqualTo(60_000);
    assertThat(probe.leadInLatencyMillis()).isEmpty();
  }
}
