package org.sltk.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.eval.EvalReport;
import org.sltk.eval.Evaluator;
import org.sltk.io.ModelDirectory;
import org.sltk.nn.Architecture;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.prune.LayerStats;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.prune.PruneResult;
import org.sltk.rfss.RfssSolvers;
import org.sltk.util.AtomicFiles;
import org.sltk.util.Engines;
import org.sltk.util.Json;
import org.sltk.util.Memory;

/**
 * Times the stages of the main job and their memory: building the random network (materialising all
 * its dense tensors), the RFSS searches per layer (meet in the middle, eps 1e-3, default n), and
 * the evaluation on the MNIST test split. The stages are library calls ({@link #runCase}); no
 * command line is involved.
 *
 * <p>Each configuration runs in a fresh JVM ({@link #runChild}, whose entry point is this class's
 * {@link #main}, not the CLI) for one reason only: its resident memory must be its own. A JVM that
 * ran a larger case keeps native memory (libtorch's and glibc's arenas, the grown heap) that the
 * next case's start and peak would include. Times do not need the child; {@link #runCase} gives the
 * same stages in this process.
 *
 * <p>Memory is the child's resident set size (Linux VmRSS/VmHWM, native libtorch memory included):
 * before each stage the JVM runs a full GC, waits for G1 to uncommit the freed heap, and the
 * kernel's peak is reset ({@code /proc/self/clear_refs}), so each stage reports its resident size
 * at start and its own peak. Where the reset is refused, the peak is the process peak so far
 * (stated in the result).
 */
public final class PipelineBench {

    /** The per-weight tolerance of every case. */
    public static final double EPS = 1e-3;

    /**
     * One configuration.
     *
     * @param label short name for the tables
     * @param model a target model directory, or null for a random target
     * @param widths the random target's widths (ignored with a model)
     * @param density block density
     * @param data dataset for the evaluation
     * @param seed seed of the random network (and of a random target)
     */
    public record Case(
            String label, Path model, int[] widths, double density, String data, long seed) {

        /**
         * Returns the target network.
         *
         * @return the loaded or generated target
         */
        public TargetNetwork target() {
            return model != null
                    ? ModelDirectory.load(model).network()
                    : TargetNetwork.random(Architecture.mlp(widths, true), seed);
        }
    }

    /**
     * The measurements of one case.
     *
     * @param label the case's label
     * @param target the target's shape
     * @param targetParams target parameters
     * @param randomParams random network parameters
     * @param n block size
     * @param k kept per block
     * @param blocks RFSS instances solved
     * @param buildSeconds building all dense tensors of the random network
     * @param buildStartMiB resident size at the start of the build
     * @param buildPeakMiB peak during the build
     * @param rfssSeconds all RFSS searches
     * @param rfssLayerSeconds per layer
     * @param rfssStartMiB resident size at the start of the searches
     * @param rfssPeakMiB peak during the searches
     * @param evalSeconds the evaluation (test split loaded before, not counted)
     * @param evalStartMiB resident size at the start of the evaluation
     * @param evalPeakMiB peak during the evaluation
     * @param agreement ticket/target agreement on the test split
     * @param ticketAccuracy ticket accuracy
     * @param medianError median RFSS error of the first layer
     * @param peakReset whether the per-stage peak reset worked
     */
    public record Stages(
            String label,
            String target,
            long targetParams,
            long randomParams,
            int n,
            int k,
            long blocks,
            double buildSeconds,
            double buildStartMiB,
            double buildPeakMiB,
            double rfssSeconds,
            List<Double> rfssLayerSeconds,
            double rfssStartMiB,
            double rfssPeakMiB,
            double evalSeconds,
            double evalStartMiB,
            double evalPeakMiB,
            double agreement,
            double ticketAccuracy,
            double medianError,
            boolean peakReset) {

        /**
         * Returns the total of the three stages.
         *
         * @return seconds
         */
        public double totalSeconds() {
            return buildSeconds + rfssSeconds + evalSeconds;
        }

        /**
         * Returns the largest stage peak.
         *
         * @return MiB
         */
        public double peakMiB() {
            return Math.max(buildPeakMiB, Math.max(rfssPeakMiB, evalPeakMiB));
        }
    }

    private PipelineBench() {}

    /**
     * The LeNet-300-100 cases: the shipped MNIST target at densities 0.5, 0.25 and 0.1.
     *
     * @param model the model directory
     * @param seed the seed of the random networks
     * @return the cases
     */
    public static List<Case> lenetCases(Path model, long seed) {
        List<Case> cases = new ArrayList<>();
        for (double d : new double[] {0.5, 0.25, 0.1}) {
            cases.add(new Case("LeNet-300-100 d=" + d, model, null, d, "mnist", seed));
        }
        return cases;
    }

