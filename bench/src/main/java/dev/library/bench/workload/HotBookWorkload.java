package dev.library.bench.workload;

import dev.library.bench.data.Ids;
import dev.library.bench.data.Isbn13;
import dev.library.bench.load.Burst;
import dev.library.bench.load.GrpcCalls;
import dev.library.bench.load.Outcomes;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.WorkloadReport;
import dev.library.book.v1.Book;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.BorrowBookRequest;
import dev.library.book.v1.CreateBookRequest;
import dev.library.book.v1.GetBookRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Many members at once on one book: 64 clients borrow a new book of 10 copies at the same moment.
 * Exactly 10 must succeed; the time until the last of the 64 has its answer is the drain. Then
 * the counts are read back twice, from the service (GetBook) and from its database, and
 * available must equal total minus active loans.
 */
public final class HotBookWorkload implements Workload {
  public static final String ID = "hot-book";
  /** The check that every round lent exactly the copies there were, and the counts agree. */
  public static final String CONSISTENCY_CHECK = "Hot book: successes = copies, available = total − active loans";

  /** ISBNs far above the generated catalog's (978 + book index). */
  private static final int ISBN_BASE = 900_000_000;

  @Override
  public String id() {
    return ID;
  }

  private record Round(Map<String, Long> outcomes, double drainMs, boolean consistent, String detail) {}

  @Override
  public WorkloadReport run(BenchContext context) throws Exception {
    int clients = context.config().hotBookClients();
    int copies = context.config().hotBookCopies();
    WorkloadReport.Builder report =
        new WorkloadReport.Builder(
            id(),
            "Hot book: " + clients + " clients, one book, " + copies + " copies",
            "Under a burst of " + clients + " simultaneous borrows of one book with " + copies
                + " copies, do exactly " + copies + " succeed, how long until all are answered, and "
                + "do the counts agree afterwards?");
    String token = context.system().adminToken();
    BookServiceGrpc.BookServiceStub books = context.books(token);
    List<Round> rounds = new ArrayList<>();
    for (int round = 0; round < context.config().hotBookRounds(); round++) {
      Book book =
          BenchContext.deadline(context.blockingBooks(token))
              .createBook(
                  CreateBookRequest.newBuilder()
                      .setTitle("The Hot Book, round " + (round + 1))
                      .setAuthorId(Ids.author(0).toString())
                      .setIsbn(Isbn13.of(ISBN_BASE + (int) context.nextRunKey()))
                      .setPublicationYear(2024)
                      .setTotalCopies(copies)
                      .addCategoryIds(Ids.category(0).toString())
                      .build())
              .getBook();
      long run = context.nextRunKey();
      Burst.Result burst =
          Burst.fire(
              clients,
              client ->
                  GrpcCalls.status(
                      BenchContext.deadline(books)::borrowBook,
                      BorrowBookRequest.newBuilder()
                          .setId(book.getId())
                          .setUserId(Ids.member(run * 1000 + client).toString())
                          .build()));
      rounds.add(verify(context, token, book.getId(), copies, burst));
    }
    summarise(report, rounds, clients, copies);
    return report.build();
  }

  private static Round verify(BenchContext context, String token, String bookId, int copies, Burst.Result burst)
      throws SQLException {
    Book fromService =
        BenchContext.deadline(context.blockingBooks(token))
            .getBook(GetBookRequest.newBuilder().setId(bookId).build())
            .getBook();
    int total;
    int available;
    long active;
    try (Connection db = context.system().connect("book");
        PreparedStatement query =
            db.prepareStatement(
                "SELECT total_copies, available_copies, (SELECT count(*) FROM loans "
                    + "WHERE book_id = b.id AND returned_at IS NULL) FROM books b WHERE id = ?")) {
      query.setObject(1, UUID.fromString(bookId));
      try (ResultSet row = query.executeQuery()) {
        row.next();
        total = row.getInt(1);
        available = row.getInt(2);
        active = row.getLong(3);
      }
    }
    long successes = burst.count(Outcomes.OK);
    boolean consistent =
        successes == copies
            && active == successes
            && available == total - active
            && fromService.getAvailableCopies() == available
            && fromService.getTotalCopies() == total;
    String detail =
        "successes " + successes + ", GetBook available " + fromService.getAvailableCopies() + "/"
            + fromService.getTotalCopies() + ", database available " + available + "/" + total
            + " with " + active + " active loans";
    System.out.printf("   round: %s, drain %s ms, outcomes %s%n", detail, Format.ms(burst.drainMs()), burst.outcomes());
    return new Round(burst.outcomes(), burst.drainMs(), consistent, detail);
  }

  private static void summarise(WorkloadReport.Builder report, List<Round> rounds, int clients, int copies) {
    long good = rounds.stream().filter(Round::consistent).count();
    Map<String, Long> outcomes = new TreeMap<>();
    rounds.forEach(r -> r.outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum)));
    double[] drains = rounds.stream().mapToDouble(Round::drainMs).sorted().toArray();
    report.finding(
        Finding.check(
            CONSISTENCY_CHECK,
            good == rounds.size(),
            good == rounds.size() ? "held in " + good + "/" + rounds.size() + " rounds" : "FAILED in " + (rounds.size() - good) + "/" + rounds.size() + " rounds",
            "each round " + clients + " simultaneous borrows of " + copies + " copies; all outcomes: "
                + Format.errors(outcomes) + "; counts read back through GetBook and from the database"));
    report.finding(
        Finding.headline(
            "Hot book: time to drain " + clients + " borrows",
            Format.ms(drains[drains.length / 2]) + " ms median (max " + Format.ms(drains[drains.length - 1]) + ")",
            "from the first request sent to the last answer, over " + rounds.size() + " rounds"));
    rounds.stream()
        .filter(r -> !r.consistent())
        .forEach(r -> report.note("inconsistent round: " + r.detail()));
    report.note(
        "Each round creates a new book through CreateBook (so it has its author and category like any "
            + "other), then fires the borrows; each client borrows for a member of its own. Drain times: "
            + Arrays.toString(Arrays.stream(drains).mapToObj(Format::ms).toArray()) + " ms.");
  }
}
