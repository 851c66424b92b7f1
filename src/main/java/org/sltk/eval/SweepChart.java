package org.sltk.eval;

import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The figure of a density sweep: accuracy of target and ticket, and logit error with its bound. */
public final class SweepChart {

    private SweepChart() {}

    /**
     * Draws the sweep and writes it as a PNG file.
     *
     * @param points the sweep, any order
     * @param title the figure title (model and data)
     * @param file the PNG file
     */
    public static void write(List<SweepPoint> points, String title, Path file) {
        double[] d = points.stream().mapToDouble(SweepPoint::density).toArray();
        XYChart acc =
                new XYChartBuilder()
                        .width(560)
                        .height(400)
                        .title("Accuracy: " + title)
                        .xAxisTitle("block density k/n")
                        .yAxisTitle("test accuracy / agreement")
                        .build();
        acc.getStyler().setYAxisDecimalPattern("0.000");
        XYSeries t =
                acc.addSeries(
                        "target",
                        d,
                        points.stream().mapToDouble(p -> p.report().targetAccuracy()).toArray());
        t.setMarker(SeriesMarkers.NONE);
        acc.addSeries(
                "ticket",
                d,
                points.stream().mapToDouble(p -> p.report().ticketAccuracy()).toArray());
        acc.addSeries(
                "agreement", d, points.stream().mapToDouble(p -> p.report().agreement()).toArray());
        XYChart err =
                new XYChartBuilder()
                        .width(560)
                        .height(400)
                        .title("Logit error: " + title)
                        .xAxisTitle("block density k/n")
                        .yAxisTitle("max |ticket - target|")
                        .build();
        err.getStyler().setYAxisLogarithmic(true);
        err.addSeries(
                "measured max",
                d,
                points.stream()
                        .mapToDouble(p -> Math.max(p.report().maxLogitError(), 1e-12))
                        .toArray());
        err.addSeries(
                "measured mean",
                d,
                points.stream()
                        .mapToDouble(p -> Math.max(p.report().meanLogitError(), 1e-12))
                        .toArray());
        err.addSeries(
                "guaranteed bound",
                d,
                points.stream().mapToDouble(p -> p.report().boundOnData()).toArray());
        Charts.writePng(acc, err, file);
    }
}
