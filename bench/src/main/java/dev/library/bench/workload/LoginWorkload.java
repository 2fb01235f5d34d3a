package dev.library.bench.workload;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.LoginRequest;
import dev.library.bench.load.GrpcCalls;
import dev.library.bench.load.LatencyHistogram;
import dev.library.bench.load.LoadResult;
import dev.library.bench.report.Finding;
import dev.library.bench.report.Format;
import dev.library.bench.report.WorkloadReport;
import dev.library.bench.system.SystemUnderTest;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Logins at the configured bcrypt cost (production's, not the tests'), next to one bare bcrypt
 * verification at that cost in this JVM: a login should cost about one verification, since the
 * hash is the point of it.
 */
public final class LoginWorkload implements Workload {
  public static final String ID = "login";
  public static final String LOGIN = "Login (gRPC)";
  public static final String BARE_BCRYPT = "bare bcrypt verify, in the bench JVM";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WorkloadReport run(BenchContext context) {
    int cost = context.system().bcryptCost();
    WorkloadReport.Builder report =
        new WorkloadReport.Builder(
            id(),
            "Login at bcrypt cost " + cost,
            "How long does a login take at the configured password-hash cost, and how much of it is bcrypt?");
    AuthServiceGrpc.AuthServiceStub auth = AuthServiceGrpc.newStub(context.system().channel("auth"));
    LoginRequest request =
        LoginRequest.newBuilder()
            .setUsername(SystemUnderTest.ADMIN_USERNAME)
            .setPassword(SystemUnderTest.ADMIN_PASSWORD)
            .build();
    LoadResult single = null;
    for (int concurrency : context.config().loginConcurrency()) {
      LoadResult result =
          report.add(
              LOGIN,
              concurrency,
              context.loop(concurrency).run(client -> GrpcCalls.status(BenchContext.deadline(auth)::login, request)));
      if (single == null) {
        single = result;
      }
    }
    LoadResult bcrypt = report.add(BARE_BCRYPT, 1, bareVerifications(cost, context));
    report.finding(
        Finding.headline(
            "Login at bcrypt cost " + cost,
            Format.ms(single.p50Ms()) + " ms per login",
            "p50 with one client; the bare bcrypt verification alone takes " + Format.ms(bcrypt.p50Ms())
                + " ms, so login/bcrypt = " + Format.ratio(single.p50Ms(), bcrypt.p50Ms())));
    report.note(
        "Cost " + cost + " from " + context.system().settings().bcryptCostSource()
            + " (tests run with 4). Each step of the cost doubles the time; with 2 cores, two logins at "
            + "once is the most that runs in parallel.");
    return report.build();
  }

  private static LoadResult bareVerifications(int cost, BenchContext context) {
    char[] password = SystemUnderTest.ADMIN_PASSWORD.toCharArray();
    byte[] hash = BCrypt.withDefaults().hash(cost, password);
    long end = System.nanoTime() + context.config().measured().toNanos();
    Histogram latencies = LatencyHistogram.create();
    long start = System.nanoTime();
    do {
      long begin = System.nanoTime();
      if (!BCrypt.verifyer().verify(password, hash).verified) {
        throw new IllegalStateException("bcrypt did not verify its own hash");
      }
      LatencyHistogram.recordNanos(latencies, System.nanoTime() - begin);
    } while (System.nanoTime() < end);
    return LoadResult.of(latencies, (System.nanoTime() - start) / 1e9, Map.of());
  }
}
