package org.sltk.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sltk.bench.Baselines;
import org.sltk.bench.BenchReport;
import org.sltk.bench.PipelineBench;
import org.sltk.bench.RfssBench;
import org.sltk.util.AtomicFiles;
import org.sltk.util.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sltk bench rfss|pipeline|all}: benchmarks that write their own Markdown report. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks sltk and writes the results, with the machine they ran on, to a Markdown file:",
            "  rfss      RFSS solvers (mitm, tensor, swap, brute) vs OR-Tools CP-SAT on identical random instances",
            "  pipeline  time and memory of the job's stages (build, RFSS, eval) for LeNet-300-100 and wider targets",
            "  all       both (about 10 minutes on 2 cores): sltk bench all --out docs/benchmarks.md",
            "The CP-SAT baseline needs the bench build: mvn -q -Pbench -DskipTests package; without it that",
            "column is reported as skipped."
        },
        subcommands = {
            BenchCommand.Rfss.class,
            BenchCommand.Pipeline.class,
            BenchCommand.All.class,
        })
final class BenchCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Options of the RFSS part. */
    static final class RfssOptions {
        @Option(
                names = "--setting",
                paramLabel = "N,K[,INST[,CPINST[,LIMIT]]]",
                description =
                        "An (n,k) to run, with sltk's instance count, CP-SAT's instance count and CP-SAT's time "
                                + "limit in seconds; repeatable. Default: 16,4,20000,100,10  20,5,5000,60,10  24,6,2000,20,10  "
                                + "32,8,400,4,10.")
        List<String> settings = new ArrayList<>();

        @Option(
                names = "--threads",
                defaultValue = "0",
                paramLabel = "T",
                description =
                        "Threads of sltk's solvers (0: all cores). CP-SAT runs with 1 and with 2 workers.")
        int threads;

        @Option(
                names = "--rounds",
                defaultValue = "5",
                paramLabel = "R",
                description = "Rounds over which the methods alternate. Default: ${DEFAULT-VALUE}.")
        int rounds;

        @Option(names = "--baseline-class", defaultValue = Baselines.CP_SAT_CLASS, hidden = true)
        String baselineClass;

        List<RfssBench.Setting> parsed() {
            if (settings.isEmpty()) {
                return RfssBench.defaultSettings();
            }
            List<RfssBench.Setting> out = new ArrayList<>();
            for (String s : settings) {
                String[] f = s.split(",");
                try {
                    int n = Integer.parseInt(f[0].trim());
                    int k = Integer.parseInt(f[1].trim());
                    int inst = f.length > 2 ? Integer.parseInt(f[2].trim()) : 1000;
                    int cp = f.length > 3 ? Integer.parseInt(f[3].trim()) : Math.min(inst, 20);
                    double limit = f.length > 4 ? Double.parseDouble(f[4].trim()) : 10;
                    out.add(new RfssBench.Setting(n, k, inst, cp, limit));
                } catch (RuntimeException e) {
                    throw new InputException(
                            "--setting: expected N,K[,INSTANCES[,CPSAT_INSTANCES[,LIMIT_S]]] with "
                                    + "1 <= K < N <= 64 and CPSAT_INSTANCES <= INSTANCES, found '"
                                    + s
                                    + "'");
                }
            }
            return out;
        }

        int threads() {
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        }
    }

    /** Options of the pipeline part. */
    static final class PipelineOptions {
        @Option(
                names = "--model",
                paramLabel = "DIR",
                description =
                        "LeNet-300-100 target. Default: models/lenet-300-100-mnist of the sltk checkout.")
        Path model;

        @Option(
                names = "--widths",
                paramLabel = "H",
                split = ",",
                defaultValue = "100,300,1000",
                description =
                        "Hidden widths h of the random targets 784-h-h/3-10. Default: ${DEFAULT-VALUE}.")
        int[] widths;

        @Option(names = "--skip-lenet", description = "Only the width-scaling cases.")
        boolean skipLenet;

        Path model() {
            return model != null
                    ? model
                    : Path.of(System.getProperty("sltk.home", "."))
                            .resolve("models/lenet-300-100-mnist");
        }
    }

    /** Options of every part. */
    static final class ReportOptions {
        @Option(
                names = "--out",
                defaultValue = "docs/benchmarks.md",
                paramLabel = "FILE",
                description =
                        "Markdown report to write; the plot goes next to it as <name>-scaling.png. Default: ${DEFAULT-VALUE}.")
        Path out;

        @Option(
                names = "--seed",
                defaultValue = "1",
                paramLabel = "S",
                description = "Seed of all instances. Default: ${DEFAULT-VALUE}.")
        long seed;
    }

    /** {@code sltk bench rfss}. */
    @Command(
            name = "rfss",
            mixinStandardHelpOptions = true,
            description = "RFSS solvers vs OR-Tools CP-SAT on identical seeded instances.")
    static final class Rfss implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin RfssOptions rfss;
        @Mixin ReportOptions report;
        @Mixin Common.DebugOption debug;

        @Override
        public Integer call() {
            return BenchCommand.execute(spec, report, rfss, null);
        }
    }

    /** {@code sltk bench pipeline}. */
    @Command(
            name = "pipeline",
            mixinStandardHelpOptions = true,
            description =
                    "Stage times and memory of the pruning job, LeNet-300-100 and random targets of growing width.")
    static final class Pipeline implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin PipelineOptions pipeline;
        @Mixin ReportOptions report;
        @Mixin Common.DebugOption debug;

        @Override
        public Integer call() {
            return BenchCommand.execute(spec, report, null, pipeline);
        }
    }

    /** {@code sltk bench all}. */
    @Command(
            name = "all",
            mixinStandardHelpOptions = true,
            description = "Both benchmarks, one report.")
    static final class All implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin RfssOptions rfss;
        @Mixin PipelineOptions pipeline;
        @Mixin ReportOptions report;
        @Mixin Common.DebugOption debug;

        @Override
        public Integer call() {
            return BenchCommand.execute(spec, report, rfss, pipeline);
        }
    }

    static int execute(
            CommandSpec spec, ReportOptions report, RfssOptions rfss, PipelineOptions pipeline) {
        PrintWriter w = spec.commandLine().getOut();
        // machine and commit first: the run itself rewrites the tracked report files
        List<String> machine = BenchReport.machine(Path.of(System.getProperty("sltk.home", ".")));
        BenchReport.Snapshot before = BenchReport.Snapshot.now();
        long start = System.nanoTime();
        w.printf(
                Locale.ROOT,
                "load average at start: %s (busiest: %s)%n",
                before.loadAverage(),
                before.busiest());
        String rfssMd = "";
        String headline = null;
        if (rfss != null) {
            RfssBench.Result r =
                    RfssBench.run(
                            new RfssBench.Options(
                                    report.seed,
                                    rfss.threads(),
                                    rfss.rounds,
                                    rfss.parsed(),
                                    rfss.baselineClass),
                            w);
            headline = BenchReport.headline(r);
            rfssMd = BenchReport.rfssSection(r, rfss.threads(), rfss.rounds, report.seed);
        }
        String pipeMd = "";
        if (pipeline != null) {
            List<PipelineBench.Stages> lenet = new ArrayList<>();
            List<PipelineBench.Stages> scaling = new ArrayList<>();
            Path work;
            try {
                work = Files.createTempDirectory("sltk-bench");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<PipelineBench.Case> cases = new ArrayList<>();
            if (!pipeline.skipLenet) {
                Path model = pipeline.model();
                if (!Files.isDirectory(model)) {
                    throw new InputException("--model: no model directory at " + model);
                }
                cases.addAll(PipelineBench.lenetCases(model, report.seed));
            }
            int lenetCount = cases.size();
            for (PipelineBench.Case c : PipelineBench.scalingCases(report.seed)) {
                int h = c.widths()[1];
                for (int want : pipeline.widths) {
                    if (want == h) {
                        cases.add(c);
                    }
                }
            }
            for (int want : pipeline.widths) {
                if (want != 100 && want != 300 && want != 1000) {
                    cases.add(
                            new PipelineBench.Case(
                                    "random h=" + want,
                                    null,
                                    new int[] {784, want, Math.max(1, want / 3), 10},
                                    0.25,
                                    "mnist",
                                    report.seed));
                }
            }
            for (int i = 0; i < cases.size(); i++) {
                PipelineBench.Stages s = PipelineBench.runChild(cases.get(i), work);
                (i < lenetCount ? lenet : scaling).add(s);
                w.printf(
                        Locale.ROOT,
                        "%-22s build %6.2fs  RFSS %7.1fs  eval %6.2fs  peak %6.0f MiB  agreement %.4f%n",
                        s.label(),
                        s.buildSeconds(),
                        s.rfssSeconds(),
                        s.evalSeconds(),
                        s.peakMiB(),
                        s.agreement());
                w.flush();
            }
            try {
                AtomicFiles.deleteRecursively(work);
            } catch (IOException e) {
                w.println("could not delete " + work + ": " + e.getMessage());
            }
            scaling.sort((a, b) -> Long.compare(a.targetParams(), b.targetParams()));
            String stem = report.out.getFileName().toString().replaceFirst("\\.md$", "");
            Path png = report.out.resolveSibling(stem + "-scaling.png");
            pipeMd = BenchReport.pipelineSection(lenet, scaling, png, png.getFileName().toString());
        }
        BenchReport.Snapshot after = BenchReport.Snapshot.now();
        double minutes = (System.nanoTime() - start) / 60e9;
        StringBuilder md = new StringBuilder();
        md.append("# sltk benchmarks\n\n");
        md.append("Written by `sltk ")
                .append(String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                .append("` (the command itself, not by hand); rebuild and rerun with\n\n")
                .append(
                        "    mvn -q -Pbench -DskipTests package && ./sltk bench all --out docs/benchmarks.md\n\n");
        if (headline != null) {
            md.append(headline).append("\n\n");
        }
        md.append("Machine and conditions:\n\n");
        for (String line : machine) {
            md.append(line).append("\n");
        }
        md.append(
                String.format(
                        Locale.ROOT,
                        "- load average (1, 5, 15 min) at start: %s; at end: %s; total run %.1f min%n",
                        before.loadAverage(),
                        after.loadAverage(),
                        minutes));
        md.append("- busiest processes at start: ")
                .append(before.busiest())
                .append("; at end: ")
                .append(after.busiest())
                .append("\n");
        md.append(
                "- the machine is shared (other engineers build on the same cores): absolute rates are noisy, about "
                        + "+-20% from run to run; compare ratios within this run, where the methods alternated on the same "
                        + "instances.\n\n");
        md.append(rfssMd).append(pipeMd);
        AtomicFiles.writeString(report.out, md.toString());
        if (headline != null) {
            w.println(headline.replace("**", ""));
        }
        w.printf(
                Locale.ROOT,
                "load average at end: %s; report written to %s (%.1f min)%n",
                after.loadAverage(),
                report.out,
                minutes);
        w.flush();
        return 0;
    }
}
