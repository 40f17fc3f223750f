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
    return summarize(Arrays.copyOf(samples, Math.min(size.get(), samples.length)));
  }

  /** Percentiles of {@code samples}, which this sorts in place. */
  static Summary summarize(long[] samples) {
    Arrays.sort(samples);
    int n = samples.length;
    return new Summary(n, at(samples, 0.50), at(samples, 0.99), n == 0 ? 0 : samples[n - 1]);
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
