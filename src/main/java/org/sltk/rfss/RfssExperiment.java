package org.sltk.rfss;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sltk.rfss.RfssInstances.Distribution;
import org.sltk.util.AtomicFiles;

/**
 * Measures how often random RFSS instances can be solved to a given eps, over a grid of block sizes
 * n, densities k / n and eps, next to the information floor R / (2 C(n, k)).
 *
 * <p>Per (n, density) the same seeded instances ({@link RfssInstances}, stream n * 100 + k) are
 * solved once with {@code eps = 0}; per eps the success probability is the fraction of instances
 * whose error is at most eps. Grid points with k = round(density * n) &lt; 1 are skipped.
 */
public final class RfssExperiment {

    /** The length of the target interval [-1, 1]. */
    public static final double RANGE = 2;

    /**
     * One grid point's result.
     *
     * @param n candidates per instance
     * @param k subset size
     * @param density the requested density (k = round(density * n))
     * @param eps the accuracy
     * @param instances the number of instances
     * @param success the fraction of instances with error at most eps
     * @param meanError the mean optimal (or heuristic) error
     * @param medianError the median error
     * @param floor the information floor R / (2 C(n, k)) with R = 2
     */
    public record Row(
            int n,
            int k,
            double density,
            double eps,
            int instances,
            double success,
            double meanError,
            double medianError,
            double floor) {}

    private final int[] ns;
    private final double[] densities;
    private final double[] epss;
    private final int instances;
    private final Distribution dist;
    private final RfssSolver solver;
    private final long seed;

    /**
     * Creates an experiment.
     *
     * @param ns the block sizes, each in [1, 64]
     * @param densities the densities, each in (0, 1]
     * @param epss the accuracies, each &gt; 0
     * @param instances instances per (n, density), at least 1
     * @param dist the candidate distribution
     * @param solver the solver
     * @param seed the seed
     */
    public RfssExperiment(
            int[] ns,
            double[] densities,
            double[] epss,
            int instances,
            Distribution dist,
            RfssSolver solver,
            long seed) {
        for (int n : ns) {
            if (n < 1 || n > RfssBatch.MAX_N) {
                throw new IllegalArgumentException("n must be in [1, 64], found " + n);
            }
        }
        for (double d : densities) {
            if (!(d > 0 && d <= 1)) {
                throw new IllegalArgumentException("density must be in (0, 1], found " + d);
            }
        }
        for (double e : epss) {
            if (!(e > 0)) {
                throw new IllegalArgumentException("eps must be > 0, found " + e);
            }
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1, found " + instances);
        }
        this.ns = ns.clone();
        this.densities = densities.clone();
        this.epss = epss.clone();
        this.instances = instances;
        this.dist = dist;
        this.solver = solver;
        this.seed = seed;
    }

    /**
     * Runs the grid.
     *
     * @return one row per (n, density, eps) with k &gt;= 1, in the order density, n, eps
     */
    public List<Row> run() {
        List<Row> rows = new ArrayList<>();
        for (double density : densities) {
            for (int n : ns) {
                int k = RfssTheory.kFor(density, n);
                if (k < 1 || k > n) {
                    continue;
                }
                RfssBatch batch = RfssInstances.random(seed, n * 100L + k, instances, n, k, dist);
                double[] err = solver.solve(batch).errors();
                double mean = Arrays.stream(err).sum() / err.length;
                double[] sorted = err.clone();
                Arrays.sort(sorted);
                int m = sorted.length;
                double median =
                        m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
                double floor = RfssTheory.informationFloor(n, k, RANGE);
                for (double eps : epss) {
                    int ok = 0;
                    for (double e : err) {
                        ok += e <= eps ? 1 : 0;
                    }
                    rows.add(
                            new Row(
                                    n,
                                    k,
                                    density,
                                    eps,
                                    instances,
                                    (double) ok / instances,
                                    mean,
                                    median,
                                    floor));
                }
            }
        }
        return rows;
    }

