package org.sltk.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sltk.data.DataSplit;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.io.PopupRunDirectory;
import org.sltk.io.TargetModels;
import org.sltk.nn.Architecture;
import org.sltk.nn.PopupNetwork;
import org.sltk.nn.PopupTrainer;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetModel;
import org.sltk.nn.WeightDistribution;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.util.InputException;
import org.sltk.util.Memory;
import org.sltk.util.Provenance;
import org.sltk.workflow.Pruner;
import org.sltk.workflow.Ticket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sltk popup}: finds a ticket by training scores (edge-popup) on sltk's seeded random
 * networks, at an exact density, and writes it as a run directory that {@code sltk eval} and {@code
 * sltk export} read.
 */
@Command(
        name = "popup",
        header =
                "Find a ticket by edge-popup (trained scores, fixed weights) at an exact density,"
                        + " beside the constructed one.",
        mixinStandardHelpOptions = true,
        description = {
            "Edge-popup (Ramanujan et al., CVPR 2020): every weight of a seeded random network gets a score",
            "(drawn by sltk's generator); each step keeps exactly round(d * size) parameters of every layer",
            "(or, with --per-unit, round(d * fan-in) of every output unit), those of highest score, and a",
            "straight-through gradient updates the scores (SGD with momentum, weight decay, cosine lr). The",
            "weights are never trained.",
            "Two settings:",
            "  --model DIR: the very 2L pair network sltk prune builds for that target (same --block-density,",
            "    --n, --pool, --dist, --seed), at the overall density of the ticket sltk prune constructs there",
            "    (pruned first, in seconds) or at --density;",
            "  --arch 784-300-100-10: a plain bias-free random network (--init) at --density.",
            "Writes a run directory (popup.json, masks.npz) that sltk eval --run and sltk export --run read."
        })
