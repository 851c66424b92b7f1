package org.sltk.theory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sltk.util.AtomicFiles;

/** The tables (CSV, markdown) and the figure of a {@link SumBound} run. */
public final class SumBoundReport {

    private SumBoundReport() {}

    /**
     * The header of the estimates CSV; {@code form} is {@code paper} or {@code standardised},
     * {@code c_l_at} / {@code c_u_at} are x for the paper form and u for the standardised one.
     */
    public static final String CSV_HEADER =
            "dist,form,k,samples,c_l,c_l_lo,c_l_hi,c_l_at,c_l_k,c_u,c_u_lo,c_u_hi,c_u_at,c_u_k";

    /**
     * Returns the estimates as CSV: one row per distribution, form and k; k = 0 is the row over all
     * k (the sum-bounded constants).
     *
     * @param r the result
     * @return the CSV text
     */
    public static String csv(SumBound.Result r) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (SumBound.Estimate e : r.estimates()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s,%s,%d,%d,%.6f,%.6f,%.6f,%.4f,%d,%.6f,%.6f,%.6f,%.4f,%d%n",
                            e.dist(),
                            e.form(),
                            e.k(),
                            e.samples(),
                            e.cl(),
                            e.clLo(),
                            e.clHi(),
                            e.clAt(),
                            e.clK(),
                            e.cu(),
                            e.cuLo(),
                            e.cuHi(),
                            e.cuAt(),
                            e.cuK()));
        }
        return sb.toString();
    }

    /**
     * The header of the curves CSV; {@code at} is x for the paper form and u for the standardised
     * one.
     */
    public static final String CURVES_CSV_HEADER = "dist,form,k,at,scaled_density,lo,hi";

    /**
     * Returns the scaled density curves as CSV: the paper form per bin of x in [-sqrt(k), sqrt(k)],
     * then the standardised form per bin of u in [-3, 3].
     *
     * @param r the result
     * @return the CSV text
     */
    public static String curvesCsv(SumBound.Result r) {
        StringBuilder sb = new StringBuilder(CURVES_CSV_HEADER).append('\n');
        for (SumBound.CurvePoint p : r.curves()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s,%s,%d,%.4f,%.6f,%.6f,%.6f%n",
                            p.dist(),
                            p.form(),
                            p.k(),
                            p.at(),
                            p.density(),
                            p.lo(),
                            p.hi()));
        }
        return sb.toString();
    }

    /** How each form is described in the markdown. */
    private static String formLine(String form) {
        return form.equals(SumBound.PAPER)
                ? "(docs/theory.md section 5, the headline) sqrt(k) f_k(x) on x in [-sqrt(k), sqrt(k)], f_k the density"
                        + " of the sum of k samples in the weights' own units; scale-dependent, CLT limit"
                        + " c_l = phi(1/sigma)/sigma, c_u = phi(0)/sigma"
                : "the same on +-1 sd of the sum, |x| <= sigma sqrt(k) (u = x / (sigma sqrt(k)) in"
                        + " [-1, 1], density of S_k / (sigma sqrt(k))); scale-free, CLT limit c_l = phi(1) = 0.2420,"
                        + " c_u = phi(0) = 0.3989; equals the paper form when sigma = 1";
    }

    /**
     * Returns the markdown summary: the constants over all k in the paper form and, beside it, the
     * standardised form, then c_l / c_u per k in each form.
     *
     * @param r the result
     * @return markdown text
     */
    public static String markdown(SumBound.Result r) {
        StringBuilder sb = new StringBuilder();
        SumBound.Config c = r.config();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Sum-bounded constants c_l = min, c_u = max of the scaled density over the range and over k in %s;"
                                + " %,d sums per k, %d bins on the range, simultaneous %.0f%% Wilson intervals (z = %.2f);"
                                + " bin-averaged densities.%n%n",
                        java.util.Arrays.toString(c.ks()),
                        c.samples(),
                        c.bins(),
                        100 * (1 - c.alpha()),
                        r.z()));
        for (String form : SumBound.FORMS) {
            sb.append("- ").append(form).append(": ").append(formLine(form)).append('\n');
        }
        sb.append(
                "\n| distribution | form | c_l [95% CI] (at k, x or u) | c_u [95% CI] (at k, x or u) |\n");
        sb.append("|---|---|---|---|\n");
        for (String d : dists(r)) {
            for (String form : SumBound.FORMS) {
                SumBound.Estimate e = r.overall(d, form);
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %.4f [%.4f, %.4f] (k=%d, %s=%+.3f) |"
                                        + " %.4f [%.4f, %.4f] (k=%d, %s=%+.3f) |%n",
                                d,
                                form,
                                e.cl(),
                                e.clLo(),
                                e.clHi(),
                                e.clK(),
                                at(form),
                                e.clAt(),
                                e.cu(),
                                e.cuLo(),
                                e.cuHi(),
                                e.cuK(),
                                at(form),
                                e.cuAt()));
            }
        }
        for (String form : SumBound.FORMS) {
            sb.append("\n")
                    .append(form.equals(SumBound.PAPER) ? "Paper" : "Standardised")
                    .append(" form per k: c_l / c_u\n\n| distribution |");
            for (int k : c.ks()) {
                sb.append(" k=").append(k).append(" |");
            }
            sb.append("\n|---|");
            for (int i = 0; i < c.ks().length; i++) {
                sb.append("---|");
            }
            sb.append('\n');
            for (String d : dists(r)) {
                sb.append("| ").append(d).append(" |");
                for (int k : c.ks()) {
                    SumBound.Estimate e = r.find(d, form, k);
                    sb.append(String.format(Locale.ROOT, " %.3f / %.3f |", e.cl(), e.cu()));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String at(String form) {
        return form.equals(SumBound.PAPER) ? "x" : "u";
    }

    private static Set<String> dists(SumBound.Result r) {
        Set<String> s = new LinkedHashSet<>();
        r.estimates().forEach(e -> s.add(e.dist()));
        return s;
    }

    /**
     * Writes the estimates CSV, the curves CSV and the figure.
     *
     * @param r the result
     * @param dir the output directory
     * @param name the file stem, e.g. {@code sumbound}
     * @return the written files
     */
    public static List<Path> write(SumBound.Result r, Path dir, String name) {
        Path csv = dir.resolve(name + ".csv");
        Path curves = dir.resolve(name + "-curves.csv");
        Path png = dir.resolve(name + ".png");
        AtomicFiles.writeString(csv, csv(r));
        AtomicFiles.writeString(curves, curvesCsv(r));
        png(r, png);
        return List.of(csv, curves, png);
    }

    /**
     * Draws one panel per distribution (the scaled density per k on standardised axes, u in [-3,
     * 3], with phi, and the two ranges marked: the paper's |x| &lt;= sqrt(k) at |u| = 1 / sigma and
     * the standardised |u| &lt;= 1), then c_l and c_u against k in the paper form and in the
     * standardised form (error bars: the larger side of each interval).
     *
     * @param r the result
     * @param file the PNG file
     */
    public static void png(SumBound.Result r, Path file) {
        List<XYChart> charts = new ArrayList<>();
        int[] ks = r.config().ks();
        for (String d : dists(r)) {
            double sigma = sigmaOf(r, d);
            XYChart ch =
                    new XYChartBuilder()
                            .width(520)
                            .height(380)
                            .title(String.format(Locale.ROOT, "%s, 1/sigma = %.3g", d, 1 / sigma))
                            .xAxisTitle("u = S_k / (sigma sqrt(k)); paper range |u| <= 1/sigma")
                            .yAxisTitle("y = sqrt(k) g_k; paper form = y / sigma")
                            .build();
            ch.getStyler().setChartTitleFont(ch.getStyler().getChartTitleFont().deriveFont(12f));
            ch.getStyler().setMarkerSize(0);
            ch.getStyler().setLegendFont(ch.getStyler().getLegendFont().deriveFont(10f));
            double top = 0;
            for (int k : ks) {
                List<SumBound.CurvePoint> pts =
                        r.curves().stream()
                                .filter(
                                        p ->
                                                p.dist().equals(d)
                                                        && p.form().equals(SumBound.STANDARDISED)
                                                        && p.k() == k)
                                .toList();
                XYSeries s =
                        ch.addSeries(
                                "k=" + k,
                                pts.stream().mapToDouble(SumBound.CurvePoint::at).toArray(),
                                pts.stream().mapToDouble(SumBound.CurvePoint::density).toArray());
                s.setMarker(SeriesMarkers.NONE);
                top =
                        Math.max(
                                top,
                                pts.stream()
                                        .mapToDouble(SumBound.CurvePoint::density)
                                        .max()
                                        .orElse(0));
            }
            double[] u = new double[121];
            double[] phi = new double[u.length];
            for (int i = 0; i < u.length; i++) {
                u[i] = -3 + i * 0.05;
                phi[i] = Stats.normalPdf(u[i]);
            }
            XYSeries s = ch.addSeries("phi (CLT)", u, phi);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(SeriesLines.DASH_DASH);
            s.setLineColor(java.awt.Color.BLACK);
            marks(ch, "standardised range |u| <= 1", 1, top, new java.awt.Color(120, 120, 120));
            if (1 / sigma <= SumBound.PLOT_RANGE) {
                marks(
                        ch,
                        "paper range |x| <= sqrt(k)",
                        1 / sigma,
                        top,
                        new java.awt.Color(200, 60, 40));
            }
            charts.add(ch);
        }
        charts.add(
                constants(
                        r,
                        SumBound.PAPER,
                        "paper form: c_l, c_u on |x| <= sqrt(k) (c_l = 0 not drawn)",
                        "min / max of sqrt(k) f_k"));
        charts.add(
                constants(
                        r,
                        SumBound.STANDARDISED,
                        "standardised form: c_l, c_u on |u| <= 1 (+-1 sd)",
                        "min / max of sqrt(k) g_k"));
        TheoryCharts.writeGrid(charts, 3, file);
    }

    /** The single-sample sd of a distribution, from its label. */
    private static double sigmaOf(SumBound.Result r, String label) {
        return r.config().dists().stream()
                .filter(x -> x.label().equals(label))
                .findFirst()
                .orElseThrow()
                .sigma();
    }

    /** Two vertical lines at +-at, one legend entry (a NaN breaks the line between them). */
    private static void marks(
            XYChart ch, String name, double at, double top, java.awt.Color color) {
        XYSeries s =
                ch.addSeries(
                        name,
                        new double[] {-at, -at, at, at, at},
                        new double[] {0, top, Double.NaN, top, 0});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.DOT_DOT);
        s.setLineColor(color);
    }

    /** c_l and c_u against k in one form; the paper form on a log axis, its zeros left out. */
    private static XYChart constants(SumBound.Result r, String form, String title, String yTitle) {
        int[] ks = r.config().ks();
        boolean log = form.equals(SumBound.PAPER);
        XYChart c =
                new XYChartBuilder()
                        .width(520)
                        .height(380)
                        .title(title)
                        .xAxisTitle("k")
                        .yAxisTitle(yTitle)
                        .build();
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(12f));
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(log);
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(9f));
        for (String d : dists(r)) {
            for (boolean upper : new boolean[] {true, false}) {
                List<double[]> pts = new ArrayList<>();
                for (int k : ks) {
                    SumBound.Estimate e = r.find(d, form, k);
                    double v = upper ? e.cu() : e.cl();
                    double err =
                            upper
                                    ? Math.max(e.cuHi() - e.cu(), e.cu() - e.cuLo())
                                    : Math.max(e.clHi() - e.cl(), e.cl() - e.clLo());
                    if (!log || v > 0) {
                        pts.add(new double[] {k, v, log ? Math.min(err, 0.9 * v) : err});
                    }
                }
                if (!pts.isEmpty()) {
                    c.addSeries(
                            (upper ? "c_u " : "c_l ")
                                    + d.replace("kaiming-", "k-").replace("(fan_in=", "("),
                            pts.stream().mapToDouble(p -> p[0]).toArray(),
                            pts.stream().mapToDouble(p -> p[1]).toArray(),
                            pts.stream().mapToDouble(p -> p[2]).toArray());
                }
            }
        }
        return c;
    }
}
