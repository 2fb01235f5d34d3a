package dev.library.book.core;

import java.util.Optional;

/** ISBN-10 and ISBN-13: normalisation (hyphens and spaces dropped) and check digits. */
public final class Isbn {
  private Isbn() {}

  /** Hyphens and spaces removed, a final x upper-cased. */
  public static String normalize(String raw) {
    String digits = raw == null ? "" : raw.replace("-", "").replace(" ", "").strip();
    if (digits.endsWith("x")) {
      digits = digits.substring(0, digits.length() - 1) + "X";
    }
    return digits;
  }

  /** The normalised ISBN when it is a valid ISBN-10 or ISBN-13, else empty. */
  public static Optional<String> parse(String raw) {
    String isbn = normalize(raw);
    if (isbn.length() == 10 && isbn.matches("[0-9]{9}[0-9X]") && isbn10Valid(isbn)) {
      return Optional.of(isbn);
    }
    if (isbn.length() == 13 && isbn.matches("97[89][0-9]{10}") && isbn13Valid(isbn)) {
      return Optional.of(isbn);
    }
    return Optional.empty();
  }

  private static boolean isbn10Valid(String isbn) {
    int sum = 0;
    for (int i = 0; i < 10; i++) {
      char c = isbn.charAt(i);
      int value = c == 'X' ? 10 : c - '0';
      sum += value * (10 - i);
    }
    return sum % 11 == 0;
  }

  private static boolean isbn13Valid(String isbn) {
    int sum = 0;
    for (int i = 0; i < 13; i++) {
      sum += (isbn.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return sum % 10 == 0;
  }
}