final class PopupCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description =
                    "Target model directory (dense ReLU MLP): search its pair network (setting a).")
    Path model;

    @Option(
            names = "--arch",
            paramLabel = "W-W-...",
            description =
                    "Widths of a plain random MLP, input first, e.g. 784-300-100-10 (setting b).")
    String arch;

    @Option(
            names = "--density",
            paramLabel = "D",
            description =
                    "Kept fraction of every layer, in (0, 1]. Required with --arch; with --model the"
                            + " default is the constructed ticket's overall density.")
    Double density;

    @Option(
            names = "--per-unit",
            description = "Keep round(d * fan-in) parameters in every output unit's row.")
    boolean perUnit;

    @Option(
            names = "--block-density",
            defaultValue = "0.25",
            paramLabel = "K/N",
            description =
                    "With --model: sltk prune's --density (block density k/n) that fixes the pair network."
                            + " Default: ${DEFAULT-VALUE}.")
    double blockDensity;

    @Option(
            names = "--n",
            defaultValue = "0",
            paramLabel = "N",
            description = "With --model: sltk prune's --n (0: its default).")
    int n;

    @Option(
            names = "--pool",
            defaultValue = "0",
            paramLabel = "P",
            description = "With --model: sltk prune's --pool (0: 3n).")
    int pool;

    @Option(
            names = "--eps",
            defaultValue = "1e-3",
            paramLabel = "E",
            description =
                    "With --model: sltk prune's --eps, for the constructed ticket. Default: ${DEFAULT-VALUE}.")
    double eps;

    @Option(
            names = "--dist",
            defaultValue = "uniform",
            paramLabel = "NAME",
            description =
                    "With --model: the pair network's weight distribution (sltk prune's --dist). Default: ${DEFAULT-VALUE}.")
    String dist;

    @Option(
            names = "--init",
            defaultValue = "signed-constant",
            paramLabel = "NAME",
            description =
                    "With --arch: signed-constant, kaiming-normal or kaiming-uniform. Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(
            names = "--scale-fan",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "With --arch: weight std sqrt(2 / (fan-in * d)) (the paper's scaled init); --no-scale-fan: sqrt(2 / fan-in).")
    boolean scaleFan;

    @Option(
            names = "--data",
            paramLabel = "NAME|DIR",
            description =
                    "Training and test data: mnist, fashion-mnist or an IDX directory. Default: the model's dataset, or mnist.")
    String data;

    @Option(
            names = "--epochs",
            defaultValue = "10",
            paramLabel = "E",
            description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--lr",
            defaultValue = "0.1",
            paramLabel = "LR",
            description = "Base learning rate (cosine over the epochs). Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(
            names = "--momentum",
            defaultValue = "0.9",
            paramLabel = "M",
            description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    float momentum;

    @Option(
            names = "--weight-decay",
            defaultValue = "1e-4",
            paramLabel = "WD",
            description = "Weight decay on the scores. Default: ${DEFAULT-VALUE}.")
    float weightDecay;

    @Option(
            names = "--batch-size",
            defaultValue = "128",
            paramLabel = "B",
            description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--train-images",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Train on the first N training images only (0: all of them); the test set is whole.")
    int trainImages;

    @Option(
            names = "--threads",
            defaultValue = "1",
            paramLabel = "T",
            description = "libtorch intra-op threads during the search. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Run directory to write (replaced atomically).")
    Path out;

    @Mixin Common.SeedOption seed;
    @Mixin Common.DeviceOption device;
    @Mixin Common.DebugOption debug;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // every flag is checked before any work
        if ((model == null) == (arch == null)) {
            throw new InputException(
                    "--model/--arch: give exactly one: --model DIR (the pair network of a target) or"
                            + " --arch 784-300-100-10 (a plain random network)");
        }
        var parsed = spec.commandLine().getParseResult();
        String[] pairOnly = {"--block-density", "--n", "--pool", "--eps", "--dist"};
        String[] plainOnly = {"--init", "--scale-fan", "--no-scale-fan"};
        for (String f : arch != null ? pairOnly : plainOnly) {
            if (parsed.hasMatchedOption(f)) {
                throw new InputException(
                        f
                                + ": only with "
                                + (arch != null ? "--model" : "--arch")
                                + (arch != null
                                        ? " (it sets the pair network of sltk prune)"
                                        : " (the pair network's weights are sltk prune's)")
                                + "; drop it");
            }
        }
        if (arch != null && density == null) {
            throw new InputException("--density: required with --arch; e.g. --density 0.5");
        }
        if (density != null && !(density > 0 && density <= 1)) {
            throw new InputException("--density: must be in (0, 1], found " + density);
        }
        if (trainImages < 0) {
            throw new InputException(
                    "--train-images: must be 0 (all) or positive, found " + trainImages);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException("--out " + out + ": is a file; give a directory name");
        }
        PopupTrainer trainer =
                new PopupTrainer()
                        .optEpochs(epochs)
                        .optLearningRate(lr)
                        .optMomentum(momentum)
                        .optWeightDecay(weightDecay)
                        .optBatchSize(batchSize)
                        .optSeed(seed.seed)
                        .optThreads(threads)
                        .optDevice(device.device());
        PopupNetwork.Init in = PopupNetwork.Init.parse(init);
        Map<String, Object> extra = new LinkedHashMap<>();
        TargetModel target = null;
        PopupNetwork net;
        String dataset;
        if (model != null) {
            target = TargetModels.load(model);
            if (target.network().architecture().mlpWidths() == null) {
                throw new InputException(
                        "--model "
                                + model
                                + ": edge-popup on the pair network takes dense ReLU targets (an MLP),"
                                + " this is "
                                + target.network().architecture().describe()
                                + "; use --arch for a plain random network");
            }
            dataset = data != null ? data : target.info().dataset();
            if (dataset == null) {
                throw new InputException(
                        "--data: " + model + " records no dataset; give --data mnist|DIR");
            }
            Pruner pruner =
                    Pruner.builder()
                            .setDensity(blockDensity)
                            .optN(n)
                            .optPool(pool)
                            .optEps(eps)
                            .optSeed(seed.seed)
                            .optDistribution(WeightDistribution.parse(dist))
                            .optDataset(dataset)
                            .build();
            PruneConfig c = pruner.configFor(target);
            pruner.check(target, false);
            RandomNetwork pairs =
                    new PairPruner(c, pruner.solver()).randomNetworkFor(target.network());
            Map<String, Object> pn = new LinkedHashMap<>();
            pn.put("blockDensity", c.density());
            pn.put("n", c.n());
            pn.put("k", c.k());
            pn.put("pool", c.pool());
            pn.put("eps", c.eps());
            pn.put("seed", c.seed());
            pn.put("distribution", c.distribution().id());
            double d;
            if (density != null) {
                d = density;
                pn.put("densityFrom", "--density");
            } else {
                o.printf(
                        Locale.ROOT,
                        "constructing the ticket of %s at block density %s (n=%d, k=%d, pool %d) for its"
                                + " overall density%n",
                        target.describe(),
                        PruneConfig.typed(c.density()),
                        c.n(),
                        c.k(),
                        c.pool());
                o.flush();
                Ticket t = pruner.prune(target);
                d = t.result().density();
                pn.put("densityFrom", "the constructed ticket");
                pn.put("constructedDigest", t.digest());
                pn.put("constructedKept", t.result().kept());
                pn.put("constructedParameters", t.result().total());
                pn.put("constructedDensity", d);
                pn.put("constructedSeconds", t.result().seconds());
                o.printf(
                        Locale.ROOT,
                        "constructed: %,d of %,d parameters kept (overall density %.6f), %.1f s, digest %s%n",
                        t.result().kept(),
                        t.result().total(),
                        d,
                        t.result().seconds(),
                        t.digest().substring(0, 16));
            }
            extra.put("pairNetwork", pn);
            net = PopupNetwork.onPairs(pairs, d, perUnit, seed.seed);
        } else {
            int[] widths = parseArch(arch);
            dataset = data != null ? data : "mnist";
            net =
                    new PopupNetwork(
                            Architecture.mlp(widths, false),
                            density,
                            perUnit,
                            in,
                            scaleFan,
                            seed.seed);
        }
        DataSplit split = Datasets.load(dataset);
        ImageSet train =
                trainImages > 0 && trainImages < split.train().size()
                        ? split.train().subset(0, trainImages)
                        : split.train();
        if (split.train().features() != net.architecture().inputSize()) {
            throw new InputException(
                    "--data "
                            + dataset
                            + ": images have "
                            + split.train().features()
                            + " pixels, the network takes "
                            + net.architecture().inputSize());
        }
        o.printf(
                Locale.ROOT,
                "edge-popup on %s: %,d parameters, %,d kept (overall density %.6f%s), %s (%d train /"
                        + " %d test), %d epochs, SGD lr %s momentum %s wd %s batch %d, seed %d%n",
                net.architecture().describe(),
                net.parameterCount(),
                net.keptCount(),
                (double) net.keptCount() / net.parameterCount(),
                perUnit ? ", per unit" : "",
                dataset,
                train.size(),
                split.test().size(),
                epochs,
                lr,
                momentum,
                weightDecay,
                batchSize,
                seed.seed);
        o.flush();
        PopupTrainer.Result r =
                trainer.optProgress(err)
                        .optOnEpoch(
                                e -> {
                                    o.println(e.toLine());
                                    o.flush();
                                })
                        .train(net, train, split.test());
        extra.put("trainImages", train.size());
        PopupRunDirectory.save(
                out,
                net,
                target,
                dataset,
                trainer,
                r,
                extra,
                Provenance.current(device.device().toString()));
        o.printf(
                Locale.ROOT,
                "ticket test accuracy %.2f%% on %d images; search %.1f s; run written to %s; total"
                        + " %.1f s, peak memory %.0f MiB%n",
                100 * r.testAccuracy(),
                split.test().size(),
                r.seconds(),
                out,
                (System.nanoTime() - start) / 1e9,
                Memory.peakMiB());
        o.flush();
        return 0;
    }

    /** Parses {@code 784-300-100-10}. */
    static int[] parseArch(String v) {
        String[] p = v.trim().split("-", -1);
        if (p.length < 2) {
            throw new InputException(
                    "--arch: '" + v + "' needs at least two widths, e.g. --arch 784-300-100-10");
        }
        int[] w = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                w[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                w[i] = -1;
            }
            if (w[i] < 1) {
                throw new InputException(
                        "--arch: '"
                                + v
                                + "' has a width that is not a positive integer; e.g. --arch"
                                + " 784-300-100-10");
            }
        }
        return w;
    }
}
