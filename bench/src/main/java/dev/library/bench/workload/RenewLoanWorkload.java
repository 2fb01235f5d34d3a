package dev.library.bench.workload;

import dev.library.bench.data.Ids;
import dev.library.bench.data.Isbn13;
import dev.library.bench.load.GrpcCalls;
import dev.library.bench.load.LoadResult;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.WorkloadReport;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.CreateBookRequest;
import dev.library.book.v1.RenewLoanRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * RenewLoan throughput: every client renews loans of its own round robin (each renewal is a
 * conditional update of the loan plus a share lock on its book and an event row), next to the
 * same calls with {@code validate_only} (the same statements, rolled back): their ratio is what
 * committing a renewal costs.
 */
public final class RenewLoanWorkload implements Workload {
  private static final int ISBN_BASE = 920_000_000;
  private static final int BOOKS = 5;
  private static final int MEMBERS = 128;

  @Override
  public String id() {
    return "renew";
  }

  @Override
  public WorkloadReport run(BenchContext context) {
    WorkloadReport.Builder report =
        new WorkloadReport.Builder(
            id(),
            "RenewLoan: committed vs validate_only",
            "How many renewals per second, and what does committing one cost over only checking it?");
    String token = context.system().adminToken();
    BookServiceGrpc.BookServiceStub books = context.books(token);
    for (int concurrency : List.of(1, 16)) {
      String[] loans = loans(context, token);
      AtomicLongArray next = new AtomicLongArray(concurrency);
      LoadResult real =
          report.add(
              "RenewLoan",
              concurrency,
              context.loop(concurrency).run(client -> renew(books, loans, next, concurrency, client, false)));
      LoadResult dry =
          report.add(
              "RenewLoan validate_only",
              concurrency,
              context.loop(concurrency).run(client -> renew(books, loans, next, concurrency, client, true)));
      report.finding(
          Finding.headline(
              "RenewLoan throughput, c=" + concurrency,
              Format.rate(real.opsPerSecond()),
              "committed renewals; validate_only does " + Format.rate(dry.opsPerSecond()) + " ("
                  + Format.ratio(real.opsPerSecond(), dry.opsPerSecond()) + " of it)"));
    }
    report.note(
        "Loans: " + MEMBERS + " members of a fresh run each borrow " + BOOKS + " new books (the per-member "
            + "limit), before each concurrency; client c renews the loans whose index is c modulo the "
            + "concurrency, in turn. The bench raises maxRenewals to 100 so that a window cannot exhaust "
            + "them; every other rule is the production default.");
    return report.build();
  }

  private static java.util.concurrent.CompletableFuture<String> renew(
      BookServiceGrpc.BookServiceStub books, String[] loans, AtomicLongArray next, int concurrency, int client,
      boolean validateOnly) {
    long turn = next.getAndIncrement(client);
    int mine = (loans.length - client + concurrency - 1) / concurrency;
    String loan = loans[(int) (client + (turn % mine) * concurrency)];
    return GrpcCalls.status(
        BenchContext.deadline(books)::renewLoan,
        RenewLoanRequest.newBuilder().setTransactionId(loan).setValidateOnly(validateOnly).build());
  }

  /** {@code MEMBERS * BOOKS} fresh loans, borrowed for members of a new run. */
  private static String[] loans(BenchContext context, String token) {
    BookServiceGrpc.BookServiceBlockingStub blocking = context.blockingBooks(token);
    long run = context.nextRunKey();
    List<String> bookIds = new ArrayList<>();
    for (int b = 0; b < BOOKS; b++) {
      bookIds.add(
          BenchContext.deadline(blocking)
              .createBook(
                  CreateBookRequest.newBuilder()
                      .setTitle("Renewed again, run " + run + " book " + b)
                      .setAuthorId(Ids.author(0).toString())
                      .setIsbn(Isbn13.of(ISBN_BASE + (int) run * BOOKS + b))
                      .setPublicationYear(2024)
                      .setTotalCopies(MEMBERS)
                      .build())
              .getBook()
              .getId());
    }
    List<String> loans = new ArrayList<>();
    for (int m = 0; m < MEMBERS; m++) {
      for (String book : bookIds) {
        loans.add(
            BenchContext.deadline(blocking)
                .borrowBook(
                    BorrowBookRequest.newBuilder()
                        .setId(book)
                        .setUserId(Ids.member(run * 1000 + m).toString())
                        .build())
                .getTransactionId());
      }
    }
    return loans.toArray(String[]::new);
  }
}
