package org.sltk.theory;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sltk.util.AtomicFiles;

/** The tables (CSV, markdown) and the figure of an {@link Overparam} run. */
public final class OverparamReport {

    private OverparamReport() {}

    /** The header of the points CSV. */
    public static final String CSV_HEADER = "density,eps,n99,k99,worst_layer_fraction,worst_lo,worst_hi,n_all,last_n_tried,"
            + "overparam_n99,overparam_n_all,width_factor_n99,c_implied_n99,c_implied_n_all,n_sufficient_c1,"
            + "n_sufficient_cfit,n_floor,overparam_sufficient_cfit,overparam_floor,overparam_lower_bound";

    private static String num(double x) {
        return Double.isNaN(x) ? ""
                : new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", x)).stripTrailingZeros().toPlainString();
    }

    private static String nStr(int n) {
        return n > 0 ? Integer.toString(n) : "";
    }

    /**
     * Returns one row per (density, eps).
     *
     * @param r the result
     * @return CSV text
     */
    public static String csv(Overparam.Result r) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Overparam.Point p : r.points()) {
            StringJoiner wf = new StringJoiner(";");
            for (double w : p.widthFactor99()) {
                wf.add(num(w));
            }
            double nFit = Overparam.sufficientN(p.density(), p.eps(), r.cFit());
            sb.append(String.join(",", num(p.density()), num(p.eps()), nStr(p.n99()), nStr(p.k99()),
                    num(p.worstFraction()), num(p.worstLo()), num(p.worstHi()), nStr(p.nAll()), nStr(p.lastN()),
                    num(p.overparam99()), num(p.overparamAll()), wf.toString(), num(p.cImplied()),
                    num(p.cImpliedAll()), num(p.nSufficientC1()), num(nFit), num(p.nFloor()),
                    num(r.overparamAt(nFit)), num(r.overparamAt(p.nFloor())),
                    num(Overparam.lowerBoundOverparam(p.density(), p.eps(), r.targetParams()))))
                    .append('\n');
        }
        return sb.toString();
    }

    /**
     * Returns one row per (density, n, eps, layer) tried.
     *
     * @param r the result
     * @return CSV text
     */
    public static String trialsCsv(Overparam.Result r) {
        StringBuilder sb = new StringBuilder(
                "density,eps,n,k,layer,sampled,layer_blocks,within,fraction,lo,hi,median_error,solve_seconds\n");
        for (Overparam.Trial t : r.trials()) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f,%.4g,%.3f%n",
                    num(t.density()), num(t.eps()), t.n(), t.k(), t.layer() + 1, t.sampled(), t.blocks(), t.within(),
                    t.fraction(), t.lo(), t.hi(), t.medianError(), t.seconds()));
        }
        return sb.toString();
    }

    /**
     * Returns the markdown table.
     *
     * @param r the result
     * @return markdown text
     */
    public static String markdown(Overparam.Result r) {
        Overparam.Config c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "Target %s (%,d parameters, weight range R = %.4f); random network: %s weights, pool = %d n,"
                        + " %,d parameters per unit of pool (overparameterization = %.2f n); sampled blocks per layer %s"
                        + " of %s; success: fraction within eps >= %s in every layer (n99) / every sampled block (n_all);"
                        + " C fitted = max of n99 H2(k/n) / log2(k/eps) = %s%n%n",
                r.target(), r.targetParams(), r.range(), c.distribution().id(), c.poolFactor(), r.paramsPerPool(),
                r.overparamAt(1), Arrays.toString(r.sampled()), Arrays.toString(r.layerBlocks()), num(c.quantile()),
                num(r.cFit())));
        sb.append("| k/n | eps | n99 | k | worst layer fraction [95% CI] | n_all | overparam at n99 | C implied |"
                + " n suff. (C=1) | n suff. (C fit) | n floor | overparam lower bound (shape) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Overparam.Point p : r.points()) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %.1f | %.1f |%n",
                    num(p.density()), num(p.eps()),
                    p.n99() > 0 ? Integer.toString(p.n99()) : "> " + p.lastN(),
                    p.n99() > 0 ? Integer.toString(p.k99()) : "",
                    p.n99() > 0 ? String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", p.worstFraction(), p.worstLo(), p.worstHi()) : "",
                    p.nAll() > 0 ? Integer.toString(p.nAll()) : "> " + p.lastN(),
                    p.n99() > 0 ? String.format(Locale.ROOT, "%.0f", p.overparam99()) : "",
                    p.n99() > 0 ? String.format(Locale.ROOT, "%.2f", p.cImplied()) : "",
                    p.nSufficientC1(), Overparam.sufficientN(p.density(), p.eps(), r.cFit()), p.nFloor(),
                    Overparam.lowerBoundOverparam(p.density(), p.eps(), r.targetParams())));
        }
        return sb.toString();
    }

    /**
     * Writes the points CSV, the trials CSV and the figure.
     *
     * @param r the result
     * @param dir the output directory
     * @param name the file stem
     * @return the written files
     */
    public static List<Path> write(Overparam.Result r, Path dir, String name) {
        Path csv = dir.resolve(name + ".csv");
        Path trials = dir.resolve(name + "-trials.csv");
        Path png = dir.resolve(name + ".png");
        AtomicFiles.writeString(csv, csv(r));
        AtomicFiles.writeString(trials, trialsCsv(r));
        png(r, png);
        return List.of(csv, trials, png);
    }

    /**
     * Draws one panel per eps: overparameterization against density (log axes) with the
     * measured n99 and n_all points, the sufficient bound (fitted C and C = 1), the information
     * floor and the lower bound's shape.
     *
     * @param r the result
     * @param file the PNG file
     */
    public static void png(Overparam.Result r, Path file) {
        List<XYChart> charts = new ArrayList<>();
        List<Double> ds = r.config().densities();
        double dMin = Math.min(0.02, ds.stream().mapToDouble(Double::doubleValue).min().orElse(0.02) / 1.5);
        int steps = 80;
        double[] g = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            g[i] = Math.exp(Math.log(dMin) + (Math.log(0.5) - Math.log(dMin)) * i / steps);
        }
        for (double eps : r.config().eps()) {
            XYChart ch = new XYChartBuilder().width(640).height(460)
                    .title(String.format(Locale.ROOT, "%s, eps = %s", r.target().split(" ")[0], num(eps)))
                    .xAxisTitle("block density k/n").yAxisTitle("random / target parameters").build();
            ch.getStyler().setXAxisLogarithmic(true);
            ch.getStyler().setYAxisLogarithmic(true);
            ch.getStyler().setLegendFont(ch.getStyler().getLegendFont().deriveFont(10f));
            line(ch, String.format(Locale.ROOT, "sufficient, C fit = %.2f", r.cFit()), g,
                    x -> r.overparamAt(Overparam.sufficientN(x, eps, r.cFit())), new Color(200, 60, 40), false);
            line(ch, "sufficient, C = 1", g, x -> r.overparamAt(Overparam.sufficientN(x, eps, 1)),
                    new Color(200, 60, 40), true);
            line(ch, "information floor", g,
                    x -> r.overparamAt(Overparam.floorN(x, eps, r.range())), new Color(60, 60, 60), true);
            line(ch, "lower bound shape", g, x -> Overparam.lowerBoundOverparam(x, eps, r.targetParams()),
                    new Color(40, 90, 200), false);
            List<Overparam.Point> pts = r.points().stream().filter(p -> p.eps() == eps).toList();
            scatter(ch, "measured n99", pts.stream().filter(p -> p.n99() > 0).toList(), true, new Color(0, 150, 0));
            scatter(ch, "measured n_all", pts.stream().filter(p -> p.nAll() > 0).toList(), false, new Color(150, 0, 150));
            charts.add(ch);
        }
        TheoryCharts.writeGrid(charts, 2, file);
    }

    private static void line(XYChart ch, String name, double[] x, java.util.function.DoubleUnaryOperator f, Color color,
            boolean dashed) {
        double[] y = Arrays.stream(x).map(f).toArray();
        XYSeries s = ch.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(dashed ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
    }

    private static void scatter(XYChart ch, String name, List<Overparam.Point> pts, boolean n99, Color color) {
        if (pts.isEmpty()) {
            return;
        }
        double[] x = pts.stream().mapToDouble(Overparam.Point::density).toArray();
        double[] y = pts.stream().mapToDouble(p -> n99 ? p.overparam99() : p.overparamAll()).toArray();
        XYSeries s = ch.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        s.setMarker(n99 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
        s.setMarkerColor(color);
    }
}
