package org.sltk.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.TestRequirements;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

/**
 * Tests loading IDX directories: the committed MNIST split, the installed Fashion-MNIST and bad
 * directories.
 */
class IdxDirectoryTest {

    /** The SHA-256 of the committed files, as listed in datasets/README.md. */
    static final Map<String, String> MNIST_SHA256 =
            Map.of(
                    "train-images-idx3-ubyte.gz",
                            "c55b1af75ad8d417f3290a935edebebc170c3e4216423eeb387a04acf622e0c4",
                    "train-labels-idx1-ubyte.gz",
                            "dd06ba9cffe417f2ee17ad4040719fb477dbfc693445beead73406a601a52c6e",
                    "t10k-images-idx3-ubyte.gz",
                            "5d936299a0d1d824bd5483df8fd904e1b0ca84a1dcfd95359971ca380a50a81b",
                    "t10k-labels-idx1-ubyte.gz",
                            "b46fb00f466332adb8ca41dae98eb2fd3d63cb2554563119370008bd11e0e691");

    static DataSplit mnist;

    @TempDir Path tmp;

    @BeforeAll
    static void loadMnist() {
        // Maven runs the tests in the repository root
        mnist = IdxDirectory.load(Path.of("datasets/mnist"), "mnist");
    }

    @Test
    void committedMnistHasTheDocumentedShape() {
        assertEquals("mnist/train", mnist.train().name());
        assertEquals("mnist/test", mnist.test().name());
        assertEquals(8000, mnist.train().size());
        assertEquals(2000, mnist.test().size());
        for (ImageSet s : new ImageSet[] {mnist.train(), mnist.test()}) {
            assertEquals(28, s.rows());
            assertEquals(28, s.cols());
            assertEquals(784, s.features());
            assertEquals(10, s.numClasses());
            assertEquals(s.size() * 784, s.pixels().length);
        }
    }

