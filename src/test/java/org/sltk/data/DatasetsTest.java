package org.sltk.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.util.InputException;

/** Tests how {@code --data} values become directories. */
class DatasetsTest {

    @TempDir Path cwd;
    @TempDir Path home;

    @Test
    void namesResolveUnderTheCurrentDirectoryFirst() throws Exception {
        Files.createDirectories(cwd.resolve("datasets/mnist"));
        Files.createDirectories(home.resolve("datasets/mnist"));
        assertEquals(
                cwd.resolve("datasets/mnist"), Datasets.resolve("mnist", cwd, home.toString()));
        assertEquals(cwd.resolve("datasets/mnist"), Datasets.resolve("MNIST", cwd, null));
    }

    @Test
    void namesFallBackToSltkHome() throws Exception {
        Files.createDirectories(home.resolve("datasets/fashion-mnist"));
        assertEquals(
                home.resolve("datasets/fashion-mnist"),
                Datasets.resolve("fashion-mnist", cwd, home.toString()));
    }

    @Test
    void anythingElseIsADirectoryPath() {
        assertEquals(cwd.resolve("my/mnist-full"), Datasets.resolve("my/mnist-full", cwd, null));
        assertEquals(Path.of("/data/kmnist"), Datasets.resolve("/data/kmnist", cwd, null));
    }

    @Test
    void missingFashionMnistSaysHowToInstallIt() {
        InputException e =
                assertThrows(
                        InputException.class, () -> Datasets.resolve("fashion-mnist", cwd, null));
        assertEquals(
                "--data fashion-mnist: datasets/fashion-mnist is not in the current directory;"
                        + " run scripts/install-data.sh fashion-mnist",
                e.getMessage());
        e =
                assertThrows(
                        InputException.class,
                        () -> Datasets.resolve("fashion-mnist", cwd, home.toString()));
        assertEquals(
                "--data fashion-mnist: datasets/fashion-mnist is not in the current directory nor in sltk.home "
                        + home
                        + "; run scripts/install-data.sh fashion-mnist",
                e.getMessage());
    }

    @Test
    void missingMnistSaysWhereToRunFrom() {
        InputException e =
                assertThrows(InputException.class, () -> Datasets.resolve("mnist", cwd, null));
        assertEquals(
                "--data mnist: datasets/mnist is not in the current directory;"
                        + " run sltk from the repository root, or run scripts/install-data.sh mnist",
                e.getMessage());
    }

    @Test
    void loadByNameFromTheRepositoryRoot() {
        DataSplit s = Datasets.load("mnist");
        assertEquals("mnist/train", s.train().name());
        assertEquals(8000, s.train().size());
        assertEquals("mnist/test", s.test().name());
        DataSplit byPath = Datasets.load("datasets/mnist");
        assertEquals(
                "mnist/train",
                byPath.train().name(),
                "a directory is named after its last component");
        assertEquals(s.train().sources(), byPath.train().sources());
    }

    @Test
    void missingCifar10SaysHowToInstallIt() {
        InputException e =
                assertThrows(InputException.class, () -> Datasets.resolve("cifar10", cwd, null));
        assertEquals(
                "--data cifar10: datasets/cifar10 is not in the current directory;"
                        + " run scripts/install-data.sh cifar10",
                e.getMessage());
        e =
                assertThrows(
                        InputException.class,
                        () -> Datasets.load("cifar10:normalize", cwd, home.toString()));
        assertEquals(
                "--data cifar10: datasets/cifar10 is not in the current directory nor in sltk.home "
                        + home
                        + "; run scripts/install-data.sh cifar10",
                e.getMessage());
    }

    @Test
    void aCifar10DirectoryIsFoundByItsFiles() throws Exception {
        Files.createDirectories(cwd.resolve("datasets/cifar10"));
        assertEquals(cwd.resolve("datasets/cifar10"), Datasets.resolve("cifar10", cwd, null));
        assertEquals(
                cwd.resolve("datasets/cifar10"), Datasets.resolve("CIFAR10:normalize", cwd, null));
    }

