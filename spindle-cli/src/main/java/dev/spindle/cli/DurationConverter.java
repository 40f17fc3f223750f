package dev.spindle.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d}) or as ISO-8601 ({@code PT30S}, {@code P1DT2H}).
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  /** For option descriptions. */
  public static final String FORMATS = "like 500ms, 30s, 5m, 2h, 1d or ISO-8601 (PT1M30S)";

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    Matcher m = SHORT.matcher(value.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration d = Duration.parse(value.trim());
      if (d.isNegative()) {
        throw new TypeConversionException("'" + value + "' is negative");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not a duration " + FORMATS);
    }
  }

  /** The shortest of the short forms that states {@code d} exactly, else ISO-8601. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.equals(Duration.ofDays(d.toDays()))) {
      return d.toDays() + "d";
    }
    if (d.equals(Duration.ofHours(d.toHours()))) {
      return d.toHours() + "h";
    }
    if (d.equals(Duration.ofMinutes(d.toMinutes()))) {
      return d.toMinutes() + "m";
    }
    if (d.equals(Duration.ofSeconds(d.toSeconds()))) {
      return d.toSeconds() + "s";
    }
    if (d.equals(Duration.ofMillis(d.toMillis()))) {
      return d.toMillis() + "ms";
    }
    return d.toString();
  }
}
