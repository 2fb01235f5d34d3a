package dev.library.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The page/page_size convention of every list RPC, without a server. */
class PagingTest {
  @Test
  void zeroMeansTheDefaults() {
    FieldViolations violations = new FieldViolations();
    Paging paging = Paging.of(0, 0, violations);

    assertThat(violations.isEmpty()).isTrue();
    assertThat(paging).isEqualTo(new Paging(1, Paging.DEFAULT_PAGE_SIZE));
    assertThat(paging.offset()).isZero();
  }

  @Test
  void theOffsetSkipsTheEarlierPagesAndCannotOverflow() {
    assertThat(Paging.of(3, 25, new FieldViolations()).offset()).isEqualTo(50);
    assertThat(Paging.of(Integer.MAX_VALUE, 100, new FieldViolations()).offset())
        .isEqualTo((Integer.MAX_VALUE - 1L) * 100);
  }

  @Test
  void negativePagesAndOversizedPagesNameTheirFields() {
    FieldViolations violations = new FieldViolations();
    Paging.of(-1, Paging.MAX_PAGE_SIZE + 1, violations);

    InvalidInputException refused = violations.toException();
    assertThat(refused.violations())
        .extracting(InvalidInputException.Violation::field)
        .containsExactly("page", "page_size");
  }

  @Test
  void theLargestPageSizeIsAllowed() {
    FieldViolations violations = new FieldViolations();
    assertThat(Paging.of(1, Paging.MAX_PAGE_SIZE, violations).pageSize()).isEqualTo(100);
    assertThat(violations.isEmpty()).isTrue();
  }
}
