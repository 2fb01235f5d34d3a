package dev.library.bench.workload;

import dev.library.bench.load.GrpcCalls;
import dev.library.bench.load.LoadResult;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.WorkloadReport;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;

/**
 * The load generator's own ceiling: grpc.health.v1 Check on the Book service's gRPC server, an
 * RPC that does no work (no auth, no database). Whatever rate it reaches is the most this load
 * generator plus gRPC can show on this machine; every other row is below it.
 */
public final class EmptyRpcWorkload implements Workload {
  @Override
  public String id() {
    return "empty-rpc";
  }

  @Override
  public WorkloadReport run(BenchContext context) {
    WorkloadReport.Builder report =
        new WorkloadReport.Builder(
            id(),
            "Load generator overhead (empty RPC)",
            "How fast can the load generator go against an RPC that does nothing "
                + "(grpc.health.v1 Check on the Book service's server)?");
    HealthGrpc.HealthStub health = HealthGrpc.newStub(context.system().channel("book"));
    HealthCheckRequest request = HealthCheckRequest.getDefaultInstance();
    LoadResult single = null;
    LoadResult widest = null;
    int widestConcurrency = 0;
    for (int concurrency : context.config().edgeConcurrency()) {
      LoadResult result =
          report.add(
              "grpc.health.v1 Check",
              concurrency,
              context.loop(concurrency)
                  .run(client -> GrpcCalls.status(BenchContext.deadline(health)::check, request)));
      if (single == null) {
        single = result;
      }
      widest = result;
      widestConcurrency = concurrency;
    }
    report.finding(
        Finding.headline(
            "Empty RPC ceiling (c=" + widestConcurrency + ")",
            Format.rate(widest.opsPerSecond()) + " ops/s",
            "the most the load generator and gRPC reach here; p50 at c=1 is "
                + Format.ms(single.p50Ms()) + " ms, the floor of every gRPC latency below"));
    report.note(
        "The load generator runs in the same JVM as the system and shares its cores, so this ceiling "
            + "also bounds the other rows.");
    return report.build();
  }
}
