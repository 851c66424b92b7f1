package org.sltk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.sltk.data.DataSplit;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.io.ModelDirectory;
import org.sltk.nn.Architecture;
import org.sltk.nn.ModelInfo;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetTrainer;
import org.sltk.nn.TrainConfig;
import org.sltk.nn.TrainResult;
import org.sltk.util.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sltk train}: trains a dense ReLU target network on an image data set and saves it. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        header =
                "Train a target network (default LeNet-300-100; --arch lenet5 for a CNN) and save it under models/.",
        description = {
            "Trains with softmax cross-entropy and Adam on the training split, evaluates on the test split "
                    + "after every epoch, and writes models/<name>/ (DJL parameters + model.json).",
            "Input and output widths come from the data; a progress bar goes to stderr."
        })
public final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--data",
            defaultValue = "mnist",
            paramLabel = "NAME|DIR",
            description =
                    "mnist, fashion-mnist, cifar10, or a directory of the four IDX files or of CIFAR-10"
                            + " (PNG sprites or .bin batches); append :normalize (or :normalize=MEANS/STDS) for"
                            + " per-channel normalisation. Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(
            names = "--arch",
            defaultValue = "mlp",
            paramLabel = "mlp|lenet5",
            description =
                    "mlp: dense ReLU network; lenet5: conv-ReLU-pool blocks, flatten, dense layers. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(
            names = "--widths",
            split = ",",
            paramLabel = "H1,H2,...",
            hideParamSyntax = true,
            description =
                    "Hidden dense layer widths, comma-separated. Default: 300,100 (mlp), 120,84 (lenet5).")
    int[] widths;

    @Option(
            names = "--channels",
            defaultValue = "6,16",
            split = ",",
            paramLabel = "C1,C2,...",
            hideParamSyntax = true,
            description = "lenet5: output channels of the conv layers. Default: ${DEFAULT-VALUE}.")
    int[] channels;

    @Option(
            names = "--kernel",
            defaultValue = "5",
            paramLabel = "R",
            description = "lenet5: conv kernel side. Default: ${DEFAULT-VALUE}.")
    int kernel;

    @Option(
            names = "--padding",
            defaultValue = "0",
            split = ",",
            paramLabel = "P[,P...]",
            hideParamSyntax = true,
            description =
                    "lenet5: zero padding of the conv layers, one value for all or one per layer. Default: ${DEFAULT-VALUE}.")
    int[] padding;

    @Option(
            names = "--pooling",
            defaultValue = "max",
            paramLabel = "max|avg",
            description =
                    "lenet5: 2x2 max- or average-pooling after each conv. Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--no-bias", description = "Train bias-free layers.")
    boolean noBias;

    @Option(
            names = "--epochs",
            defaultValue = "" + TrainConfig.DEFAULT_EPOCHS,
            paramLabel = "N",
            description = "Passes over the training split. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--lr",
            defaultValue = "0.001",
            paramLabel = "LR",
            description = "Adam's learning rate. Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(
            names = "--batch-size",
            defaultValue = "128",
            paramLabel = "B",
            description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--threads",
            defaultValue = "1",
            paramLabel = "N",
            description =
                    "libtorch intra-op threads. One is the fastest for these small MLPs and robust on shared "
                            + "cores; the count changes the last bits of the weights. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--validation",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Hold N training images out for validation (seeded, stratified by class; the accuracy on "
                            + "them is printed and recorded), to choose settings without the test split. Default: none.")
    int validation;

    @Option(
            names = "--validation-seed",
            defaultValue = "1",
            paramLabel = "S",
            description = "Seed of the held-out choice. Default: ${DEFAULT-VALUE}.")
    long validationSeed;

    @Mixin Common.SeedOption seed = new Common.SeedOption();

    @Mixin Common.DeviceOption device = new Common.DeviceOption();

    @Mixin Common.DebugOption debug = new Common.DebugOption();

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description =
                    "Model name. Default: lenet-300-100-<dataset> (mlp-<widths>-<dataset> for other widths, "
                            + "-nobias appended without biases).")
    String name;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Model directory. Default: models/<name>.")
    Path out;

    @Override
    public Integer call() {
        String a = arch.trim().toLowerCase(Locale.ROOT);
        if (!a.equals("mlp") && !a.equals("lenet5")) {
            throw new InputException(
                    "--arch: unknown architecture '" + arch + "'; use mlp or lenet5");
        }
        if (widths == null) {
            widths = a.equals("mlp") ? new int[] {300, 100} : new int[] {120, 84};
        }
        boolean lenet5 = a.equals("lenet5");
        String p = pooling.trim().toLowerCase(Locale.ROOT);
        if (lenet5 && !p.equals("max") && !p.equals("avg")) {
            throw new InputException("--pooling: use max or avg, found '" + pooling + "'");
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainConfig config = trainConfig();
        DataSplit split = Datasets.load(data);
        String dataset = datasetName(split);
        ImageSet train = split.train();
        Architecture architecture =
                lenet5
                        ? Architecture.lenet5(
                                new int[] {train.channels(), train.rows(), train.cols()},
                                channels,
                                widths,
                                kernel,
                                padding,
                                p.equals("avg"),
                                train.numClasses(),
                                !noBias)
                        : Architecture.mlp(
                                config.widths(train.features(), train.numClasses()), config.bias());
        String modelName =
                name != null
                        ? name
                        : lenet5
                                ? "lenet5-" + dataKey(data) + (noBias ? "-nobias" : "")
                                : defaultName(data, widths, !noBias);
        Path dir = outputDir(modelName);
        checkValidation(split);
        o.printf(
                Locale.ROOT,
                "training %s on %s (%s), %d epochs, Adam lr %s, batch %d, seed %d, %s, %d thread(s)%n",
                architecture.describe(),
                dataset,
                sizes(split),
                config.epochs(),
                config.learningRate(),
                config.batchSize(),
                config.seed(),
                config.device(),
                threads);
        o.flush();
        TrainResult r =
                new TargetTrainer(config)
                        .optProgress(err)
                        .optOnEpoch(
                                e -> {
                                    o.println(e.toLine());
                                    o.flush();
                                })
                        .train(architecture, train, split.test());
        TargetModel saved =
                ModelDirectory.save(
                        dir, r.network(), ModelInfo.of(r, dataset, train, split.test()));
        printValidation(o, r.validationAccuracy());
        o.printf(
                Locale.ROOT,
                "test accuracy %.2f%% on %d %s images (train %.2f%%), %.1f s%n",
                100 * r.testAccuracy(),
                split.test().size(),
                dataset,
                100 * r.trainAccuracy(),
                r.seconds());
        o.printf(
                "saved %s (%s, %s)%n",
                saved.dir(),
                ModelDirectory.JSON_FILE,
                lenet5 ? ModelDirectory.PARAMS_FILE_CNN : ModelDirectory.PARAMS_FILE);
        o.flush();
        return 0;
    }

    private TrainConfig trainConfig() {
        return TrainConfig.builder()
                .optHidden(widths)
                .optBias(!noBias)
                .optEpochs(epochs)
                .optLearningRate(lr)
                .optBatchSize(batchSize)
                .optSeed(seed.seed)
                .optDevice(device.device())
                .optThreads(threads)
                .optValidation(validation, validationSeed)
                .build();
    }

    /** Refuses a held-out count that leaves no image on either side, before any work. */
    private void checkValidation(DataSplit split) {
        if (validation > 0 && validation >= split.train().size()) {
            throw new InputException(
                    "--validation: must be below "
                            + split.train().size()
                            + " (the training images of "
                            + datasetName(split)
                            + "), found "
                            + validation);
        }
    }

    private String sizes(DataSplit split) {
        return validation > 0
                ? String.format(
                        Locale.ROOT,
                        "%d train / %d validation / %d test images",
                        split.train().size() - validation,
                        validation,
                        split.test().size())
                : String.format(
                        Locale.ROOT,
                        "%d train / %d test images",
                        split.train().size(),
                        split.test().size());
    }

    private void printValidation(PrintWriter o, double accuracy) {
        if (validation > 0) {
            o.printf(
                    Locale.ROOT,
                    "validation accuracy %.2f%% on %d held-out training images (seed %d)%n",
                    100 * accuracy,
                    validation,
                    validationSeed);
        }
    }

    /** The model directory: --out, or models/NAME after checking the name. */
    private Path outputDir(String modelName) {
        if (modelName.isBlank()
                || !modelName.matches("[A-Za-z0-9._-]+")
                || modelName.startsWith(".")) {
            throw new InputException(
                    "--name " + modelName + ": use letters, digits, '.', '_' and '-' only");
        }
        return out != null ? out : Path.of("models", modelName);
    }

    /**
     * The data set's part of a default model name: mnist, fashion-mnist, cifar10, or the
     * directory's name ({@link Datasets#shortName}).
     */
    private static String dataKey(String data) {
        return Datasets.shortName(data);
    }

    static String defaultName(String data, int[] hidden, boolean bias) {
        String ds = dataKey(data);
        String arch =
                Arrays.equals(hidden, new int[] {300, 100})
                        ? "lenet-300-100"
                        : "mlp-"
                                + Arrays.stream(hidden)
                                        .mapToObj(Integer::toString)
                                        .collect(Collectors.joining("-"));
        return arch + "-" + ds + (bias ? "" : "-nobias");
    }

    private static String datasetName(DataSplit split) {
        String n = split.train().name();
        return n.endsWith("/train") ? n.substring(0, n.length() - "/train".length()) : n;
    }
}
