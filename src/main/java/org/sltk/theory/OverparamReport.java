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

    /** The header of the points CSV: one row per seed and (density, eps). */
    public static final String CSV_HEADER =
            "seed,density,eps,n99,k99,worst_layer_fraction,worst_lo,worst_hi,n_all,"
                    + "last_n_tried,overparam_n99,overparam_n_all,width_factor_n99,c_implied_n99,c_implied_n_all,n_sufficient_c1,"
                    + "n_sufficient_cfit,n_floor,overparam_sufficient_cfit,overparam_floor,overparam_lower_bound,n_below_n99,"
                    + "c_implied_below";

    /**
     * The header of the seeds CSV: one row per (density, eps) with the spread of C implied over the
     * seeds, then the row {@code all,all} with the spread of each seed's largest C; {@code
     * c_below_per_seed} is the lower end of each seed's grid bracket (C at the n below n99; in the
     * row {@code all,all} the largest lower end over the points).
     */
    public static final String SEEDS_CSV_HEADER =
            "density,eps,seeds,reached,n99_per_seed,c_implied_per_seed,"
                    + "c_below_per_seed,c_implied_mean,c_implied_sd,c_implied_min,c_implied_max";

    private static String num(double x) {
        return Double.isNaN(x)
                ? ""
                : new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", x))
                        .stripTrailingZeros()
                        .toPlainString();
    }

    private static String nStr(int n) {
        return n > 0 ? Integer.toString(n) : "";
    }

    private static String joined(double[] xs) {
        StringJoiner j = new StringJoiner(";");
        for (double x : xs) {
            j.add(num(x));
        }
        return j.toString();
    }

    /**
     * Returns one row per seed and (density, eps); {@code n_sufficient_cfit} and the columns after
     * it use that seed's own fitted C.
     *
     * @param rs one run per seed
     * @return CSV text
     */
    public static String csv(List<Overparam.Result> rs) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Overparam.Result r : rs) {
            for (Overparam.Point p : r.points()) {
                double nFit = Overparam.sufficientN(p.density(), p.eps(), r.cFit());
                sb.append(
                                String.join(
                                        ",",
                                        Long.toString(r.config().seed()),
                                        num(p.density()),
                                        num(p.eps()),
                                        nStr(p.n99()),
                                        nStr(p.k99()),
                                        num(p.worstFraction()),
                                        num(p.worstLo()),
                                        num(p.worstHi()),
                                        nStr(p.nAll()),
                                        nStr(p.lastN()),
                                        num(p.overparam99()),
                                        num(p.overparamAll()),
                                        joined(p.widthFactor99()),
                                        num(p.cImplied()),
                                        num(p.cImpliedAll()),
                                        num(p.nSufficientC1()),
                                        num(nFit),
                                        num(p.nFloor()),
                                        num(r.overparamAt(nFit)),
                                        num(r.overparamAt(p.nFloor())),
                                        num(
                                                Overparam.lowerBoundOverparam(
                                                        p.density(), p.eps(), r.targetParams())),
                                        nStr(p.nBelow99()),
                                        num(p.cImpliedBelow())))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Returns one row per seed and (density, n, eps, layer) tried.
     *
     * @param rs one run per seed
     * @return CSV text
     */
    public static String trialsCsv(List<Overparam.Result> rs) {
        StringBuilder sb =
                new StringBuilder(
                        "seed,density,eps,n,k,layer,sampled,layer_blocks,within,fraction,lo,hi,median_error,solve_seconds\n");
        for (Overparam.Result r : rs) {
            for (Overparam.Trial t : r.trials()) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%d,%s,%s,%d,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f,%.4g,%.3f%n",
                                r.config().seed(),
                                num(t.density()),
                                num(t.eps()),
                                t.n(),
                                t.k(),
                                t.layer() + 1,
                                t.sampled(),
                                t.blocks(),
                                t.within(),
                                t.fraction(),
                                t.lo(),
                                t.hi(),
                                t.medianError(),
                                t.seconds()));
            }
        }
        return sb.toString();
    }

    /**
     * Returns the spread of C implied over the seeds: one row per (density, eps), then the row
     * {@code all,all} whose per-seed values are each seed's largest C over its points.
     *
     * @param s the spread
     * @return CSV text
     */
    public static String seedsCsv(OverparamSeeds.Spread s) {
        StringBuilder sb = new StringBuilder(SEEDS_CSV_HEADER).append('\n');
        StringJoiner seeds = new StringJoiner(";");
        for (long x : s.seeds()) {
            seeds.add(Long.toString(x));
        }
        for (OverparamSeeds.PointSpread p : s.points()) {
            StringJoiner n = new StringJoiner(";");
            for (int x : p.n99()) {
                n.add(nStr(x));
            }
            sb.append(
                            String.join(
                                    ",",
                                    num(p.density()),
                                    num(p.eps()),
                                    seeds.toString(),
                                    Integer.toString(p.reached()),
                                    n.toString(),
                                    joined(p.c()),
                                    joined(p.cBelow()),
                                    num(p.cMean()),
                                    num(p.cSd()),
                                    num(p.cMin()),
                                    num(p.cMax())))
                    .append('\n');
        }
        long reached = java.util.Arrays.stream(s.cFit()).filter(x -> !Double.isNaN(x)).count();
        sb.append(
                        String.join(
                                ",",
                                "all",
                                "all",
                                seeds.toString(),
                                Long.toString(reached),
                                "",
                                joined(s.cFit()),
                                joined(s.cFitBelow()),
                                num(s.cFitMean()),
                                num(s.cFitSd()),
                                num(s.cFitMin()),
                                num(s.cFitMax())))
                .append('\n');
        return sb.toString();
    }

    /**
     * Returns the markdown summary: the setting, one table per seed, then the spread of C implied
     * over the seeds.
     *
     * @param rs one run per seed, all of one target and grid
     * @param spread their aggregation ({@link OverparamSeeds#of(List)})
     * @return markdown text
     */
    public static String markdown(List<Overparam.Result> rs, OverparamSeeds.Spread spread) {
        Overparam.Result r0 = rs.get(0);
        Overparam.Config c = r0.config();
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Target %s (%,d parameters, weight range R = %.4f); random network: %s weights, pool = %d n,"
                                + " %,d parameters per unit of pool (overparameterization = %.2f n); sampled blocks per layer %s"
                                + " of %s; success: fraction within eps >= %s in every layer (n99) / every sampled block (n_all);"
                                + " C implied = n99 H2(k/n) / log2(k/eps), C fitted = its max over the points of a seed;"
                                + " seeds %s%n%n",
                        r0.target(),
                        r0.targetParams(),
                        r0.range(),
                        c.distribution().id(),
                        c.poolFactor(),
                        r0.paramsPerPool(),
                        r0.overparamAt(1),
                        Arrays.toString(r0.sampled()),
                        Arrays.toString(r0.layerBlocks()),
                        num(c.quantile()),
                        Arrays.toString(spread.seeds())));
        for (Overparam.Result r : rs) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "Seed %d: C fitted = %s (%.1f s)%n%n",
                            r.config().seed(),
                            num(r.cFit()),
                            r.seconds()));
            table(r, sb);
            sb.append('\n');
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "C implied over %d seed(s); n moves on a grid, so a seed's C lies in"
                                + " (C at the n below n99, C at n99]%n%n",
                        spread.seeds().length));
        sb.append(
                "| k/n | eps | n99 per seed | C implied per seed | C at the n below, per seed | mean | sd | min | max |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (OverparamSeeds.PointSpread p : spread.points()) {
            StringJoiner n = new StringJoiner(", ");
            for (int x : p.n99()) {
                n.add(x > 0 ? Integer.toString(x) : "> max");
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                            num(p.density()),
                            num(p.eps()),
                            n,
                            fixed(p.c()),
                            fixed(p.cBelow()),
                            fixed2(p.cMean()),
                            fixed2(p.cSd()),
                            fixed2(p.cMin()),
                            fixed2(p.cMax())));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| max over points | | | %s | %s | %s | %s | %s | %s |%n",
                        fixed(spread.cFit()),
                        fixed(spread.cFitBelow()),
                        fixed2(spread.cFitMean()),
                        fixed2(spread.cFitSd()),
                        fixed2(spread.cFitMin()),
                        fixed2(spread.cFitMax())));
        int unreached = Arrays.stream(spread.unreached()).sum();
        if (unreached > 0) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%n%d point(s) over all seeds without n99 within --max-n: left out of"
                                    + " their seed's maximum, which is then a lower bound.%n",
                            unreached));
        }
        return sb.toString();
    }

    private static String fixed2(double x) {
        return Double.isNaN(x) ? "" : String.format(Locale.ROOT, "%.2f", x);
    }

    private static String fixed(double[] xs) {
        StringJoiner j = new StringJoiner(", ");
        for (double x : xs) {
            j.add(Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f", x));
        }
        return j.toString();
    }

    private static void table(Overparam.Result r, StringBuilder sb) {
        sb.append(
                "| k/n | eps | n99 | k | worst layer fraction [95% CI] | n_all | overparam at n99 | C implied |"
                        + " n suff. (C=1) | n suff. (C fit) | n floor | overparam lower bound (shape) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Overparam.Point p : r.points()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %.1f | %.1f |%n",
                            num(p.density()),
                            num(p.eps()),
                            p.n99() > 0 ? Integer.toString(p.n99()) : "> " + p.lastN(),
                            p.n99() > 0 ? Integer.toString(p.k99()) : "",
                            p.n99() > 0
                                    ? String.format(
                                            Locale.ROOT,
                                            "%.4f [%.4f, %.4f]",
                                            p.worstFraction(),
                                            p.worstLo(),
                                            p.worstHi())
                                    : "",
                            p.nAll() > 0 ? Integer.toString(p.nAll()) : "> " + p.lastN(),
                            p.n99() > 0 ? String.format(Locale.ROOT, "%.0f", p.overparam99()) : "",
                            p.n99() > 0 ? String.format(Locale.ROOT, "%.2f", p.cImplied()) : "",
                            p.nSufficientC1(),
                            Overparam.sufficientN(p.density(), p.eps(), r.cFit()),
                            p.nFloor(),
                            Overparam.lowerBoundOverparam(p.density(), p.eps(), r.targetParams())));
        }
    }

    /**
     * Writes the points CSV, the trials CSV, the seeds CSV and the figure.
     *
     * @param rs one run per seed
     * @param spread their aggregation
     * @param dir the output directory
     * @param name the file stem
     * @return the written files
     */
    public static List<Path> write(
            List<Overparam.Result> rs, OverparamSeeds.Spread spread, Path dir, String name) {
        Path csv = dir.resolve(name + ".csv");
        Path trials = dir.resolve(name + "-trials.csv");
        Path seeds = dir.resolve(name + "-seeds.csv");
        Path png = dir.resolve(name + ".png");
        AtomicFiles.writeString(csv, csv(rs));
        AtomicFiles.writeString(trials, trialsCsv(rs));
        AtomicFiles.writeString(seeds, seedsCsv(spread));
        png(rs, spread, png);
        return List.of(csv, trials, seeds, png);
    }

    /**
     * Draws one panel per eps: overparameterization against density (log axes) with the measured
     * n99 and n_all points of every seed, the sufficient bound (C = the largest fitted C over the
     * seeds, and C = 1), the information floor and the lower bound's shape; and a last panel with C
     * implied per point and seed.
     *
     * @param rs one run per seed
     * @param spread their aggregation
     * @param file the PNG file
     */
    public static void png(List<Overparam.Result> rs, OverparamSeeds.Spread spread, Path file) {
        Overparam.Result r = rs.get(0);
        List<XYChart> charts = new ArrayList<>();
        List<Double> ds = r.config().densities();
        double dMin =
                Math.min(
                        0.02,
                        ds.stream().mapToDouble(Double::doubleValue).min().orElse(0.02) / 1.5);
        int steps = 80;
        double[] g = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            g[i] = Math.exp(Math.log(dMin) + (Math.log(0.5) - Math.log(dMin)) * i / steps);
        }
        double cMax = spread.cFitMax();
        String seedsNote = rs.size() == 1 ? "seed " + r.config().seed() : rs.size() + " seeds";
        for (double eps : r.config().eps()) {
            XYChart ch =
                    new XYChartBuilder()
                            .width(640)
                            .height(460)
                            .title(
                                    String.format(
                                            Locale.ROOT,
                                            "%s, eps = %s, %s",
                                            r.target().split(" ")[0],
                                            num(eps),
                                            seedsNote))
                            .xAxisTitle("block density k/n")
                            .yAxisTitle("random / target parameters")
                            .build();
            ch.getStyler().setXAxisLogarithmic(true);
            ch.getStyler().setYAxisLogarithmic(true);
            ch.getStyler().setLegendFont(ch.getStyler().getLegendFont().deriveFont(10f));
            if (!Double.isNaN(cMax)) {
                line(
                        ch,
                        String.format(
                                Locale.ROOT,
                                rs.size() == 1
                                        ? "sufficient, C fit = %.2f"
                                        : "sufficient, C = max over seeds = %.2f",
                                cMax),
                        g,
                        x -> r.overparamAt(Overparam.sufficientN(x, eps, cMax)),
                        new Color(200, 60, 40),
                        false);
            }
            line(
                    ch,
                    "sufficient, C = 1",
                    g,
                    x -> r.overparamAt(Overparam.sufficientN(x, eps, 1)),
                    new Color(200, 60, 40),
                    true);
            line(
                    ch,
                    "information floor",
                    g,
                    x -> r.overparamAt(Overparam.floorN(x, eps, r.range())),
                    new Color(60, 60, 60),
                    true);
            line(
                    ch,
                    "lower bound shape",
                    g,
                    x -> Overparam.lowerBoundOverparam(x, eps, r.targetParams()),
                    new Color(40, 90, 200),
                    false);
            List<Overparam.Point> pts =
                    rs.stream()
                            .flatMap(x -> x.points().stream())
                            .filter(p -> p.eps() == eps)
                            .toList();
            scatter(
                    ch,
                    "measured n99",
                    pts.stream().filter(p -> p.n99() > 0).toList(),
                    true,
                    new Color(0, 150, 0));
            scatter(
                    ch,
                    "measured n_all",
                    pts.stream().filter(p -> p.nAll() > 0).toList(),
                    false,
                    new Color(150, 0, 150));
            charts.add(ch);
        }
        charts.add(cPanel(r, spread, g, seedsNote));
        TheoryCharts.writeGrid(charts, 2, file);
    }

    /**
     * C implied against density, one scatter series per eps (every seed), with the seeds' largest
     * and mean fit.
     */
    private static XYChart cPanel(
            Overparam.Result r, OverparamSeeds.Spread spread, double[] g, String seedsNote) {
        XYChart ch =
                new XYChartBuilder()
                        .width(640)
                        .height(460)
                        .title("C implied = n99 H2(k/n) / log2(k/eps), " + seedsNote)
                        .xAxisTitle("block density k/n")
                        .yAxisTitle("C implied")
                        .build();
        ch.getStyler().setXAxisLogarithmic(true);
        ch.getStyler().setLegendFont(ch.getStyler().getLegendFont().deriveFont(10f));
        Color[] colors = {
            new Color(0, 150, 0),
            new Color(40, 90, 200),
            new Color(150, 0, 150),
            new Color(200, 120, 0)
        };
        int e = 0;
        for (double eps : r.config().eps()) {
            List<double[]> xy = new ArrayList<>();
            for (OverparamSeeds.PointSpread p : spread.points()) {
                if (p.eps() == eps) {
                    for (double c : p.c()) {
                        if (!Double.isNaN(c)) {
                            xy.add(new double[] {p.density(), c});
                        }
                    }
                }
            }
            if (!xy.isEmpty()) {
                XYSeries s =
                        ch.addSeries(
                                "eps = " + num(eps),
                                xy.stream().mapToDouble(v -> v[0]).toArray(),
                                xy.stream().mapToDouble(v -> v[1]).toArray());
                s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
                s.setMarker(e % 2 == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                s.setMarkerColor(colors[e % colors.length]);
            }
            e++;
        }
        if (!Double.isNaN(spread.cFitMax())) {
            line(
                    ch,
                    String.format(
                            Locale.ROOT, "largest C, max over seeds = %.2f", spread.cFitMax()),
                    new double[] {g[0], g[g.length - 1]},
                    x -> spread.cFitMax(),
                    new Color(200, 60, 40),
                    false);
            line(
                    ch,
                    String.format(
                            Locale.ROOT, "largest C, mean over seeds = %.2f", spread.cFitMean()),
                    new double[] {g[0], g[g.length - 1]},
                    x -> spread.cFitMean(),
                    new Color(200, 60, 40),
                    true);
        }
        return ch;
    }

    private static void line(
            XYChart ch,
            String name,
            double[] x,
            java.util.function.DoubleUnaryOperator f,
            Color color,
            boolean dashed) {
        double[] y = Arrays.stream(x).map(f).toArray();
        XYSeries s = ch.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(
                dashed
                        ? new BasicStroke(
                                1.5f,
                                BasicStroke.CAP_BUTT,
                                BasicStroke.JOIN_MITER,
                                10f,
                                new float[] {6f, 4f},
                                0f)
                        : new BasicStroke(2f));
    }

    private static void scatter(
            XYChart ch, String name, List<Overparam.Point> pts, boolean n99, Color color) {
        if (pts.isEmpty()) {
            return;
        }
        double[] x = pts.stream().mapToDouble(Overparam.Point::density).toArray();
        double[] y =
                pts.stream().mapToDouble(p -> n99 ? p.overparam99() : p.overparamAll()).toArray();
        XYSeries s = ch.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        s.setMarker(n99 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
        s.setMarkerColor(color);
    }
}
