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

    /** The header of the estimates CSV. */
    public static final String CSV_HEADER =
            "dist,form,k,samples,c_l,c_l_lo,c_l_hi,c_l_at,c_l_k,c_u,c_u_lo,c_u_hi,c_u_at,c_u_k";

    /**
     * Returns the estimates as CSV: one row per distribution, form and k; k = 0 is the row over
     * all k (the sum-bounded constants).
     *
     * @param r the result
     * @return the CSV text
     */
    public static String csv(SumBound.Result r) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (SumBound.Estimate e : r.estimates()) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.6f,%.6f,%.6f,%.4f,%d,%.6f,%.6f,%.6f,%.4f,%d%n",
                    e.dist(), e.form(), e.k(), e.samples(), e.cl(), e.clLo(), e.clHi(), e.clAt(), e.clK(),
                    e.cu(), e.cuLo(), e.cuHi(), e.cuAt(), e.cuK()));
        }
        return sb.toString();
    }

    /**
     * Returns the standardised curves as CSV.
     *
     * @param r the result
     * @return the CSV text
     */
    public static String curvesCsv(SumBound.Result r) {
        StringBuilder sb = new StringBuilder("dist,k,u,scaled_density,lo,hi\n");
        for (SumBound.CurvePoint p : r.curves()) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.6f,%.6f,%.6f%n",
                    p.dist(), p.k(), p.u(), p.density(), p.lo(), p.hi()));
        }
        return sb.toString();
    }

    /**
     * Returns the markdown summary: the constants over all k in both forms, then c_l / c_u per k
     * in the standardised form.
     *
     * @param r the result
     * @return markdown text
     */
    public static String markdown(SumBound.Result r) {
        StringBuilder sb = new StringBuilder();
        SumBound.Config c = r.config();
        sb.append(String.format(Locale.ROOT,
                "Sum-bounded constants, k in %s, %,d sums per k, %d bins on [-1, 1], simultaneous %.0f%% Wilson"
                        + " intervals (z = %.2f); CLT limit of the standardised form: c_l = phi(1) = 0.2420,"
                        + " c_u = phi(0) = 0.3989%n%n",
                java.util.Arrays.toString(c.ks()), c.samples(), c.bins(), 100 * (1 - c.alpha()), r.z()));
        sb.append("| distribution | form | c_l [95% CI] (at k, x) | c_u [95% CI] (at k, x) |\n");
        sb.append("|---|---|---|---|\n");
        for (String d : dists(r)) {
            for (String form : new String[] {SumBound.STANDARDISED, SumBound.RAW}) {
                SumBound.Estimate e = r.overall(d, form);
                sb.append(String.format(Locale.ROOT, "| %s | %s | %.4f [%.4f, %.4f] (k=%d, %+.2f) | %.4f [%.4f, %.4f] (k=%d, %+.2f) |%n",
                        d, form, e.cl(), e.clLo(), e.clHi(), e.clK(), e.clAt(), e.cu(), e.cuLo(), e.cuHi(), e.cuK(),
                        e.cuAt()));
            }
        }
        sb.append("\nStandardised form per k: c_l / c_u\n\n| distribution |");
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
                SumBound.Estimate e = r.find(d, SumBound.STANDARDISED, k);
                sb.append(String.format(Locale.ROOT, " %.3f / %.3f |", e.cl(), e.cu()));
            }
            sb.append('\n');
        }
        return sb.toString();
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
     * Draws one panel per distribution (standardised scaled density per k on [-3, 3], with phi)
     * and a last panel with c_l and c_u against k (error bars: the larger side of each interval).
     *
     * @param r the result
     * @param file the PNG file
     */
    public static void png(SumBound.Result r, Path file) {
        List<XYChart> charts = new ArrayList<>();
        int[] ks = r.config().ks();
        for (String d : dists(r)) {
            XYChart ch = new XYChartBuilder().width(520).height(380).title(d + ": scaled density of the sum")
                    .xAxisTitle("u = S_k / (sigma sqrt(k))").yAxisTitle("sqrt(k) g_k").build();
            ch.getStyler().setMarkerSize(0);
            ch.getStyler().setLegendFont(ch.getStyler().getLegendFont().deriveFont(10f));
            for (int k : ks) {
                List<SumBound.CurvePoint> pts = r.curves().stream()
                        .filter(p -> p.dist().equals(d) && p.k() == k).toList();
                XYSeries s = ch.addSeries("k=" + k, pts.stream().mapToDouble(SumBound.CurvePoint::u).toArray(),
                        pts.stream().mapToDouble(SumBound.CurvePoint::density).toArray());
                s.setMarker(SeriesMarkers.NONE);
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
            charts.add(ch);
        }
        XYChart c = new XYChartBuilder().width(520).height(380).title("c_l, c_u on |u| <= 1 (standardised)")
                .xAxisTitle("k").yAxisTitle("min / max of sqrt(k) g_k").build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(9f));
        double[] x = java.util.Arrays.stream(ks).asDoubleStream().toArray();
        for (String d : dists(r)) {
            double[] lo = new double[ks.length];
            double[] loErr = new double[ks.length];
            double[] hi = new double[ks.length];
            double[] hiErr = new double[ks.length];
            for (int i = 0; i < ks.length; i++) {
                SumBound.Estimate e = r.find(d, SumBound.STANDARDISED, ks[i]);
                lo[i] = e.cl();
                loErr[i] = Math.max(e.clHi() - e.cl(), e.cl() - e.clLo());
                hi[i] = e.cu();
                hiErr[i] = Math.max(e.cuHi() - e.cu(), e.cu() - e.cuLo());
            }
            c.addSeries("c_u " + d, x, hi, hiErr);
            c.addSeries("c_l " + d, x, lo, loErr);
        }
        charts.add(c);
        TheoryCharts.writeGrid(charts, 3, file);
    }
}
