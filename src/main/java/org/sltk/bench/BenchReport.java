package org.sltk.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sltk.eval.Charts;

/**
 * Renders benchmark results as Markdown and the width-scaling plot, with the machine they ran on.
 */
public final class BenchReport {

    private BenchReport() {}

    /**
     * The machine and its state at one moment.
     *
     * @param loadAverage /proc/loadavg's first three fields
     * @param busiest the processes using most CPU (name and %CPU), from ps
     */
    public record Snapshot(String loadAverage, String busiest) {

        /**
         * Reads the current load.
         *
         * @return the snapshot
         */
        public static Snapshot now() {
            String load = "n/a";
            try {
                String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                load = f[0] + " " + f[1] + " " + f[2];
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            List<String> ps = command(null, "ps", "-eo", "pcpu=,comm=", "--sort=-pcpu");
            List<String> top = new ArrayList<>();
            for (String line : ps) {
                String[] f = line.trim().split("\\s+", 2);
                if (f.length == 2 && !f[1].equals("ps") && top.size() < 5) {
                    top.add(f[1] + " " + f[0] + "%");
                }
            }
            return new Snapshot(load, top.isEmpty() ? "n/a" : String.join(", ", top));
        }
    }

    /**
     * Returns the machine description lines: CPU model and cores, memory, JVM, OS, date, commit.
     *
     * @param home the sltk checkout, for the git commit (may be null)
     * @return Markdown list lines
     */
    public static List<String> machine(Path home) {
        List<String> out = new ArrayList<>();
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        String mem = "unknown";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    mem =
                            String.format(
                                    Locale.ROOT,
                                    "%.1f GiB",
                                    Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        out.add(
                "- CPU: "
                        + cpu
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores available to the JVM");
        out.add(
                "- memory: "
                        + mem
                        + " total; JVM max heap "
                        + String.format(
                                Locale.ROOT,
                                "%.1f GiB",
                                Runtime.getRuntime().maxMemory() / 1073741824.0));
        out.add(
                "- JVM: "
                        + System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.runtime.version")
                        + " ("
                        + System.getProperty("java.vendor")
                        + "); OS "
                        + System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " "
                        + System.getProperty("os.arch"));
        out.add(
                "- date (start): "
                        + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        List<String> rev = command(home, "git", "rev-parse", "HEAD");
        List<String> dirty = command(home, "git", "status", "--porcelain", "--untracked-files=no");
        out.add(
                "- git commit: "
                        + (rev.isEmpty()
                                ? "unknown (no git)"
                                : rev.get(0)
                                        + (dirty.isEmpty() ? "" : " (with uncommitted changes)")));
        return out;
    }

    /** Runs a short command, returning its output lines, or nothing on any failure. */
    static List<String> command(Path dir, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            byte[] b = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return List.of();
            }
            List<String> lines = new ArrayList<>();
            for (String l : new String(b, StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank()) {
                    lines.add(l);
                }
            }
            return lines;
        } catch (IOException | RuntimeException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * Returns the headline: MITM's speed over the best CP-SAT at (20,5) and (32,8).
     *
     * @param r the RFSS results
     * @return one Markdown line
     */
    public static String headline(RfssBench.Result r) {
        if (r.baseline() == null) {
            return "**Headline:** CP-SAT baseline not run (" + r.baselineSkipped() + ").";
        }
        List<String> parts = new ArrayList<>();
        for (RfssBench.Setting s : settingsOf(r)) {
            if (!((s.n() == 20 && s.k() == 5) || (s.n() == 32 && s.k() == 8))) {
                continue;
            }
            RfssBench.Row m = r.row(s, RfssBench.MITM);
            RfssBench.Row b = r.bestBaseline(s);
            if (m == null || b == null) {
                continue;
            }
            parts.add(
                    String.format(
                            Locale.ROOT,
                            "**%s× at %s** (%s vs %s inst/s; CP-SAT proved %d/%d optimal%s)",
                            ratio(m.perSecond() / b.perSecond()),
                            s.label(),
                            num(m.perSecond()),
                            num(b.perSecond()),
                            b.proven(),
                            b.instances(),
                            b.proven() < b.instances()
                                    ? String.format(
                                            Locale.ROOT,
                                            " within its %.0f s limit, so its rate is an upper bound and"
                                                    + " the ratio a lower bound",
                                            s.timeLimitSeconds())
                                    : ""));
        }
        if (parts.isEmpty()) {
            return "**Headline:** (20,5) and (32,8) were not part of this run.";
        }
        return "**Headline:** exact meet in the middle (sltk mitm) solves RFSS instances "
                + String.join(" and ", parts)
                + " faster than the best of 1- and 2-worker OR-Tools CP-SAT, on the same instances.";
    }

    private static List<RfssBench.Setting> settingsOf(RfssBench.Result r) {
        List<RfssBench.Setting> s = new ArrayList<>();
        for (RfssBench.Row row : r.rows()) {
            if (!s.contains(row.setting())) {
                s.add(row.setting());
            }
        }
        return s;
    }

    /**
     * Renders the RFSS section.
     *
     * @param r the results
     * @param threads threads of sltk's solvers
     * @param rounds rounds of alternation
     * @param seed the seed
     * @return Markdown
     */
    public static String rfssSection(RfssBench.Result r, int threads, int rounds, long seed) {
        StringBuilder sb = new StringBuilder();
        sb.append("## RFSS solvers vs OR-Tools CP-SAT\n\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Identical seeded instances (seed %d): n candidates a*b with a, b ~ U[-1,1), target w ~ U[-1,1), all from "
                                + "`CounterRandom` (`RfssInstances`, product distribution). sltk's solvers use %d thread(s) and "
                                + "solve every instance; CP-SAT solves the first instances of the same batch (its column "
                                + "'instances'). Timing alternates: the instances are cut into %d rounds and in each round every "
                                + "method solves its slice, the order rotating, after an untimed warm-up on other instances. The tensor "
                                + "solver (a GPU workload, here on the CPU) solves only the first max(20, 2e7/C(n,k)) instances. "
                                + "'at optimum' counts instances whose error equals the exact optimum (meet in the middle); "
                                + "'below' counts errors under it, which must be 0 (no method beats exact). The floor is "
                                + "1/C(n,k).%n%n",
                        seed,
                        threads,
                        rounds));
        if (r.baseline() != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "Baseline: %s, modelled as `/work/shared/docs/baselines.md` recommends (Booleans, sum(x) = k, "
                                    + "minimise e with e >= s - w and e >= w - s; integers scaled by S = the power of ten at or "
                                    + "above 10 (k+1) C(n,k)); run with 1 and with 2 workers, the best of the two is the baseline. "
                                    + "Native library loaded once in %.2f s, outside every timing. One model per instance, solved "
                                    + "to proven optimality or the stated time limit.%n%n",
                            r.baseline(),
                            r.baselineLoadSeconds()));
        } else {
            sb.append("Baseline: **skipped**: ").append(r.baselineSkipped()).append("\n\n");
        }
        sb.append(
                "| (n,k) | C(n,k) | method | exact | instances | inst/s | median error | median/floor | exact median, same "
                        + "instances | at optimum | below | CP-SAT proven optimal | time (s) |\n");
        sb.append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RfssBench.Row row : r.rows()) {
            RfssBench.Setting s = row.setting();
            if (row.skipped() != null) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %,d | %s | %s | skipped: %s | | | | | | | | |%n",
                                s.label(),
                                s.subsets(),
                                row.method(),
                                exactLabel(row),
                                shortReason(row.skipped())));
                continue;
            }
            String proven =
                    row.proven() < 0
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "%d/%d (limit %.0f s, S=%.0e)",
                                    row.proven(),
                                    row.instances(),
                                    s.timeLimitSeconds(),
                                    s.scale());
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,d | %s | %s | %,d | %s | %.3e | %.2f | %.3e | %d/%d | %d | %s | %.2f |%n",
                            s.label(),
                            s.subsets(),
                            row.method(),
                            exactLabel(row),
                            row.instances(),
                            num(row.perSecond()),
                            row.medianError(),
                            row.medianError() / s.floor(),
                            row.medianExact(),
                            row.atOptimum(),
                            row.instances(),
                            row.belowOptimum(),
                            proven,
                            row.seconds()));
        }
        sb.append("\n");
        if (r.baseline() != null) {
            sb.append(
                    "| (n,k) | sltk mitm inst/s | best CP-SAT inst/s | CP-SAT workers | ratio mitm / CP-SAT | CP-SAT at optimum "
                            + "| CP-SAT proven | limit |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (RfssBench.Setting s : settingsOf(r)) {
                RfssBench.Row m = r.row(s, RfssBench.MITM);
                RfssBench.Row b = r.bestBaseline(s);
                if (m == null || b == null) {
                    continue;
                }
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %s | %s | **%s×** | %d/%d | %d/%d | %.0f s |%n",
                                s.label(),
                                num(m.perSecond()),
                                num(b.perSecond()),
                                b.method().equals(RfssBench.CPSAT_1) ? "1" : "2",
                                ratio(m.perSecond() / b.perSecond()),
                                b.atOptimum(),
                                b.instances(),
                                b.proven(),
                                b.instances(),
                                s.timeLimitSeconds()));
            }
            sb.append(
                    "\nWhere CP-SAT did not prove optimality it ran to the time limit, so its rate counts the limit: it "
                            + "often holds the optimum earlier (see 'at optimum') but cannot know it. A ratio at such a setting "
                            + "compares time to a proven optimum for mitm with time to a proof-or-limit for CP-SAT.\n\n");
        }
        return sb.toString();
    }

    private static String exactLabel(RfssBench.Row row) {
        if (row.method().startsWith("CP-SAT")) {
            return "when proven (on S-scaled integers)";
        }
        return row.exact() ? "yes" : "no (heuristic)";
    }

    private static String shortReason(String s) {
        return s.replace("|", "/");
    }

    /**
     * Renders the pipeline section (two tables) and writes the log-log scaling plot.
     *
     * @param lenet the LeNet-300-100 cases
     * @param scaling the width-scaling cases
     * @param png where to write the plot (null: none)
     * @param pngLink the plot's path as linked from the Markdown file
     * @return Markdown
     */
    public static String pipelineSection(
            List<PipelineBench.Stages> lenet,
            List<PipelineBench.Stages> scaling,
            Path png,
            String pngLink) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Pipeline stages: time and memory\n\n");
        sb.append(
                "Each configuration runs in its own child JVM (same JVM options and class path), MITM solver, eps = "
                        + PipelineBench.EPS
                        + ", default block size n (`PruneConfig.defaultN`, pool 3n), non-negative inputs, "
                        + "evaluation on the 10,000 MNIST test images (including the plain masked pass on 200 of them, which "
                        + "materialises the dense random network again). Stages: *build* = materialising every dense tensor of the "
                        + "random network (first weights, biases, second weights of each pair) as libtorch NDArrays, then freeing "
                        + "them; *RFSS* = `PairPruner.prune` (all blocks, per layer); *eval* = `Evaluator.evaluate` (test split "
                        + "loaded before, not counted). Memory is the child's resident set size (VmRSS, native memory included): "
                        + "before each stage a full GC runs, G1 is given up to 5 s to uncommit the freed heap, and the kernel's peak "
                        + "(VmHWM) is reset via `/proc/self/clear_refs`, so 'start' is what the stage inherits and 'peak' its own "
                        + "high-water mark. The Java heap (-Xmx of the parent, 12 GiB with ./sltk) grows with allocation churn, so "
                        + "peaks are the process's real footprint, not the least memory the stage could run in.");
        boolean allReset = true;
        for (PipelineBench.Stages s : concat(lenet, scaling)) {
            allReset &= s.peakReset();
        }
        sb.append(
                allReset
                        ? "\n\n"
                        : " **The peak reset was refused here: peaks are the process peak so far.**\n\n");
        if (!lenet.isEmpty()) {
            sb.append("### LeNet-300-100 (models/lenet-300-100-mnist)\n\n");
            table(sb, lenet);
        }
        if (!scaling.isEmpty()) {
            sb.append(
                    "### Growth with target width (random targets 784-h-h/3-10, density 0.25)\n\n");
            table(sb, scaling);
            if (scaling.size() >= 2) {
                PipelineBench.Stages a = scaling.get(0);
                PipelineBench.Stages b = scaling.get(scaling.size() - 1);
                double x = Math.log((double) b.targetParams() / a.targetParams());
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "Log-log slopes against target parameters (%s to %s): build %.2f, "
                                        + "RFSS %.2f, eval %.2f, total %.2f; peak memory %.2f.%n%n",
                                a.label(),
                                b.label(),
                                Math.log(b.buildSeconds() / a.buildSeconds()) / x,
                                Math.log(b.rfssSeconds() / a.rfssSeconds()) / x,
                                Math.log(b.evalSeconds() / a.evalSeconds()) / x,
                                Math.log(b.totalSeconds() / a.totalSeconds()) / x,
                                Math.log(b.peakMiB() / a.peakMiB()) / x));
                if (png != null) {
                    plot(scaling, png);
                    sb.append("![time and peak memory against target parameters, log-log](")
                            .append(pngLink)
                            .append(")\n\n");
                }
            }
        }
        return sb.toString();
    }

    private static List<PipelineBench.Stages> concat(
            List<PipelineBench.Stages> a, List<PipelineBench.Stages> b) {
        List<PipelineBench.Stages> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void table(StringBuilder sb, List<PipelineBench.Stages> rows) {
        sb.append(
                "| case | target | target params | random params | n/k | RFSS blocks | build s | RFSS s (per layer) | "
                        + "eval s | total s | build start/peak MiB | RFSS start/peak MiB | eval start/peak MiB | median err L1 | "
                        + "agreement | ticket acc |\n");
        sb.append(
                "|---|---|---:|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PipelineBench.Stages s : rows) {
            StringBuilder layers = new StringBuilder();
            for (double d : s.rfssLayerSeconds()) {
                layers.append(layers.length() == 0 ? "" : " + ")
                        .append(String.format(Locale.ROOT, "%.1f", d));
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %,d | %,d | %d/%d | %,d | %.2f | %.1f (%s) | %.2f | %.1f | %.0f / %.0f | %.0f / %.0f | "
                                    + "%.0f / %.0f | %.2e | %.4f | %.4f |%n",
                            s.label(),
                            s.target(),
                            s.targetParams(),
                            s.randomParams(),
                            s.n(),
                            s.k(),
                            s.blocks(),
                            s.buildSeconds(),
                            s.rfssSeconds(),
                            layers,
                            s.evalSeconds(),
                            s.totalSeconds(),
                            s.buildStartMiB(),
                            s.buildPeakMiB(),
                            s.rfssStartMiB(),
                            s.rfssPeakMiB(),
                            s.evalStartMiB(),
                            s.evalPeakMiB(),
                            s.medianError(),
                            s.agreement(),
                            s.ticketAccuracy()));
        }
        sb.append("\n");
    }

    private static void plot(List<PipelineBench.Stages> rows, Path png) {
        double[] x = rows.stream().mapToDouble(s -> s.targetParams()).toArray();
        XYChart time =
                new XYChartBuilder()
                        .width(640)
                        .height(460)
                        .title("Stage time vs target size (log-log)")
                        .xAxisTitle("target parameters")
                        .yAxisTitle("seconds")
                        .build();
        time.getStyler().setXAxisLogarithmic(true);
        time.getStyler().setYAxisLogarithmic(true);
        time.addSeries(
                        "build",
                        x,
                        rows.stream().mapToDouble(PipelineBench.Stages::buildSeconds).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        time.addSeries(
                        "RFSS",
                        x,
                        rows.stream().mapToDouble(PipelineBench.Stages::rfssSeconds).toArray())
                .setMarker(SeriesMarkers.SQUARE);
        time.addSeries(
                        "eval",
                        x,
                        rows.stream().mapToDouble(PipelineBench.Stages::evalSeconds).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        time.addSeries(
                        "total",
                        x,
                        rows.stream().mapToDouble(PipelineBench.Stages::totalSeconds).toArray())
                .setMarker(SeriesMarkers.TRIANGLE_UP);
        XYChart mem =
                new XYChartBuilder()
                        .width(640)
                        .height(460)
                        .title("Peak resident memory per stage (log-log)")
                        .xAxisTitle("target parameters")
                        .yAxisTitle("MiB")
                        .build();
        mem.getStyler().setXAxisLogarithmic(true);
        mem.getStyler().setYAxisLogarithmic(true);
        mem.addSeries(
                        "build peak",
                        x,
                        rows.stream().mapToDouble(PipelineBench.Stages::buildPeakMiB).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        mem.addSeries(
                        "RFSS peak",
                        x,
                        rows.stream().mapToDouble(PipelineBench.Stages::rfssPeakMiB).toArray())
                .setMarker(SeriesMarkers.SQUARE);
        mem.addSeries(
                        "eval peak",
                        x,
                        rows.stream().mapToDouble(PipelineBench.Stages::evalPeakMiB).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        Charts.writePng(time, mem, png);
    }

    /** Formats a rate with sensible precision. */
    static String num(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Formats a ratio. */
    static String ratio(double v) {
        return v >= 100
                ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
    }
}
