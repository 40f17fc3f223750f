package dev.spindle.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads an ISO-8601 instant: {@code 2026-11-23T18:00:00Z} or with an offset, {@code +01:00}. */
public final class InstantConverter implements ITypeConverter<Instant> {
  /** For option descriptions. */
  public static final String FORMATS = "ISO-8601, like 2026-11-23T18:00:00Z or ...T19:00:00+01:00";

  @Override
  public Instant convert(String value) {
    try {
      return OffsetDateTime.parse(value.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not an instant " + FORMATS);
    }
  }
}
