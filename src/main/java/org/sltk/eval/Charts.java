package org.sltk.eval;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sltk.util.AtomicFiles;

/** The charts of evaluations, and PNG files of XChart charts written atomically. */
public final class Charts {

    private Charts() {}

    /**
     * Draws each layer's measured largest activation error and relative L2 error next to its
     * guaranteed bound, on a logarithmic scale.
     *
     * @param report the evaluation
     * @param title the chart's title
     * @return the image
     */
    public static BufferedImage layerErrors(EvalReport report, String title) {
        XYChart chart =
                new XYChartBuilder()
                        .width(640)
                        .height(400)
                        .title(title)
                        .xAxisTitle("layer")
                        .yAxisTitle("activation error")
                        .build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisDecimalPattern("0");
        double[] layer = report.layers().stream().mapToDouble(l -> l.layer() + 1).toArray();
        chart.addSeries(
                        "guaranteed bound",
                        layer,
                        report.layers().stream()
                                .mapToDouble(EvalReport.LayerError::bound)
                                .toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        chart.addSeries(
                        "measured max error",
                        layer,
                        report.layers().stream()
                                .mapToDouble(EvalReport.LayerError::maxError)
                                .toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries(
                        "measured relative L2",
                        layer,
                        report.layers().stream()
                                .mapToDouble(EvalReport.LayerError::relativeL2)
                                .toArray())
                .setMarker(SeriesMarkers.SQUARE);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Writes a chart as a PNG file (temporary file, then rename).
     *
     * @param chart the chart
     * @param file the PNG file
     */
    public static void writePng(XYChart chart, Path file) {
        BufferedImage img = BitmapEncoder.getBufferedImage(chart);
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    /**
     * Writes two charts side by side as one PNG file.
     *
     * @param left the left chart
     * @param right the right chart
     * @param file the PNG file
     */
    public static void writePng(XYChart left, XYChart right, Path file) {
        BufferedImage a = BitmapEncoder.getBufferedImage(left);
        BufferedImage b = BitmapEncoder.getBufferedImage(right);
        BufferedImage both =
                new BufferedImage(
                        a.getWidth() + b.getWidth(),
                        Math.max(a.getHeight(), b.getHeight()),
                        BufferedImage.TYPE_INT_RGB);
        var g = both.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        AtomicFiles.write(file, out -> ImageIO.write(both, "png", out));
    }
}
