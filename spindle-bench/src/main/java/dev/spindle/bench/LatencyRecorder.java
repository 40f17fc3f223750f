package dev.spindle.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps every sample (nanoseconds) of one run; percentiles are read after the run. */
final class LatencyRecorder {
  private final long[] samples;
  private final AtomicInteger size = new AtomicInteger();

  LatencyRecorder(int capacity) {
    samples = new long[capacity];
  }

  void record(long nanos) {
    int i = size.getAndIncrement();
    if (i < samples.length) {
      samples[i] = nanos;
    }
  }

  Summary summary() {
    int n = Math.min(size.get(), samples.length);
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    return new Summary(n, at(sorted, 0.50), at(sorted, 0.99), n == 0 ? 0 : sorted[n - 1]);
  }

  private static long at(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  record Summary(int count, long p50Nanos, long p99Nanos, long maxNanos) {
    String format() {
      return String.format(
          "p50 %s  p99 %s  max %s", millis(p50Nanos), millis(p99Nanos), millis(maxNanos));
    }

    static String millis(long nanos) {
      return String.format("%.2f ms", nanos / 1e6);
    }
  }
}
