package dev.library.bench.workload;

import dev.library.bench.load.GrpcCalls;
import dev.library.bench.load.LoadResult;
import dev.library.bench.load.RestClient;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.WorkloadReport;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.GetBookRequest;

/**
 * GetBook of random catalog books, direct gRPC and REST through the gateway, at each concurrency
 * one right after the other: their throughput ratio is the cost of the REST edge (HTTP/1.1 and
 * JSON transcoding plus one more gRPC hop).
 */
public final class GetBookWorkload implements Workload {
  public static final String ID = "get-book";
  /** The rows' names, which the report's goals read the ratio from. */
  public static final String GRPC = "gRPC direct";
  public static final String REST = "REST via gateway";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WorkloadReport run(BenchContext context) {
    WorkloadReport.Builder report =
        new WorkloadReport.Builder(
            id(),
            "GetBook: REST through the gateway vs direct gRPC",
            "What does the REST edge cost? GetBook of random books (each answer embeds its author and "
                + "categories: two downstream RPCs), same token, same books.");
    String token = context.system().adminToken();
    String[] ids = BenchContext.bookIds(context.catalog().books());
    BookServiceGrpc.BookServiceStub books = context.books(token);
    RestClient rest = new RestClient(context.system().gatewayPort());
    for (int concurrency : context.config().edgeConcurrency()) {
      LoadResult grpc =
          report.add(
              GRPC,
              concurrency,
              context.loop(concurrency)
                  .run(
                      client ->
                          GrpcCalls.status(
                              BenchContext.deadline(books)::getBook,
                              GetBookRequest.newBuilder().setId(BenchContext.randomBookId(ids)).build())));
      LoadResult http =
          report.add(
              REST,
              concurrency,
              context.loop(concurrency)
                  .run(client -> rest.get("/api/v1/books/" + BenchContext.randomBookId(ids), token)));
      report.finding(
          Finding.headline(
              "GetBook REST/gRPC throughput, c=" + concurrency,
              Format.ratio(http.opsPerSecond(), grpc.opsPerSecond()),
              "p50 " + Format.ms(http.p50Ms()) + " ms over REST vs " + Format.ms(grpc.p50Ms())
                  + " ms over gRPC"));
    }
    report.note(
        "REST: an event-loop HTTP/1.1 client (Armeria's WebClient on its own two threads), keep-alive, "
            + "one connection per client, no pipelining; gRPC: one HTTP/2 "
            + "connection, async stubs. The gateway runs in the same process (Envoy's role in production).");
    return report.build();
  }
}
