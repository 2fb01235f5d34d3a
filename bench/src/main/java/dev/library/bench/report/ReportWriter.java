package dev.library.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a run's files into its own folder under the results root. */
public final class ReportWriter {
  private ReportWriter() {}

  /** The folder written: {@code <root>/<yyyyMMdd-HHmmss>-<mode>/}. */
  public static Path write(RunReport run, Path root, String folderName) throws IOException {
    Path folder = Files.createDirectories(root.resolve(folderName));
    Files.writeString(folder.resolve("results.md"), MarkdownReport.render(run));
    Files.writeString(folder.resolve("results.json"), JsonReport.render(run));
    Files.writeString(folder.resolve("chart.svg"), SvgChart.render(run));
    Files.writeString(folder.resolve("performance.md"), PerformanceSection.render(run));
    return folder;
  }
}
