package dev.library.bench.workload;

import dev.library.bench.load.ClosedLoop;
import dev.library.bench.load.GrpcCalls;
import dev.library.bench.load.RestClient;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.BookSortField;
import dev.library.book.v1.GetBookRequest;
import dev.library.book.v1.ListBooksRequest;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;

/**
 * Unmeasured traffic through the paths the workloads use (empty RPC, GetBook over gRPC and REST,
 * ListBooks, borrow-and-return cycles) before the first measurement, so the first workload does not pay alone for JIT
 * compilation, class loading and connection set-up. Each row still has its own warm-up.
 */
public final class SystemWarmUp {
  private SystemWarmUp() {}

  public static void run(BenchContext context) {
    Duration length = context.config().warmUp().multipliedBy(3);
    System.out.printf("warming up the JVM and the connections for %d s%n", length.toSeconds());
    String token = context.system().adminToken();
    String[] ids = BenchContext.bookIds(context.catalog().books());
    BookServiceGrpc.BookServiceStub books = context.books(token);
    HealthGrpc.HealthStub health = HealthGrpc.newStub(context.system().channel("book"));
    RestClient rest = new RestClient(context.system().gatewayPort());
    ListBooksRequest page = ListBooksRequest.newBuilder().setSortBy(BookSortField.TITLE).build();
    long run = context.nextRunKey();
    int fiveCopyBooks = context.catalog().books() / 5;
    new ClosedLoop(20, Duration.ZERO, length)
        .run(
            client ->
                switch (client % 5) {
                  case 0 -> GrpcCalls.status(BenchContext.deadline(health)::check, HealthCheckRequest.getDefaultInstance());
                  case 1 -> GrpcCalls.status(
                      BenchContext.deadline(books)::getBook,
                      GetBookRequest.newBuilder().setId(BenchContext.randomBookId(ids)).build());
                  case 2 -> rest.get("/api/v1/books/" + BenchContext.randomBookId(ids), token);
                  case 3 -> GrpcCalls.status(BenchContext.deadline(books)::listBooks, page);
                  default -> BorrowReturnWorkload.cycle(books, run, client, fiveCopyBooks);
                });
  }
}
