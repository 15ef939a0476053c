package io.scgrn.app.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small inline-SVG charts for the batch report: grouped bars, histograms and line charts. Plain strings, no
 * scripts, fonts or external references, so the report opens offline and prints.
 */
public final class SvgChart {
    /** Tableau 10: distinguishable colours for up to ten series. */
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
        "#ff9da7", "#9c755f", "#bab0ac"};
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 42;

    /**
     * A named series of values.
     *
     * @param name   legend label
     * @param values one per category (bars) or per x (lines)
     */
    public record Series(String name, double[] values) {
    }

    /**
     * A line: x and y of equal length.
     *
     * @param name legend label
     * @param x    x values, increasing
     * @param y    y values (NaN points are skipped)
     */
    public record Line(String name, double[] x, double[] y) {
    }

    private SvgChart() {
    }

    /**
     * Grouped vertical bars: one group per category, one bar per series within a group, with a legend.
     *
     * @param categories group labels along x
     * @param series     each with one value per category (NaN: no bar)
     * @param reference  a dashed horizontal line (e.g. 1.0 = random for ratios), or NaN for none
     */
    public static String bars(String title, List<String> categories, List<Series> series, String yLabel,
                              double reference, int width, int height) {
        double max = Double.isNaN(reference) ? 0 : reference;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double[] ticks = ticks(0, max <= 0 ? 1 : max, 5);
        double top = ticks[ticks.length - 1];
        int legendRows = legendRows(series.stream().map(Series::name).toList(), width);
        int plotH = height - TOP - BOTTOM - legendRows * 16;
        int plotW = width - LEFT - RIGHT;
        StringBuilder sb = open(title, width, height);
        yAxis(sb, ticks, 0, top, plotH, plotW, yLabel);
        int nCat = Math.max(1, categories.size());
        double groupW = (double) plotW / nCat;
        double barW = groupW * 0.8 / Math.max(1, series.size());
        for (int c = 0; c < categories.size(); c++) {
            double gx = LEFT + c * groupW + groupW * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = s < series.size() && c < series.get(s).values().length ? series.get(s).values()[c]
                        : Double.NaN;
                if (!Double.isFinite(v)) {
                    continue;
                }
                double h = Math.max(0, v / top * plotH);
                sb.append(String.format(Locale.ROOT,
                        "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s — %s: %s</title></rect>",
                        gx + s * barW, TOP + plotH - h, Math.max(1, barW - 1), h, color(s),
                        esc(series.get(s).name()), esc(categories.get(c)), num(v)));
            }
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle' class='tick'>%s</text>",
                    LEFT + c * groupW + groupW / 2, TOP + plotH + 14, esc(shorten(categories.get(c),
                            (int) Math.max(4, groupW / 6)))));
        }
        if (Double.isFinite(reference) && reference > 0) {
            double y = TOP + plotH - reference / top * plotH;
            sb.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' class='ref'/>", LEFT,
                    LEFT + plotW, y, y));
        }
        if (series.size() > 1) {
            legend(sb, series.stream().map(Series::name).toList(), TOP + plotH + 28, width);
        }
        return sb.append("</svg>").toString();
    }

    /**
     * A histogram from precomputed bin counts over equal-width bins.
     *
     * @param lo     left edge of the first bin
     * @param hi     right edge of the last bin
     * @param counts count per bin
     */
    public static String histogram(String title, double lo, double hi, long[] counts, String xLabel, String yLabel,
                                   int width, int height) {
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        double[] yt = ticks(0, max, 4);
        double top = yt[yt.length - 1];
        int plotH = height - TOP - BOTTOM;
        int plotW = width - LEFT - RIGHT;
        StringBuilder sb = open(title, width, height);
        yAxis(sb, yt, 0, top, plotH, plotW, yLabel);
        double bw = (double) plotW / Math.max(1, counts.length);
        double step = (hi - lo) / Math.max(1, counts.length);
        for (int i = 0; i < counts.length; i++) {
            double h = counts[i] / top * plotH;
            sb.append(String.format(Locale.ROOT,
                    "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s – %s: %d</title></rect>",
                    LEFT + i * bw, TOP + plotH - h, Math.max(0.5, bw - 0.5), h, PALETTE[0], num(lo + i * step),
                    num(lo + (i + 1) * step), counts[i]));
        }
        xAxis(sb, ticks(lo, hi, 5), lo, hi, plotH, plotW, xLabel);
        return sb.append("</svg>").toString();
    }

    /** Line chart; {@code logY} plots log10(y) (non-positive values skipped) with labels in y units. */
    public static String lines(String title, List<Line> lines, String xLabel, String yLabel, boolean logY,
                               int width, int height) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            for (int i = 0; i < l.x().length; i++) {
                double y = tr(l.y()[i], logY);
                if (Double.isFinite(y) && Double.isFinite(l.x()[i])) {
                    xMin = Math.min(xMin, l.x()[i]);
                    xMax = Math.max(xMax, l.x()[i]);
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        if (!Double.isFinite(xMin)) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        if (yMax == yMin) {
            yMax = yMin + 1;
        }
        int legendRows = legendRows(lines.stream().limit(12).map(Line::name).toList(), width);
        // below the x-axis label, unlike the bar charts' legends (their categories need no axis label)
        int plotH = height - TOP - BOTTOM - legendRows * 16 - (legendRows > 0 ? 16 : 0);
        int plotW = width - LEFT - RIGHT;
        double[] yt = logY ? logTicks(yMin, yMax) : ticks(yMin, yMax, 5);
        double y0 = logY ? Math.min(yMin, yt[0]) : yt[0];
        double y1 = logY ? Math.max(yMax, yt[yt.length - 1]) : yt[yt.length - 1];
        StringBuilder sb = open(title, width, height);
        yAxisLabels(sb, yt, y0, y1, plotH, plotW, yLabel, logY);
        xAxis(sb, ticks(xMin, xMax, 5), xMin, xMax, plotH, plotW, xLabel);
        for (int k = 0; k < lines.size(); k++) {
            Line l = lines.get(k);
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < l.x().length; i++) {
                double y = tr(l.y()[i], logY);
                if (!Double.isFinite(y)) {
                    continue;
                }
                double px = LEFT + (l.x()[i] - xMin) / (xMax - xMin) * plotW;
                double py = TOP + plotH - (y - y0) / (y1 - y0) * plotH;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            sb.append(String.format(Locale.ROOT,
                    "<polyline points='%s' fill='none' stroke='%s' stroke-width='1.5'><title>%s</title></polyline>",
                    pts.toString().trim(), color(k), esc(l.name())));
        }
        if (lines.size() > 1) {
            legend(sb, lines.stream().limit(12).map(Line::name).toList(), TOP + plotH + 46, width);
        }
        return sb.append("</svg>").toString();
    }

    private static double tr(double y, boolean log) {
        if (!log) {
            return y;
        }
        return y > 0 ? Math.log10(y) : Double.NaN;
    }

    private static StringBuilder open(String title, int width, int height) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "viewBox='0 0 %d %d' role='img' class='chart'>", width, height, width, height));
        sb.append("<title>").append(esc(title)).append("</title>");
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='16' class='title'>%s</text>", LEFT, esc(title)));
        return sb;
    }

    private static void yAxis(StringBuilder sb, double[] ticks, double lo, double hi, int plotH, int plotW,
                              String label) {
        yAxisLabels(sb, ticks, lo, hi, plotH, plotW, label, false);
    }

    private static void yAxisLabels(StringBuilder sb, double[] ticks, double lo, double hi, int plotH, int plotW,
                                    String label, boolean log) {
        for (double t : ticks) {
            double y = TOP + plotH - (t - lo) / (hi - lo) * plotH;
            sb.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' class='grid'/>", LEFT,
                    LEFT + plotW, y, y));
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end' class='tick'>%s</text>",
                    LEFT - 4, y + 3, num(log ? Math.pow(10, t) : t)));
        }
        sb.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%d' y2='%d' class='axis'/>", LEFT,
                LEFT + plotW, TOP + plotH, TOP + plotH));
        sb.append(String.format(Locale.ROOT, "<text x='12' y='%d' transform='rotate(-90 12 %d)' "
                + "text-anchor='middle' class='label'>%s</text>", TOP + plotH / 2, TOP + plotH / 2, esc(label)));
    }

    private static void xAxis(StringBuilder sb, double[] ticks, double lo, double hi, int plotH, int plotW,
                              String label) {
        for (double t : ticks) {
            if (t < lo - 1e-12 || t > hi + 1e-12) {
                continue;
            }
            double x = LEFT + (t - lo) / (hi - lo) * plotW;
            sb.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle' class='tick'>%s</text>",
                    x, TOP + plotH + 14, num(t)));
        }
        sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle' class='label'>%s</text>",
                LEFT + plotW / 2, TOP + plotH + 30, esc(label)));
    }

    private static void legend(StringBuilder sb, List<String> names, int y, int width) {
        int cols = legendColumns(names, width);
        int colW = (width - LEFT) / cols;
        for (int i = 0; i < names.size(); i++) {
            int x = LEFT + (i % cols) * colW;
            int yy = y + (i / cols) * 16;
            sb.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='10' height='10' fill='%s'/>", x, yy - 9,
                    color(i)));
            sb.append(String.format(Locale.ROOT, "<text x='%d' y='%d' class='tick'>%s</text>", x + 14, yy,
                    esc(shorten(names.get(i), (colW - 20) * 10 / 58))));
        }
    }

    /** As many legend columns (1 to 3) as the longest label allows at about 5.8 px per character. */
    static int legendColumns(List<String> names, int width) {
        int longest = names.stream().mapToInt(String::length).max().orElse(1);
        int perCol = (int) (longest * 5.8) + 24;
        return Math.max(1, Math.min(3, (width - LEFT) / perCol));
    }

    /** Rows a legend of {@code n} labels takes. */
    static int legendRows(List<String> names, int width) {
        return names.size() <= 1 ? 0 : (names.size() + legendColumns(names, width) - 1) / legendColumns(names, width);
    }

    /** About {@code n} round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k). */
    static double[] ticks(double lo, double hi, int n) {
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double raw = (hi - lo) / Math.max(1, n);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3 ? 2 * mag : raw / mag < 7 ? 5 * mag : 10 * mag;
        double start = Math.floor(lo / step) * step;
        List<Double> out = new ArrayList<>();
        for (double t = start; t < hi + step * 0.999; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
            if (out.size() > 50) {
                break;
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] logTicks(double lo, double hi) {
        double a = Math.floor(lo);
        double b = Math.ceil(hi);
        if (b - a < 1) {
            return ticks(lo, hi, 4);
        }
        List<Double> out = new ArrayList<>();
        double step = Math.max(1, Math.ceil((b - a) / 5));
        for (double t = a; t <= b + 1e-9; t += step) {
            out.add(t);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** Compact number: integers as such, others with 3 significant digits. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static String shorten(String s, int max) {
        return s.length() <= Math.max(3, max) ? s : s.substring(0, Math.max(2, max - 1)) + "…";
    }

    /** Escapes text for HTML and SVG content and attributes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
