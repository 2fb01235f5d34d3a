package dev.library.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Known ISBNs from printed books, so the generator cannot be wrong the same way as a checker. */
class IsbnsTest {
  @Test
  void computesTheCheckDigitsOfKnownIsbns() {
    assertThat(Isbns.withCheckDigit13("978044101359")).isEqualTo("9780441013593"); // Dune
    assertThat(Isbns.withCheckDigit13("978030640615")).isEqualTo("9780306406157");
    assertThat(Isbns.withCheckDigit10("030640615")).isEqualTo("0306406152");
    assertThat(Isbns.withCheckDigit10("080442957")).isEqualTo("080442957X");
  }

  @Test
  void numberedIsbnsAreDistinctAndRandomOnesWellFormed() {
    assertThat(Isbns.isbn13(1)).isEqualTo("9780000000019").isNotEqualTo(Isbns.isbn13(2));
    assertThat(Isbns.randomIsbn13(new Random(7))).matches("978\\d{10}");
  }

  @Test
  void aWrongCheckDigitDiffers() {
    assertThat(Isbns.withWrongCheckDigit("9780441013593")).isEqualTo("9780441013594");
    assertThat(Isbns.withWrongCheckDigit("080442957X")).isEqualTo("0804429570");
  }
}
