package org.sltk.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figure of {@code sltk compare}: test accuracy of tickets found in different ways against
 * their overall density and against the wall-clock time to find them, with the dense target's
 * accuracy as a line.
 */
public final class CompareChart {

    private CompareChart() {}

    /**
     * One ticket of the comparison.
     *
     * @param method the series it belongs to, e.g. {@code constructed} or {@code popup plain}
     * @param density its overall density: kept over all parameters of its random network
     * @param accuracy its test accuracy
     * @param seconds the wall time to find it
     */
    public record Point(String method, double density, double accuracy, double seconds) {}

    /**
     * Draws the comparison and writes it as a PNG file (two panels side by side).
     *
     * @param points the tickets, any order
     * @param targetAccuracy the dense target's test accuracy, or NaN for no line
     * @param title the figure title
     * @param file the PNG file
     */
    public static void write(List<Point> points, double targetAccuracy, String title, Path file) {
        XYChart byDensity = chart(title, "overall density (log)");
        XYChart byTime = chart(title, "wall-clock seconds to the ticket (log)");
        Map<String, List<Point>> series = new LinkedHashMap<>();
        for (Point p : points) {
            series.computeIfAbsent(p.method(), k -> new ArrayList<>()).add(p);
        }
        double dMin = Double.POSITIVE_INFINITY;
        double dMax = 0;
        double tMin = Double.POSITIVE_INFINITY;
        double tMax = 0;
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            List<Point> ps = new ArrayList<>(e.getValue());
            ps.sort((a, b) -> Double.compare(a.density(), b.density()));
            double[] d = ps.stream().mapToDouble(Point::density).toArray();
            double[] a = ps.stream().mapToDouble(Point::accuracy).toArray();
            byDensity.addSeries(e.getKey(), d, a);
            ps.sort((x, y) -> Double.compare(x.seconds(), y.seconds()));
            byTime.addSeries(
                            e.getKey(),
                            ps.stream().mapToDouble(Point::seconds).toArray(),
                            ps.stream().mapToDouble(Point::accuracy).toArray())
                    .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            for (Point p : ps) {
                dMin = Math.min(dMin, p.density());
                dMax = Math.max(dMax, p.density());
                tMin = Math.min(tMin, p.seconds());
                tMax = Math.max(tMax, p.seconds());
            }
        }
        if (!Double.isNaN(targetAccuracy) && dMax > 0) {
            line(byDensity, dMin, dMax, targetAccuracy);
            line(byTime, tMin, tMax, targetAccuracy);
        }
        Charts.writePng(byDensity, byTime, file);
    }

    private static XYChart chart(String title, String x) {
        XYChart c =
                new XYChartBuilder()
                        .width(600)
                        .height(420)
                        .title(title)
                        .xAxisTitle(x)
                        .yAxisTitle("test accuracy")
                        .build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisDecimalPattern("0.00");
        return c;
    }

    private static void line(XYChart c, double lo, double hi, double y) {
        XYSeries s = c.addSeries("dense target", new double[] {lo, hi}, new double[] {y, y});
        s.setMarker(SeriesMarkers.NONE);
    }
}
