package org.sltk.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sltk.theory.SumBound;
import org.sltk.theory.SumBoundReport;
import org.sltk.theory.SumDistribution;
import org.sltk.util.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sltk sumbound}: the paper's sum-bounded condition, estimated from samples. */
@Command(
        name = "sumbound",
        header = "Check the sum-bounded condition of the weight distributions; CSV and PNG.",
        mixinStandardHelpOptions = true,
        description = {
            "Estimates the sum-bounded constants c_l, c_u of the random network's weight distributions, with",
            "simultaneous Wilson intervals, in two forms: the paper's, min and max of sqrt(k) f_k(x) on",
            "x in [-sqrt(k), sqrt(k)] and over k (f_k the density of the sum of k samples, in the weights' own",
            "units), and beside it the standardised form, the same on +-1 sd of the sum (|x| <= sigma sqrt(k)).",
            "Writes NAME.csv, NAME-curves.csv and NAME.png to --out and prints a markdown summary."
        })
final class SumboundCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--dists",
            split = ",",
            defaultValue = "uniform,product,normal,kaiming-uniform,kaiming-normal",
            paramLabel = "D,...",
            description =
                    "Distributions: "
                            + SumDistribution.KINDS
                            + " (product: of two Uniform[-1,1], what the pair construction sums). Default: ${DEFAULT-VALUE}.")
    List<String> dists;

    @Option(
            names = "--fan-in",
            split = ",",
            defaultValue = "784",
            paramLabel = "F,...",
            description =
                    "Fan-in(s) of the Kaiming distributions (784: the first layer of the LeNet-300-100"
                            + " random network). Default: ${DEFAULT-VALUE}.")
    List<Integer> fanIns;

    @Option(
            names = "--ks",
            split = ",",
            defaultValue = "1,2,4,8,16,32,64",
            paramLabel = "K,...",
            description = "Numbers of summands. Default: ${DEFAULT-VALUE}.")
    List<Integer> ks;

    @Option(
            names = "--samples",
            defaultValue = "2000000",
            paramLabel = "N",
            description = "Independent sums per k and distribution. Default: ${DEFAULT-VALUE}.")
    long samples;

    @Option(
            names = "--bins",
            defaultValue = "40",
            paramLabel = "B",
            description =
                    "Histogram bins on each form's range (x in [-sqrt(k), sqrt(k)], u in [-1, 1]). Default: ${DEFAULT-VALUE}.")
    int bins;

    @Option(
            names = "--alpha",
            defaultValue = "0.05",
            paramLabel = "A",
            description =
                    "Simultaneous error level of the intervals (Bonferroni over bins and k). Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(
            names = "--threads",
            defaultValue = "0",
            paramLabel = "T",
            description = "Worker threads; 0: all processors. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Directory for the CSV and PNG files.")
    Path out;

    @Option(
            names = "--name",
            defaultValue = "sumbound",
            paramLabel = "NAME",
            description = "File stem of the outputs. Default: ${DEFAULT-VALUE}.")
    String name;

    @Mixin Common.SeedOption seed;
    @Mixin Common.DebugOption debug;

    @Override
    public Integer call() {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new InputException(
                    "--name: use letters, digits, '.', '_' and '-' only, found '" + name + "'");
        }
        List<SumDistribution> ds = new ArrayList<>();
        for (String d : dists) {
            SumDistribution probe = SumDistribution.parse(d, 1);
            if (probe.kind().startsWith("kaiming")) {
                for (int f : fanIns) {
                    ds.add(SumDistribution.parse(d, f));
                }
            } else {
                ds.add(probe);
            }
        }
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        SumBound.Config cfg =
                new SumBound.Config(
                        ds,
                        ks.stream().mapToInt(Integer::intValue).toArray(),
                        samples,
                        bins,
                        alpha,
                        seed.seed,
                        t);
        var w = spec.commandLine().getOut();
        SumBound.Result r = SumBound.run(cfg);
        List<Path> files = SumBoundReport.write(r, out, name);
        w.print(SumBoundReport.markdown(r));
        w.printf(Locale.ROOT, "%nsampled in %.1f s; wrote %s%n", r.seconds(), files);
        w.flush();
        return 0;
    }
}
