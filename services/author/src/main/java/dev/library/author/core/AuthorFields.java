package dev.library.author.core;

import dev.library.runtime.api.Texts;
import dev.library.runtime.errors.FieldViolations;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The mutable fields of an author after validation; {@code birthDate} null when unknown. */
public record AuthorFields(String name, String biography, LocalDate birthDate) {
  static final int MAX_NAME = 200;
  static final int MAX_BIOGRAPHY = 2000;

  /** Trims and checks the fields, adding every problem to {@code violations}. */
  public static AuthorFields check(
      String name, String biography, String birthDate, Clock clock, FieldViolations violations) {
    String checkedName = Texts.required("name", name, MAX_NAME, violations);
    String checkedBiography = Texts.optional("biography", biography, MAX_BIOGRAPHY, violations);
    return new AuthorFields(checkedName, checkedBiography, birthDate(birthDate, clock, violations));
  }

  private static LocalDate birthDate(String text, Clock clock, FieldViolations violations) {
    String trimmed = text == null ? "" : text.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    LocalDate date;
    try {
      date = looksLikeTimestamp(trimmed) ? midnightUtc(trimmed) : LocalDate.parse(trimmed);
    } catch (DateTimeParseException e) {
      violations.add(
          "birth_date",
          "must be a calendar date as YYYY-MM-DD (or an RFC 3339 timestamp at midnight UTC)");
      return null;
    }
    if (date == null) {
      violations.add(
          "birth_date", "is a date: a timestamp must be at midnight UTC, as 1929-10-21T00:00:00Z");
      return null;
    }
    // Anywhere on Earth it may already be tomorrow: allow UTC+14 before calling a date future.
    if (date.isAfter(LocalDate.now(clock.withZone(ZoneOffset.ofHours(14))))) {
      violations.add("birth_date", "must not be in the future");
    }
    return date;
  }

  private static boolean looksLikeTimestamp(String text) {
    return text.length() > 10 && (text.charAt(10) == 'T' || text.charAt(10) == 't');
  }

  /**
   * The original API took the birth date as a protobuf Timestamp, so its clients send midnight
   * UTC of the day. Any other instant is refused rather than truncated: which day it meant
   * depends on a time zone nobody told us. Null when the instant is not midnight UTC.
   */
  private static LocalDate midnightUtc(String text) {
    // RFC 3339 allows a lower-case T and Z; java.time's ISO parser does not.
    OffsetDateTime utc =
        OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).withOffsetSameInstant(ZoneOffset.UTC);
    return utc.toLocalTime().equals(LocalTime.MIDNIGHT) ? utc.toLocalDate() : null;
  }
}
