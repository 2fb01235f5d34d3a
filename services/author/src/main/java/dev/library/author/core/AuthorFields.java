package dev.library.author.core;

import dev.library.runtime.api.Texts;
import dev.library.runtime.errors.FieldViolations;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

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
      date = LocalDate.parse(trimmed);
    } catch (DateTimeParseException e) {
      violations.add("birth_date", "must be a calendar date as YYYY-MM-DD");
      return null;
    }
    // Anywhere on Earth it may already be tomorrow: allow UTC+14 before calling a date future.
    if (date.isAfter(LocalDate.now(clock.withZone(java.time.ZoneOffset.ofHours(14))))) {
      violations.add("birth_date", "must not be in the future");
    }
    return date;
  }
}
