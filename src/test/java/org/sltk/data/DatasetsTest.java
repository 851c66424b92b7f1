package org.sltk.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