    @Test
    void pixelsAreScaledToTheUnitInterval() {
        for (ImageSet s : new ImageSet[] {mnist.train(), mnist.test()}) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            long ones = 0;
            for (float p : s.pixels()) {
                min = Math.min(min, p);
                max = Math.max(max, p);
                ones += p == 1f ? 1 : 0;
                // every value is a grey level k/255
                float k = p * 255f;
                assertEquals(Math.round(k), k, 1e-3f);
            }
            assertEquals(0f, min, s.name());
            assertEquals(1f, max, s.name());
            assertTrue(
                    ones > 1000,
                    s.name() + ": full-intensity pixels are common in MNIST, found " + ones);
        }
    }

    @Test
    void everyClassIsInBothSplitsInTheSameProportion() {
        int[] train = counts(mnist.train());
        int[] test = counts(mnist.test());
        for (int c = 0; c < 10; c++) {
            assertTrue(
                    train[c] > 600 && test[c] > 150,
                    "class " + c + ": " + train[c] + "/" + test[c]);
            double share = test[c] / (double) (train[c] + test[c]);
            assertEquals(0.2, share, 0.001, "class " + c + " test share");
        }
        // the exact split of MnistNpmImporter (seed 20240607)
        assertArrayEquals(new int[] {801, 902, 793, 826, 784, 690, 811, 856, 755, 782}, train);
        assertArrayEquals(new int[] {200, 225, 198, 206, 196, 173, 203, 214, 189, 196}, test);
    }

    @Test
    void classesAreInterleavedInFileOrder() {
        // a sequential reader without shuffling must still see every class early
        int[] first = counts(mnist.train().subset(0, 200));
        for (int c = 0; c < 10; c++) {
            assertTrue(first[c] > 0, "class " + c + " absent from the first 200 training images");
        }
    }

    @Test
    void sourcesAreTheFilesSha256() {
        assertEquals(
                Map.of(
                        "train-images-idx3-ubyte.gz",
                                MNIST_SHA256.get("train-images-idx3-ubyte.gz"),
                        "train-labels-idx1-ubyte.gz",
                                MNIST_SHA256.get("train-labels-idx1-ubyte.gz")),
                mnist.train().sources());
        assertEquals(
                Map.of(
                        "t10k-images-idx3-ubyte.gz", MNIST_SHA256.get("t10k-images-idx3-ubyte.gz"),
                        "t10k-labels-idx1-ubyte.gz", MNIST_SHA256.get("t10k-labels-idx1-ubyte.gz")),
                mnist.test().sources());
        for (Map.Entry<String, String> e : MNIST_SHA256.entrySet()) {
            assertEquals(
                    e.getValue(),
                    IdxFile.sha256(Path.of("datasets/mnist", e.getKey())),
                    e.getKey());
        }
    }

    @Test
    void readmeListsTheCommittedChecksums() throws Exception {
        String readme = Files.readString(Path.of("datasets/README.md"));
        for (Map.Entry<String, String> e : MNIST_SHA256.entrySet()) {
            assertTrue(
                    readme.contains(e.getValue() + "  " + e.getKey()),
                    "datasets/README.md must list " + e.getKey());
        }
    }

    @Test
    void installedFashionMnistLoads() {
        Path dir = Path.of("datasets/fashion-mnist");
        TestRequirements.require(
                Files.isDirectory(dir),
                "Fashion-MNIST is not installed (scripts/install-data.sh fashion-mnist)");
        DataSplit fashion = IdxDirectory.load(dir, "fashion-mnist");
        assertEquals(60000, fashion.train().size());
        assertEquals(10000, fashion.test().size());
        assertEquals(10, fashion.train().numClasses());
        int[] test = counts(fashion.test());
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, test[c], "Fashion-MNIST has 1,000 test images per class");
        }
    }

    @Test
    void toDatasetGivesBatchesOfTheRightShapes() throws Exception {
        Engines.engine();
        ImageSet part = mnist.test().subset(0, 300);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ArrayDataset ds = part.toDataset(manager, 128);
            assertEquals(300, ds.size());
            int batches = 0;
            int seen = 0;
            for (Batch batch : ds.getData(manager)) {
                try (batch) {
                    NDList x = batch.getData();
                    NDList y = batch.getLabels();
                    int n = batches < 2 ? 128 : 300 - 256;
                    assertEquals(
                            new ai.djl.ndarray.types.Shape(n, 784),
                            x.singletonOrThrow().getShape());
                    assertEquals(
                            new ai.djl.ndarray.types.Shape(n), y.singletonOrThrow().getShape());
                    float[] labels = y.singletonOrThrow().toFloatArray();
                    float[] pixels = x.singletonOrThrow().toFloatArray();
                    for (int i = 0; i < n; i++) {
                        assertEquals(part.labels()[seen + i], (int) labels[i]);
                    }
                    assertArrayEquals(
                            Arrays.copyOfRange(part.pixels(), seen * 784, (seen + n) * 784),
                            pixels);
                    seen += n;
                    batches++;
                }
            }
            assertEquals(3, batches);
            NDArray images = part.images(manager);
            assertEquals(new ai.djl.ndarray.types.Shape(300, 1, 28, 28), images.getShape());
        }
    }

    @Test
    void seededShufflingIsReproducibleAndANewOrderEachEpoch() throws Exception {
        Engines.engine();
        ImageSet part = mnist.test().subset(0, 300);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            int[][] a = epochs(part.toDataset(manager, 100, 7), manager);
            int[][] b = epochs(part.toDataset(manager, 100, 7), manager);
            int[][] c = epochs(part.toDataset(manager, 100, 8), manager);
            assertArrayEquals(a[0], b[0], "same seed, same first epoch");
            assertArrayEquals(a[1], b[1], "same seed, same second epoch");
            assertFalse(Arrays.equals(a[0], a[1]), "a new order each epoch");
            assertFalse(Arrays.equals(a[0], c[0]), "another seed, another order");
            int[] sorted = a[0].clone();
            Arrays.sort(sorted);
            int[] all = part.labels().clone();
            Arrays.sort(all);
            assertArrayEquals(all, sorted, "every image once per epoch");
        }
    }

    /** The labels in the order two epochs visit them. */
    private static int[][] epochs(ArrayDataset ds, NDManager manager) throws Exception {
        int[][] out = new int[2][];
        for (int e = 0; e < 2; e++) {
            int[] labels = new int[(int) ds.size()];
            int seen = 0;
            for (Batch batch : ds.getData(manager)) {
                try (batch) {
                    for (float v : batch.getLabels().singletonOrThrow().toFloatArray()) {
                        labels[seen++] = (int) v;
                    }
                }
            }
            out[e] = labels;
        }
        return out;
    }

    // ---- bad directories from the committed corpus ----

    @Test
    void labelsFileWhereImagesAreExpected() {
        assertRefused(
                "train-images-idx3-ubyte: expected magic 0x00000803 (ubyte, 3 dims), found 0x00000801 (a labels file?)",
                IdxFileTest.bad("labels-as-images"));
    }

    @Test
    void imageAndLabelCountsDiffer() {
        assertRefused(
                "train-images-idx3-ubyte has 5 images but train-labels-idx1-ubyte has 4 labels; expected the same count",
                IdxFileTest.bad("count-mismatch"));
    }

    @Test
    void testImagesOfAnotherSize() {
        assertRefused(
                "t10k-images-idx3-ubyte: expected 3x3 images like train-images-idx3-ubyte, found 4x4",
                IdxFileTest.bad("size-mismatch"));
    }

    @Test
    void missingFileNamesTheFileAndTheFix() {
        Path dir = IdxFileTest.bad("missing-file");
        assertRefused(
                "--data "
                        + dir
                        + ": missing t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz); --data DIR must hold the"
                        + " four standard IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                        + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (plain or .gz)",
                dir);
    }

    @Test
    void missingDirectory() {
        Path dir = tmp.resolve("nowhere");
        assertRefused(
                "--data "
                        + dir
                        + ": no such directory; --data DIR must hold the four standard IDX files"
                        + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
                        + " t10k-labels-idx1-ubyte (plain or .gz)",
                dir);
    }

    @Test
    void plainAndGzipFilesMixAndLabelsAboveNineWidenTheClassCount() {
        IdxFile.of(new int[] {3, 2, 2}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255})
                .write(tmp.resolve("train-images-idx3-ubyte"));
        IdxFile.of(new int[] {3}, new byte[] {0, 11, 3})
                .write(tmp.resolve("train-labels-idx1-ubyte.gz"));
        IdxFile.of(new int[] {1, 2, 2}, new byte[] {0, 0, 0, 51})
                .write(tmp.resolve("t10k-images-idx3-ubyte.gz"));
        IdxFile.of(new int[] {1}, new byte[] {2}).write(tmp.resolve("t10k-labels-idx1-ubyte"));
        DataSplit s = IdxDirectory.load(tmp, "tiny");
        assertEquals(12, s.train().numClasses());
        assertEquals(12, s.test().numClasses());
        assertArrayEquals(new int[] {0, 11, 3}, s.train().labels());
        assertEquals(1f, s.train().pixels()[11]);
        assertEquals(10 / 255f, s.train().pixels()[10]);
        assertEquals(0.2f, s.test().pixels()[3], 1e-7f);
        assertEquals(
                java.util.List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte.gz"),
                java.util.List.copyOf(s.train().sources().keySet()));
    }

    private static void assertRefused(String expected, Path dir) {
        InputException e = assertThrows(InputException.class, () -> IdxDirectory.load(dir, "bad"));
        assertEquals(expected, e.getMessage());
    }

    static int[] counts(ImageSet s) {
        int[] c = new int[s.numClasses()];
        for (int l : s.labels()) {
            c[l]++;
        }
        return c;
    }
}
