package dev.spindle.bench.peers;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak memory and threads of this process during a run: heap in use sampled every 10 ms, the
 * kernel's high-water mark of resident memory (VmHWM, reset at the start where Linux allows) and
 * the JVM's peak count of platform threads. Each run is a process of its own, so the figures are
 * the system's alone.
 */
final class ResourceMeter implements AutoCloseable {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Path STATUS = Path.of("/proc/self/status");

  private final AtomicLong peakHeap = new AtomicLong();
  private final Thread sampler;
  private volatile boolean running = true;

  private ResourceMeter() {
    sampler = Thread.ofPlatform().daemon().name("resource-meter").start(this::sample);
  }

  /** Resets the peaks (after a warm-up) and starts sampling. */
  static ResourceMeter start() {
    System.gc();
    THREADS.resetPeakThreadCount();
    try {
      // "5" resets the peak resident set size (proc(5), clear_refs); not allowed everywhere.
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // The peak then includes the warm-up, which only overstates it.
    }
    return new ResourceMeter();
  }

  private void sample() {
    while (running) {
      peakHeap.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  long peakHeapBytes() {
    return peakHeap.get();
  }

  int peakThreads() {
    return THREADS.getPeakThreadCount();
  }

  /**
   * CPU time of this process so far, all threads, in nanoseconds, or -1 where the JVM does not
   * tell. Less swayed by neighbours than a rate: the machines are shared.
   */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** Peak resident set size in bytes, or -1 where /proc does not tell. */
  static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