    /**
     * Returns the rows as CSV with a header line.
     *
     * @param rows the rows
     * @param solverName the solver's name, written on every line
     * @param dist the distribution
     * @param seed the seed
     * @return the CSV text
     */
    public static String csv(List<Row> rows, String solverName, Distribution dist, long seed) {
        StringBuilder sb =
                new StringBuilder(
                        "n,k,density,eps,instances,success,mean_error,median_error,floor,solver,dist,seed\n");
        for (Row r : rows) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%d,%d,%s,%s,%d,%.6f,%.6e,%.6e,%.6e,%s,%s,%d%n",
                            r.n(),
                            r.k(),
                            num(r.density()),
                            num(r.eps()),
                            r.instances(),
                            r.success(),
                            r.meanError(),
                            r.medianError(),
                            r.floor(),
                            solverName,
                            dist,
                            seed));
        }
        return sb.toString();
    }

    /**
     * Writes {@code rfss.csv} and {@code rfss.png} into a directory, each atomically.
     *
     * @param rows the rows
     * @param dir the directory, created if missing
     * @param solverName the solver's name
     * @param dist the distribution
     * @param seed the seed
     */
    public static void write(
            List<Row> rows, Path dir, String solverName, Distribution dist, long seed) {
        AtomicFiles.writeString(dir.resolve("rfss.csv"), csv(rows, solverName, dist, seed));
        BufferedImage img = chart(rows, solverName + ", " + dist + ", seed " + seed);
        AtomicFiles.write(dir.resolve("rfss.png"), out -> ImageIO.write(img, "png", out));
    }

    /**
     * Draws the two panels: success probability against n per (density, eps), and median error
     * against n per density with the information floor, on logarithmic y.
     *
     * @param rows the rows
     * @param title a subtitle (solver, distribution, seed)
     * @return the image
     */
    public static BufferedImage chart(List<Row> rows, String title) {
        int w = 800;
        int h = 560;
        XYChart success =
                new XYChartBuilder()
                        .width(w)
                        .height(h)
                        .title("RFSS success probability (" + title + ")")
                        .xAxisTitle("n (candidates per block)")
                        .yAxisTitle("P(optimal error <= eps)")
                        .build();
        success.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setLegendVisible(true);
        XYChart error =
                new XYChartBuilder()
                        .width(w)
                        .height(h)
                        .title("Median optimal error vs information floor")
                        .xAxisTitle("n (candidates per block)")
                        .yAxisTitle("error")
                        .build();
        error.getStyler().setYAxisLogarithmic(true).setLegendVisible(true);
        Map<String, List<Row>> bySeries = new LinkedHashMap<>();
        Map<Double, List<Row>> byDensity = new LinkedHashMap<>();
        for (Row r : rows) {
            bySeries.computeIfAbsent(
                            "γ=" + num(r.density()) + ", ε=" + num(r.eps()), x -> new ArrayList<>())
                    .add(r);
            if (r.eps()
                    == rows.get(0).eps()) { // errors do not depend on eps: one row per (n, density)
                byDensity.computeIfAbsent(r.density(), x -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<Row>> e : bySeries.entrySet()) {
            List<Row> s = e.getValue();
            success.addSeries(
                    e.getKey(),
                    s.stream().mapToDouble(Row::n).toArray(),
                    s.stream().mapToDouble(Row::success).toArray());
        }
        for (Map.Entry<Double, List<Row>> e : byDensity.entrySet()) {
            List<Row> s = e.getValue().stream().filter(r -> r.medianError() > 0).toList();
            if (s.isEmpty()) {
                continue;
            }
            error.addSeries(
                    "median, γ=" + num(e.getKey()),
                    s.stream().mapToDouble(Row::n).toArray(),
                    s.stream().mapToDouble(Row::medianError).toArray());
            XYSeries f =
                    error.addSeries(
                            "floor R/(2C), γ=" + num(e.getKey()),
                            s.stream().mapToDouble(Row::n).toArray(),
                            s.stream().mapToDouble(Row::floor).toArray());
            f.setMarker(SeriesMarkers.NONE);
            f.setLineStyle(
                    new BasicStroke(
                            1.5f,
                            BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER,
                            10f,
                            new float[] {6f, 4f},
                            0f));
        }
        if (rows.isEmpty()) {
            success.addSeries("no data", new double[] {0}, new double[] {0});
            error.addSeries("no data", new double[] {0}, new double[] {1});
        }
        BufferedImage img = new BufferedImage(2 * w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        success.paint(g, w, h);
        g.translate(w, 0);
        error.paint(g, w, h);
        g.dispose();
        return img;
    }

    private static String num(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
