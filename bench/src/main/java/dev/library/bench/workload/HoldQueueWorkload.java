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
import dev.library.book.v1.BorrowBookResponse;
import dev.library.book.v1.CreateBookRequest;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.Hold;
import dev.library.book.v1.ListHoldsRequest;
import dev.library.book.v1.PlaceHoldRequest;
import dev.library.book.v1.ReturnBookRequest;
import dev.library.book.v1.ReturnBookResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hold queue drained copy by copy: 64 members place a hold at the same moment on a one-copy book
 * that is out, then, for each holder in turn, the copy is returned and every member still waiting
 * tries to borrow it at once. Exactly one borrow may succeed per cycle, and it must be the first in
 * line's; at the end the copy is back on the shelf and no copy is held.
 */
public final class HoldQueueWorkload implements Workload {
  private static final int ISBN_BASE = 910_000_000;

  @Override
  public String id() {
    return "hold-queue";
  }

  @Override
  public WorkloadReport run(BenchContext context) throws Exception {
    int members = context.config().hotBookClients();
    WorkloadReport.Builder report =
        new WorkloadReport.Builder(
            id(),
            "Hold queue: " + members + " members, one copy",
            "When " + members + " members queue for a one-copy book and each return races the borrows "
                + "of everyone still waiting, does the copy go to each holder exactly once, in queue "
                + "order, and how long does one return/borrow cycle take?");
    String token = context.system().adminToken();
    BookServiceGrpc.BookServiceBlockingStub blocking = context.blockingBooks(token);
    BookServiceGrpc.BookServiceStub books = context.books(token);
    long run = context.nextRunKey();
    Book book =
        BenchContext.deadline(blocking)
            .createBook(
                CreateBookRequest.newBuilder()
                    .setTitle("The Queued Book, run " + run)
                    .setAuthorId(Ids.author(0).toString())
                    .setIsbn(Isbn13.of(ISBN_BASE + (int) run))
                    .setPublicationYear(2024)
                    .setTotalCopies(1)
                    .build())
            .getBook();
    String first = Ids.member(run * 1000 + members).toString();
    String loan =
        BenchContext.deadline(blocking)
            .borrowBook(BorrowBookRequest.newBuilder().setId(book.getId()).setUserId(first).build())
            .getTransactionId();

    Burst.Result placed =
        Burst.fire(
            members,
            client ->
                GrpcCalls.status(
                    BenchContext.deadline(books)::placeHold,
                    PlaceHoldRequest.newBuilder()
                        .setBookId(book.getId())
                        .setUserId(Ids.member(run * 1000 + client).toString())
                        .build()));
    List<String> order = new ArrayList<>();
    for (Hold hold :
        BenchContext.deadline(blocking)
            .listHolds(ListHoldsRequest.newBuilder().setBookId(book.getId()).setPageSize(100).build())
            .getHoldsList()) {
      order.add(hold.getUserId());
    }

    String holder = first;
    List<Double> cycles = new ArrayList<>();
    Map<String, Long> outcomes = new TreeMap<>();
    long wrongWinner = 0;
    long notExactlyOne = 0;
    for (int turn = 0; turn < order.size(); turn++) {
      List<String> waiting = order.subList(turn, order.size());
      long start = System.nanoTime();
      ReturnBookResponse back =
          BenchContext.deadline(blocking)
              .returnBook(
                  ReturnBookRequest.newBuilder()
                      .setId(book.getId())
                      .setTransactionId(loan)
                      .setUserId(holder)
                      .build());
      Map<String, String> loans = new ConcurrentHashMap<>();
      Burst.Result borrows =
          Burst.fire(
              waiting.size(),
              client ->
                  GrpcCalls.unary(
                          BenchContext.deadline(books)::borrowBook,
                          BorrowBookRequest.newBuilder()
                              .setId(book.getId())
                              .setUserId(waiting.get(client))
                              .build())
                      .thenApply(
                          (BorrowBookResponse r) -> {
                            loans.put(r.getUserId(), r.getTransactionId());
                            return Outcomes.OK;
                          }));
      cycles.add((System.nanoTime() - start) / 1e6);
      borrows.outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
      if (loans.size() != 1 || back.getReadyHoldId().isEmpty()) {
        notExactlyOne++;
      }
      if (!loans.containsKey(waiting.get(0))) {
        wrongWinner++;
      }
      holder = waiting.get(0);
      loan = loans.getOrDefault(holder, "");
      if (loan.isEmpty()) {
        break;
      }
    }
    boolean finalReturned = false;
    if (!loan.isEmpty()) {
      BenchContext.deadline(blocking)
          .returnBook(
              ReturnBookRequest.newBuilder().setId(book.getId()).setTransactionId(loan).setUserId(holder).build());
      finalReturned = true;
    }
    Book after =
        BenchContext.deadline(blocking).getBook(GetBookRequest.newBuilder().setId(book.getId()).build()).getBook();

    long placedOk = placed.count(Outcomes.OK);
    boolean exact =
        placedOk == members
            && order.size() == members
            && cycles.size() == members
            && notExactlyOne == 0
            && wrongWinner == 0
            && finalReturned
            && after.getAvailableCopies() == 1
            && after.getHeldCopies() == 0;
    String detail =
        "holds placed " + placedOk + "/" + members + " (" + Format.errors(placed.outcomes()) + "), cycles "
            + cycles.size() + ", cycles without exactly one borrow " + notExactlyOne + ", won out of turn "
            + wrongWinner + ", afterwards available " + after.getAvailableCopies() + " held "
            + after.getHeldCopies();
    System.out.printf("   hold queue: %s%n", detail);
    report.finding(
        Finding.check(
            "Hold queue: each holder gets the copy exactly once, in queue order",
            exact,
            exact ? "held for " + members + " holders" : "FAILED: " + detail,
            "each cycle: the holder returns, then every member still waiting borrows at once; borrow "
                + "outcomes over all cycles: " + Format.errors(outcomes)));
    double[] sorted = cycles.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length > 0) {
      report.finding(
          Finding.headline(
              "Hold queue: one return/borrow cycle",
              Format.ms(sorted[sorted.length / 2]) + " ms median (max " + Format.ms(sorted[sorted.length - 1]) + ")",
              "a return that makes the next hold READY, then " + members + " down to 1 simultaneous borrows"));
      report.note(
          "Cycle times (ms, in turn order): "
              + Arrays.toString(cycles.stream().map(Format::ms).toArray()) + ".");
    }
    return report.build();
  }
}
