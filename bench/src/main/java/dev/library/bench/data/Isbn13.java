package dev.library.bench.data;

import dev.library.testing.Isbns;

/** Distinct valid ISBN-13s: 978, nine digits of the book's index, and the check digit. */
public final class Isbn13 {
  private Isbn13() {}

  public static String of(int index) {
    return Isbns.isbn13(index);
  }
}
