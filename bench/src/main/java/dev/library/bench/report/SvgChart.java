package dev.library.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * chart.svg: one row per measurement, throughput on the left and latency (p50 bar, p99 whisker)
 * on the right, both on log scales since they span from a few logins per second to thousands of
 * empty RPCs. Plain SVG written by hand: no chart library, no fonts to embed.
 */
public final class SvgChart {
  private static final int LABEL_WIDTH = 360;
  private static final int PANEL_WIDTH = 330;
  private static final int GAP = 40;
  private static final int ROW = 16;
  private static final int TOP = 90;
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"
  };

  private SvgChart() {}

  private record Row(String label, String color, double opsPerSecond, double p50, double p99) {}

  public static String render(RunReport run) {
    List<Row> rows = rows(run);
    int height = TOP + rows.size() * ROW + 50;
    int width = LABEL_WIDTH + 2 * PANEL_WIDTH + GAP + 30;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Library benchmarks (%s run, %s)</text>%n",
        escape(run.mode()), escape(run.startedAt())));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"10\" y=\"42\" fill=\"#555\">%s</text>%n", escape(run.machine().toString())));
    Axis throughput = Axis.spanning(rows, Row::opsPerSecond, LABEL_WIDTH);
    Axis latency = Axis.spanning(rows, Row::p99, LABEL_WIDTH + PANEL_WIDTH + GAP);
    latency = latency.including(rows.stream().mapToDouble(Row::p50).filter(v -> v > 0).min().orElse(1));
    panel(svg, throughput, "throughput (successful requests/s, log scale)", height);
    panel(svg, latency, "latency ms (bar p50, whisker to p99; log scale)", height);
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      int y = TOP + i * ROW;
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL_WIDTH - 8, y + 11, escape(row.label())));
      if (row.opsPerSecond() > 0) {
        bar(svg, throughput, row.opsPerSecond(), y, row.color(), throughput.x(row.opsPerSecond()),
            Format.rate(row.opsPerSecond()));
      }
      if (row.p50() > 0) {
        double x50 = latency.x(row.p50());
        double x99 = latency.x(row.p99());
        bar(svg, latency, row.p50(), y, row.color(), Math.max(x50, x99),
            Format.ms(row.p50()) + " / " + Format.ms(row.p99()));
        svg.append(String.format(Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>"
                + "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>%n",
            x50, y + 7, x99, y + 7, x99, y + 3, x99, y + 11));
      }
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static List<Row> rows(RunReport run) {
    List<Row> rows = new ArrayList<>();
    int colour = 0;
    for (WorkloadReport workload : run.workloads()) {
      if (workload.measurements().isEmpty()) {
        continue;
      }
      String color = PALETTE[colour++ % PALETTE.length];
      for (Measurement m : workload.measurements()) {
        rows.add(new Row(
            workload.id() + " · " + m.variant() + " · c=" + m.concurrency(), color,
            m.result().opsPerSecond(), m.result().p50Ms(), m.result().p99Ms()));
      }
    }
    return rows;
  }

  private static void panel(StringBuilder svg, Axis axis, String title, int height) {
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", axis.left, TOP - 22, escape(title)));
    for (double tick = axis.min; tick <= axis.max * 1.0001; tick *= 10) {
      double x = axis.x(tick);
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
              + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
          x, TOP - 6, x, height - 40, x, TOP - 8, tickLabel(tick)));
    }
  }

  /** A bar from the axis to {@code value}, labelled after {@code labelAt} (the bar or its whisker). */
  private static void bar(
      StringBuilder svg, Axis axis, double value, int y, String color, double labelAt, String label) {
    double width = Math.max(1, axis.x(value) - axis.left);
    svg.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
            + "<text x=\"%.1f\" y=\"%d\" fill=\"#222\" font-size=\"9\">%s</text>%n",
        axis.left, y + 2, width, ROW - 5, color, Math.max(axis.left + width, labelAt) + 4, y + 11, escape(label)));
  }

  private static String tickLabel(double value) {
    if (value >= 1) {
      return Format.count(Math.round(value));
    }
    return String.format(Locale.ROOT, "%s", value >= 0.1 ? "0.1" : value >= 0.01 ? "0.01" : "0.001");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** A log10 axis over whole decades, {@code PANEL_WIDTH} pixels from {@code left}. */
  private record Axis(int left, double min, double max) {
    static Axis spanning(List<Row> rows, ToDoubleFunction<Row> value, int left) {
      double low = rows.stream().mapToDouble(value).filter(v -> v > 0).min().orElse(1);
      double high = rows.stream().mapToDouble(value).filter(v -> v > 0).max().orElse(10);
      return new Axis(left, decadeBelow(low), decadeAbove(high));
    }

    Axis including(double value) {
      return new Axis(left, Math.min(min, decadeBelow(value)), max);
    }

    double x(double value) {
      double span = Math.log10(max) - Math.log10(min);
      double at = (Math.log10(Math.max(value, min)) - Math.log10(min)) / (span == 0 ? 1 : span);
      return left + at * (PANEL_WIDTH - 60);
    }

    private static double decadeBelow(double v) {
      return Math.pow(10, Math.floor(Math.log10(v)));
    }

    private static double decadeAbove(double v) {
      double decade = Math.pow(10, Math.ceil(Math.log10(v)));
      return decade == v ? decade * 10 : decade;
    }
  }
}
