package org.sltk.eval;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.sltk.util.AtomicFiles;

/** Writes XChart charts as PNG files, atomically. */
public final class Charts {

    private Charts() {}

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
        BufferedImage both = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()),
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