    @Test
    void theNormalizeOptionIsParsed() {
        assertEquals(Optional.empty(), Datasets.normalization("cifar10"));
        assertEquals(Optional.empty(), Datasets.normalization("mnist"));
        assertEquals(Normalization.CIFAR10, Datasets.normalization("cifar10:normalize").get());
        assertEquals(
                new Normalization(new double[] {0.1307}, new double[] {0.3081}),
                Datasets.normalization("mnist:normalize=0.1307/0.3081").get());
        assertEquals(
                new Normalization(new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.5, 1}),
                Datasets.normalization("some/dir:normalize=0.5,0.5,0.5/0.25,0.5,1").get());
        assertEquals("cifar10", Datasets.source("cifar10:normalize"));
        assertEquals("some/dir", Datasets.source("some/dir:normalize=0.5/0.25"));
        assertEquals("cifar10-normalized", Datasets.shortName("cifar10:normalize"));
        assertEquals("cifar10", Datasets.shortName("cifar10"));
        assertEquals("mnist", Datasets.shortName("datasets/mnist"));
    }

    @Test
    void aBadNormalizeOptionIsRefusedInOneLine() {
        String form =
                ": expected :normalize=M1,M2,.../S1,S2,..., one mean and one std per channel, e.g."
                        + " cifar10:normalize=0.4914,0.4822,0.4465/0.247,0.2435,0.2616";
        for (String v :
                new String[] {
                    "cifar10:normalize0.5",
                    "cifar10:normalize=0.5",
                    "cifar10:normalize=a/b",
                    "cifar10:normalize=0.5/0.2/0.1"
                }) {
            InputException e =
                    assertThrows(InputException.class, () -> Datasets.normalization(v), v);
            OneLine.check(e);
            assertEquals("--data " + v + form, e.getMessage());
        }
        InputException e =
                assertThrows(
                        InputException.class,
                        () -> Datasets.normalization("mnist:normalize=0.5/0"));
        assertEquals(
                "--data mnist:normalize=0.5/0: normalization: channel 0 has mean 0.5 and std 0.0;"
                        + " the mean must be finite and the std finite and positive",
                e.getMessage());
        e = assertThrows(InputException.class, () -> Datasets.normalization("mnist:normalize"));
        assertEquals(
                "--data mnist:normalize: sltk knows no standard mean and std for mnist; give"
                        + " mnist:normalize=MEAN/STD, one of each per channel (e.g."
                        + " mnist:normalize=0.1307/0.3081)",
                e.getMessage());
        e =
                assertThrows(
                        InputException.class,
                        () -> Datasets.load("mnist:normalize=0.5,0.5/0.2,0.2"));
        assertEquals(
                "--data mnist:normalize=0.5,0.5/0.2,0.2: 2 mean(s) and std(s) for images of 1"
                        + " channel(s); give one of each per channel",
                e.getMessage());
    }

    @Test
    void aNormalisedSetIsNamedSoThatLoadingItsNameGivesItBack() {
        DataSplit raw = Datasets.load("mnist");
        DataSplit n = Datasets.load("mnist:normalize=0.1307/0.3081");
        assertEquals("mnist:normalize=0.1307/0.3081/train", n.train().name());
        assertEquals("mnist:normalize=0.1307/0.3081/test", n.test().name());
        assertEquals(1, n.test().channels());
        float[] r = raw.test().pixels();
        float[] v = n.test().pixels();
        for (int i = 0; i < r.length; i += 97) {
            assertEquals((float) ((r[i] - 0.1307) / 0.3081), v[i], "value " + i);
        }
        assertEquals(
                "(x - mean) / std per channel, mean [0.1307], std [0.3081]",
                n.test().sources().get(ImageSet.NORMALIZATION_SOURCE));
        assertEquals(
                raw.test().sources().get("t10k-images-idx3-ubyte.gz"),
                n.test().sources().get("t10k-images-idx3-ubyte.gz"));
        assertEquals(
                n.test().normalization(), Datasets.normalization("mnist:normalize=0.1307/0.3081"));
        assertTrue(n.test().minPixel() < 0, "normalised pixels are signed");
        // the name (less /train) is the value again
        String name = n.train().name().substring(0, n.train().name().length() - "/train".length());
        assertArrayEquals(v, Datasets.load(name).test().pixels());
    }

    @Test
    void autoInputDomainOfANormalisedDatasetIsTheImageOfThePixels() {
        InputDomain.Choice c =
                InputDomain.Choice.auto("mnist:normalize=0.5/0.25", null, f -> "--" + f);
        assertEquals(new InputDomain(-2, 2), c.domain());
        assertEquals(
                "auto: from the model's dataset mnist:normalize=0.5/0.25, pixels in [0, 1]"
                        + " normalised per channel to [-2, 2]",
                c.reason());
        c = InputDomain.Choice.auto(null, "cifar10:normalize", f -> "--" + f);
        assertEquals(Normalization.CIFAR10.domainOf(InputDomain.PIXELS), c.domain());
        assertTrue(
                c.reason().startsWith("auto: an imported target run on --data cifar10:normalize"));
        assertEquals(InputDomain.PIXELS, InputDomain.Choice.auto("mnist", null, f -> f).domain());
    }
}
