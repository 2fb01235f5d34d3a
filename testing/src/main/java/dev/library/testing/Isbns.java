package dev.library.testing;

import java.util.Random;

/**
 * Valid ISBNs for test data: the one place the check digits are computed on the test side (the
 * service's own rule is book's {@code core.Isbn}, which the tests then exercise with these).
 */
public final class Isbns {
  private Isbns() {}

  /** A distinct valid ISBN-13 per {@code n} (0 to 999,999,999): 978, nine digits of n, check digit. */
  public static String isbn13(long n) {
    if (n < 0 || n > 999_999_999L) {
      throw new IllegalArgumentException("n must have at most nine digits: " + n);
    }
    return withCheckDigit13(String.format("978%09d", n));
  }

  /** A random valid ISBN-13 (978 prefix), digits only. */
  public static String randomIsbn13(Random random) {
    StringBuilder digits = new StringBuilder("978");
    for (int i = 0; i < 9; i++) {
      digits.append(random.nextInt(10));
    }
    return withCheckDigit13(digits.toString());
  }

  /** Twelve digits and their ISBN-13 check digit (weights 1, 3, 1, 3, ...; sum mod 10). */
  public static String withCheckDigit13(String twelveDigits) {
    if (!twelveDigits.matches("\\d{12}")) {
      throw new IllegalArgumentException("twelve digits expected: " + twelveDigits);
    }
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (twelveDigits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return twelveDigits + (10 - sum % 10) % 10;
  }

  /** Nine digits and their ISBN-10 check digit (weights 10 down to 2; mod 11, 10 is X). */
  public static String withCheckDigit10(String nineDigits) {
    if (!nineDigits.matches("\\d{9}")) {
      throw new IllegalArgumentException("nine digits expected: " + nineDigits);
    }
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (10 - i) * (nineDigits.charAt(i) - '0');
    }
    int check = (11 - sum % 11) % 11;
    return nineDigits + (check == 10 ? "X" : String.valueOf(check));
  }

  /** The same ISBN with its last digit changed: the check digit no longer matches. */
  public static String withWrongCheckDigit(String isbn) {
    char last = isbn.charAt(isbn.length() - 1);
    char wrong = last == 'X' ? '0' : (char) ('0' + (last - '0' + 1) % 10);
    return isbn.substring(0, isbn.length() - 1) + wrong;
  }
}
