package dev.library.bench.data;

/** Distinct valid ISBN-13s: 978, nine digits of the book's index, and the check digit. */
public final class Isbn13 {
  private Isbn13() {}

  public static String of(int index) {
    String body = String.format("978%09d", index);
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (body.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return body + (10 - sum % 10) % 10;
  }
}
