package dev.library.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.bench.load.LatencyHistogram;
import dev.library.bench.load.LoadResult;
import dev.library.bench.system.Machine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportsTest {
  private static LoadResult result(long... micros) {
    Histogram histogram = LatencyHistogram.create();
    for (long value : micros) {
      histogram.recordValue(value);
    }
    return LoadResult.of(histogram, 2.0, Map.of("UNAVAILABLE", 1L));
  }

  private static RunReport run() {
    WorkloadReport workload =
        new WorkloadReport(
            "get-book",
            "GetBook <REST> & gRPC",
            "What does the edge cost?",
            List.of(new Measurement("gRPC direct", 16, result(900, 1100, 5000)),
                new Measurement("REST | gateway", 16, result(2000))),
            List.of(Finding.headline("REST/gRPC", "0.50×", "half")),
            List.of("a note"));
    return new RunReport("quick", "make bench ARGS=--quick", "2026-01-01 00:00 UTC", 100,
        new Machine("cpu", 2, 24_000, "Linux", "JDK 17"), Map.of("seed", "42"), List.of(workload),
        List.of(GoalResult.decided("GetBook REST ÷ gRPC", "≥ 0.60×", "c=1 0.70×", true),
            GoalResult.decided("Login ÷ bcrypt", "≤ 1.50×", "2.00×", false),
            GoalResult.notMeasured("Borrow | pgbench", "≥ 0.60×", "", "pgbench is not installed")));
  }

  @Test
  void loadResultsCountOnlySuccessesAsThroughput() {
    LoadResult r = result(1000, 1000, 3000, 3000);
    assertThat(r.ok()).isEqualTo(4);
    assertThat(r.opsPerSecond()).isEqualTo(2.0);
    assertThat(r.p50Ms()).isEqualTo(1.0);
    assertThat(r.errorCount()).isEqualTo(1);
  }

  @Test
  void chartIsWellFormedSvgWithARowPerMeasurement() throws Exception {
    String svg = SvgChart.render(run());
    var document =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(document.getElementsByTagName("rect").getLength()).isEqualTo(1 + 2 * 2);
    assertThat(svg).contains("get-book · gRPC direct · c=16").contains("REST | gateway");
  }

  @Test
  void markdownAndJsonCarryTheFindingsAndEscapeTableCells() {
    String md = MarkdownReport.render(run());
    assertThat(md).contains("| REST/gRPC | **0.50×** | half |").contains("REST \\| gateway").contains("UNAVAILABLE 1");
    assertThat(PerformanceSection.render(run())).startsWith("## Performance").contains("make bench ARGS=--quick");
    assertThat(JsonReport.render(run())).contains("\"opsPerSecond\"").contains("\"headline\" : true");
  }

  @Test
  void goalsAreATableInResultsAndPerformanceAndDataInJson() {
    String goals =
        "| GetBook REST ÷ gRPC | ≥ 0.60× | c=1 0.70× | **met** |\n"
            + "| Login ÷ bcrypt | ≤ 1.50× | 2.00× | **not met** |\n"
            + "| Borrow \\| pgbench | ≥ 0.60× |  | not measured: pgbench is not installed |\n";
    assertThat(MarkdownReport.render(run())).contains("## Goals\n").contains(goals);
    assertThat(PerformanceSection.render(run())).contains("### Goals\n").contains(goals);
    assertThat(JsonReport.render(run()))
        .contains("\"status\" : \"met\"").contains("\"status\" : \"not met\"")
        .contains("\"reason\" : \"pgbench is not installed\"");
  }
}
