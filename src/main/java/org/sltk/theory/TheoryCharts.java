package org.sltk.theory;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.sltk.util.AtomicFiles;

/** Writes a grid of XChart charts as one PNG file, atomically. */
public final class TheoryCharts {

    private TheoryCharts() {}

    /**
     * Draws charts row by row, {@code cols} per row, on a white background, and writes the PNG.
     *
     * @param charts the charts, all drawn at their own size
     * @param cols charts per row, at least 1
     * @param file the PNG file (temporary file, then rename)
     */
    public static void writeGrid(List<XYChart> charts, int cols, Path file) {
        int c = Math.max(1, Math.min(cols, charts.size()));
        int rows = (charts.size() + c - 1) / c;
        int w = 0;
        int h = 0;
        BufferedImage[] img = new BufferedImage[charts.size()];
        for (int i = 0; i < img.length; i++) {
            img[i] = BitmapEncoder.getBufferedImage(charts.get(i));
            w = Math.max(w, img[i].getWidth());
            h = Math.max(h, img[i].getHeight());
        }
        BufferedImage all = new BufferedImage(w * c, h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < img.length; i++) {
            g.drawImage(img[i], (i % c) * w, (i / c) * h, null);
        }
        g.dispose();
        AtomicFiles.write(file, out -> ImageIO.write(all, "png", out));
    }
}
