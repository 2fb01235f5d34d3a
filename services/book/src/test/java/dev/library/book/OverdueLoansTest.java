package dev.library.book;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.v1.Book;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.ListLoansRequest;
import dev.library.book.v1.ListLoansRequest.LoanStatusFilter;
import dev.library.book.v1.Loan;
import dev.library.book.v1.LoanStatus;
import dev.library.runtime.testing.LibrarySystem;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With a loan period of zero every loan is overdue as soon as it is made. */
class OverdueLoansTest {
  private static Library library;

  @BeforeAll
  static void start() {
    library =
        new Library(
            LibrarySystem.start(
                "auth,author,category,book", Map.of("services.book.settings.loanPeriod", "0s")));
  }

  @AfterAll
  static void stop() {
    library.close();
  }

  @Test
  void overdueLoansAreActiveButListedAsOverdue() {
    Book book = library.book("Late", library.author("Slow reader's author"), 2);
    library.asMember.borrowBook(BorrowBookRequest.newBuilder().setId(book.getId()).build());

    var overdue =
        library.asMember.listLoans(ListLoansRequest.newBuilder().setStatus(LoanStatusFilter.OVERDUE).build());
    assertThat(overdue.getTotal()).isEqualTo(1);
    assertThat(overdue.getLoansList()).extracting(Loan::getStatus).containsExactly(LoanStatus.OVERDUE);
    var active =
        library.asMember.listLoans(ListLoansRequest.newBuilder().setStatus(LoanStatusFilter.ACTIVE).build());
    assertThat(active.getTotal()).as("overdue loans are still active").isEqualTo(1);
    assertThat(
            library.asMember.listLoans(ListLoansRequest.newBuilder().setStatus(LoanStatusFilter.RETURNED).build()).getTotal())
        .isZero();
  }
}
