package dev.spindle.server;

/**
 * What the HTTP API accepts. Requests over a limit are refused with 413 or 400 and a problem
 * document naming the limit; nothing is written.
 *
 * @param maxTaskBytes largest body of {@code POST /v1/tasks}
 * @param maxBatchBytes largest body of {@code POST /v1/tasks/batch}
 * @param maxBatchTasks most tasks in one batch
 * @param maxJsonDepth deepest nesting of arrays and objects in a request body, envelope included
 * @param maxStringLength longest JSON string value in a request body, in characters
 */
public record ServerLimits(
    long maxTaskBytes,
    long maxBatchBytes,
    int maxBatchTasks,
    int maxJsonDepth,
    int maxStringLength) {

  /** Bodies are read into memory whole, so a body limit stays well below 2 GiB. */
  public static final long MAX_BODY_BYTES = 1L << 30;

  private static final ServerLimits DEFAULTS =
      new ServerLimits(1L << 20, 16L << 20, 10_000, 64, 1_000_000);

  public ServerLimits {
    requireBytes("maxTaskBytes", maxTaskBytes);
    requireBytes("maxBatchBytes", maxBatchBytes);
    requirePositive("maxBatchTasks", maxBatchTasks);
    // A task body is at least {"type":...,"payload":...}: two levels before the payload.
    if (maxJsonDepth < 3) {
      throw new IllegalArgumentException(
          "maxJsonDepth must be at least 3 (the batch envelope alone is 3 levels), was "
              + maxJsonDepth);
    }
    requirePositive("maxStringLength", maxStringLength);
  }

  /** 1 MiB per task, 16 MiB and 10,000 tasks per batch, depth 64, strings of 1,000,000 chars. */
  public static ServerLimits defaults() {
    return DEFAULTS;
  }

  public ServerLimits withMaxTaskBytes(long n) {
    return new ServerLimits(n, maxBatchBytes, maxBatchTasks, maxJsonDepth, maxStringLength);
  }

  public ServerLimits withMaxBatchBytes(long n) {
    return new ServerLimits(maxTaskBytes, n, maxBatchTasks, maxJsonDepth, maxStringLength);
  }

  public ServerLimits withMaxBatchTasks(int n) {
    return new ServerLimits(maxTaskBytes, maxBatchBytes, n, maxJsonDepth, maxStringLength);
  }

  public ServerLimits withMaxJsonDepth(int n) {
    return new ServerLimits(maxTaskBytes, maxBatchBytes, maxBatchTasks, n, maxStringLength);
  }

  public ServerLimits withMaxStringLength(int n) {
    return new ServerLimits(maxTaskBytes, maxBatchBytes, maxBatchTasks, maxJsonDepth, n);
  }

  /** The largest body any endpoint accepts: the transport refuses anything bigger outright. */
  public long maxBodyBytes() {
    return Math.max(maxTaskBytes, maxBatchBytes);
  }

  private static void requireBytes(String name, long n) {
    if (n < 1 || n > MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          name + " must be between 1 and " + MAX_BODY_BYTES + " bytes (1 GiB), was " + n);
    }
  }

  private static void requirePositive(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + n);
    }
  }
}