    /**
     * The width-scaling cases: random targets 784-h-h/3-10 with h = 100, 300, 1000, density 0.25.
     *
     * @param seed the seed of targets and random networks
     * @return the cases
     */
    public static List<Case> scalingCases(long seed) {
        List<Case> cases = new ArrayList<>();
        for (int h : new int[] {100, 300, 1000}) {
            cases.add(
                    new Case(
                            "random h=" + h,
                            null,
                            new int[] {784, h, h / 3, 10},
                            0.25,
                            "mnist",
                            seed));
        }
        return cases;
    }

    /**
     * The library calls of one case, in one place (the job of {@code sltk prune} and {@code sltk
     * eval}; the place to switch to a workflow API): the pruner and its random network, then {@link
     * Job#prune} and {@link Job#evaluate}.
     *
     * @param c the case
     * @return the job, ready to run stage by stage
     */
    static Job job(Case c) {
        TargetNetwork target = c.target();
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(c.density())
                        .optEps(EPS)
                        .optSeed(c.seed())
                        .optNonNegativeInput(true)
                        .build();
        Engines.engine();
        ImageSet test = Datasets.load(c.data()).test();
        PairPruner pruner =
                new PairPruner(
                        cfg,
                        RfssSolvers.create(
                                "auto", Runtime.getRuntime().availableProcessors(), Device.cpu()));
        RandomNetwork net = pruner.randomNetworkFor(target);
        return new Job(
                target,
                cfg,
                test,
                net,
                () -> pruner.prune(target),
                r -> new Evaluator(Device.cpu()).evaluate(target, r.ticket(), test, true));
    }

    /**
     * One case's stages as library calls.
     *
     * @param target the target network
     * @param cfg the pruning settings
     * @param test the evaluation split
     * @param net the random network
     * @param prune the RFSS searches
     * @param evaluate the evaluation of a pruning result
     */
    record Job(
            TargetNetwork target,
            PruneConfig cfg,
            ImageSet test,
            RandomNetwork net,
            java.util.function.Supplier<PruneResult> prune,
            java.util.function.Function<PruneResult, EvalReport> evaluate) {}

    /**
     * Runs one case in this process (what the child JVM does).
     *
     * @param c the case
     * @return the measurements
     */
    public static Stages runCase(Case c) {
        Job job = job(c);
        TargetNetwork target = job.target();
        PruneConfig cfg = job.cfg();
        RandomNetwork net = job.net();

        double[] startPeak = beginStage();
        boolean reset = startPeak[1] > 0;
        long t0 = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            long elements = 0;
            for (int l = 0; l < net.pairs(); l++) {
                NDArray w1 = net.firstWeights(m, l);
                NDArray b1 = net.firstBiases(m, l);
                NDArray w2 = net.secondWeights(m, l);
                elements += w1.size() + (b1 == null ? 0 : b1.size()) + w2.size();
            }
            if (elements != net.parameterCount()) {
                throw new IllegalStateException(
                        "built " + elements + " weights, expected " + net.parameterCount());
            }
        }
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        double buildPeak = Memory.peakMiB();

        double[] rfssStart = beginStage();
        PruneResult r = job.prune().get();
        double rfssPeak = Memory.peakMiB();
        List<Double> layerSeconds =
                r.layers().stream().map(LayerStats::solveSeconds).collect(Collectors.toList());
        long blocks = r.layers().stream().mapToLong(LayerStats::blocks).sum();

