package dev.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacerTest {
  @Test
  void tasksAlreadyDueAreReleasedAtOnceWithTheirOwnScheduledTimes() {
    long start = System.nanoTime() - 10_000_000_000L;
    Pacer pacer = new Pacer(start, 4_000);
    long before = System.nanoTime();
    for (int i = 0; i < 1_000; i++) {
      // Latency counts from these times, not from when the task was let go.
      assertThat(pacer.awaitDue(i)).isEqualTo(start + i * 250_000L);
    }
    assertThat(System.nanoTime() - before).isLessThan(Pacer.TICK_NANOS * 1_000);
  }
}
