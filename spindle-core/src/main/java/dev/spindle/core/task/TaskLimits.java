package dev.spindle.core.task;

/** Bounds on task fields, shared by validation in the engine and column sizes in stores. */
public final class TaskLimits {
  public static final int MIN_PRIORITY = -1000;
  public static final int MAX_PRIORITY = 1000;
  public static final int MAX_ATTEMPTS = 1000;
  public static final int MAX_NAME_LENGTH = 128;
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
  public static final int MAX_ERROR_LENGTH = 8192;
  public static final int MAX_DEPENDENCIES = 100_000;

  /** Type and queue names: letters, digits and {@code . _ - :}, 1 to 128 characters. */
  public static final String NAME_PATTERN = "[A-Za-z0-9._:-]{1,128}";

  private TaskLimits() {}
}
