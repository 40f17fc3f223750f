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

  /**
   * Whether {@code name} matches {@link #NAME_PATTERN}. Checked by hand: it runs for every
   * submitted task, and the regex took over a third of the submitting thread's time in bulk submits
   * (JFR).
   */
  public static boolean isName(String name) {
    int length = name.length();
    if (length == 0 || length > MAX_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
