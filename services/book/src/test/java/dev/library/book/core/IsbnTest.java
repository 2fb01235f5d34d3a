package dev.library.book.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.testing.Isbns;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ISBN rule, without a server: forms accepted, normalisation, check digits. */
class IsbnTest {
  @Test
  void acceptsValidIsbn13sAndIsbn10sAndNormalisesThem() {
    assertThat(Isbn.parse("978-0-441-01359-3")).hasValue("9780441013593");
    assertThat(Isbn.parse(" 978 0441013593 ")).hasValue("9780441013593");
    assertThat(Isbn.parse("0-306-40615-2")).hasValue("0306406152");
    assertThat(Isbn.parse("080442957x")).hasValue("080442957X");
  }

  @Test
  void everyGeneratedIsbnIsValidAndEveryWrongCheckDigitIsRefused() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      String isbn13 = Isbns.randomIsbn13(random);
      assertThat(Isbn.parse(isbn13)).as(isbn13).hasValue(isbn13);
      assertThat(Isbn.parse(Isbns.withWrongCheckDigit(isbn13))).as("wrong digit of " + isbn13).isEmpty();
      String isbn10 = Isbns.withCheckDigit10(String.format("%09d", random.nextInt(1_000_000_000)));
      assertThat(Isbn.parse(isbn10)).as(isbn10).hasValue(isbn10);
      assertThat(Isbn.parse(Isbns.withWrongCheckDigit(isbn10))).as("wrong digit of " + isbn10).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "978044101359", "97804410135930", "9770441013593", "X780441013593", "03064061X2",
        "030640615", "978-0-441-01359-x", "abcdefghij", "9780441013593\u0000"
      })
  void refusesWhatIsNoIsbn(String raw) {
    assertThat(Isbn.parse(raw)).isEmpty();
  }
}