        double[] evalStart = beginStage();
        long t2 = System.nanoTime();
        EvalReport e = job.evaluate().apply(r);
        double evalSeconds = (System.nanoTime() - t2) / 1e9;
        double evalPeak = Memory.peakMiB();
        return new Stages(
                c.label(),
                target.describe(),
                target.parameterCount(),
                net.parameterCount(),
                cfg.n(),
                cfg.k(),
                blocks,
                buildSeconds,
                startPeak[0],
                buildPeak,
                r.seconds(),
                layerSeconds,
                rfssStart[0],
                rfssPeak,
                evalSeconds,
                evalStart[0],
                evalPeak,
                e.agreement(),
                e.ticketAccuracy(),
                r.layers().get(0).medianError(),
                reset);
    }

    /**
     * Full GC, a wait for G1's concurrent uncommit to return the freed heap (resident size steady
     * for 0.5 s, at most 5 s), then reset the kernel's peak; returns {resident MiB, 1 if the reset
     * worked}.
     */
    private static double[] beginStage() {
        System.gc();
        double last = Memory.residentMiB();
        int steady = 0;
        for (int i = 0; i < 50 && steady < 5; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            double now = Memory.residentMiB();
            steady = Math.abs(now - last) < 1 ? steady + 1 : 0;
            last = now;
        }
        boolean ok = Memory.resetPeak();
        return new double[] {Memory.residentMiB(), ok ? 1 : 0};
    }

    /**
     * Writes a result as JSON (the child's answer to its parent).
     *
     * @param s the result
     * @param file the file
     */
    public static void write(Stages s, Path file) {
        AtomicFiles.writeString(file, Json.write(s));
    }

    /**
     * Reads a result written by {@link #write}.
     *
     * @param file the file
     * @return the result
     */
    public static Stages read(Path file) {
        JsonObject o = Json.read(file);
        List<Double> layers = new ArrayList<>();
        for (JsonElement x : o.getAsJsonArray("rfssLayerSeconds")) {
            layers.add(x.getAsDouble());
        }
        return new Stages(
                o.get("label").getAsString(),
                o.get("target").getAsString(),
                o.get("targetParams").getAsLong(),
                o.get("randomParams").getAsLong(),
                o.get("n").getAsInt(),
                o.get("k").getAsInt(),
                o.get("blocks").getAsLong(),
                d(o, "buildSeconds"),
                d(o, "buildStartMiB"),
                d(o, "buildPeakMiB"),
                d(o, "rfssSeconds"),
                layers,
                d(o, "rfssStartMiB"),
                d(o, "rfssPeakMiB"),
                d(o, "evalSeconds"),
                d(o, "evalStartMiB"),
                d(o, "evalPeakMiB"),
                d(o, "agreement"),
                d(o, "ticketAccuracy"),
                d(o, "medianError"),
                o.get("peakReset").getAsBoolean());
    }

    private static double d(JsonObject o, String f) {
        return o.get(f).getAsDouble();
    }

    /**
     * Writes a case as JSON (the parent's question to its child).
     *
     * @param c the case
     * @param file the file
     */
    static void writeCase(Case c, Path file) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("label", c.label());
        if (c.model() != null) {
            m.put("model", c.model().toString());
        } else {
            m.put("widths", c.widths());
        }
        m.put("density", c.density());
        m.put("data", c.data());
        m.put("seed", c.seed());
        AtomicFiles.writeString(file, Json.write(m));
    }

    /**
     * Reads a case written by {@link #writeCase}.
     *
     * @param file the file
     * @return the case
     */
    static Case readCase(Path file) {
        JsonObject o = Json.read(file);
        Path model = o.has("model") ? Path.of(Json.string(o, "model", file)) : null;
        int[] widths = null;
        if (model == null) {
            JsonElement w = Json.required(o, "widths", file);
            if (!w.isJsonArray()) {
                throw Json.wrong(file, "widths", "an array of widths", w);
            }
            widths = new int[w.getAsJsonArray().size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Json.asInt(w.getAsJsonArray().get(i), "widths[" + i + "]", file);
            }
        }
        return new Case(
                Json.string(o, "label", file),
                model,
                widths,
                Json.number(o, "density", file),
                Json.string(o, "data", file),
                Json.integer(o, "seed", file));
    }

    /**
     * The child JVM's entry point: runs the case of one JSON file and writes its measurements to
     * another ({@link #runChild} starts it; not a command of sltk's CLI).
     *
     * @param args the case file and the result file
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: PipelineBench CASE.json RESULT.json");
            System.exit(2);
        }
        write(runCase(readCase(Path.of(args[0]))), Path.of(args[1]));
        System.exit(0);
    }

    /**
     * The command line of the child JVM: this JVM's options and class path, then this class's
     * {@link #main}.
     *
     * @param caseFile the case
     * @param json the result file
     * @return the command
     */
    static List<String> childCommand(Path caseFile, Path json) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-Dsltk.quiet=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PipelineBench.class.getName());
        cmd.add(caseFile.toString());
        cmd.add(json.toString());
        return cmd;
    }

    /**
     * Runs one case in a child JVM so that its memory is its own (see the class comment); the child
     * runs {@link #runCase}, the same library calls as this process would.
     *
     * @param c the case
     * @param work a directory for the child's case, result and log
     * @return the measurements
     * @throws IllegalStateException if the child fails (with the tail of its log)
     */
    public static Stages runChild(Case c, Path work) {
        try {
            Files.createDirectories(work);
            String tag = c.label().replaceAll("[^A-Za-z0-9.=-]+", "_");
            Path caseFile = work.resolve(tag + ".case.json");
            Path json = work.resolve(tag + ".json");
            Path log = work.resolve(tag + ".log");
            Files.deleteIfExists(json);
            writeCase(c, caseFile);
            Process p =
                    new ProcessBuilder(childCommand(caseFile, json))
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            int rc = p.waitFor();
            if (rc != 0 || !Files.exists(json)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                String tail =
                        String.join(
                                "\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
                throw new IllegalStateException(
                        "bench case '" + c.label() + "' failed (exit " + rc + "):\n" + tail);
            }
            return read(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
