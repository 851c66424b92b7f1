package org.sltk.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The sum-bounded estimates against densities known in closed form. */
class SumBoundTest {

    private static SumBound.Result run(String dist, int[] ks, long samples, int bins, int threads) {
        return SumBound.run(
                new SumBound.Config(
                        List.of(SumDistribution.parse(dist, 784)),
                        ks,
                        samples,
                        bins,
                        0.05,
                        7,
                        threads));
    }

    private static void covers(double value, double lo, double hi, String what) {
        assertTrue(
                lo <= value && value <= hi,
                what + ": " + value + " not in [" + lo + ", " + hi + "]");
    }

    @Test
    void uniformWithOneSummandIsFlat() {
        SumBound.Result r = run("uniform", new int[] {1}, 400_000, 20, 2);
        // paper form: Uniform[-1,1] has density exactly 1/2 on the whole range [-1, 1]
        SumBound.Estimate paper = r.overall("uniform", SumBound.PAPER);
        covers(0.5, paper.clLo(), paper.cuHi(), "paper");
        covers(0.5, paper.cuLo(), paper.clHi(), "paper, flat");
        assertEquals(0.5, paper.cl(), 0.02);
        assertEquals(0.5, paper.cu(), 0.02);
        // standardised: S/sigma is uniform on [-sqrt 3, sqrt 3], density 1/(2 sqrt 3) = 0.2887 on
        // |u| <= 1
        double flat = 1 / (2 * Math.sqrt(3));
        SumBound.Estimate std = r.overall("uniform", SumBound.STANDARDISED);
        covers(flat, std.cuLo(), std.clHi(), "standardised");
        assertEquals(flat, std.cl(), 0.012);
        assertEquals(flat, std.cu(), 0.012);
    }

    /**
     * Paper form against closed forms: Uniform[-1,1] at k = 1 has sqrt(1) f_1 = 1/2 on [-1, 1]; at
     * k = 2 the sum is triangular, f_2(x) = (2 - |x|) / 4, so sqrt(2) f_2 on [-sqrt 2, sqrt 2] runs
     * from sqrt(2) (2 - sqrt 2) / 4 = 0.207 at the ends to sqrt(2) / 2 = 0.707 at 0. f_2 is linear
     * within each bin (the bins do not straddle 0), so a bin's average is f at its centre.
     */
    @Test
    void uniformSumsMatchTheirClosedFormsInThePapersForm() {
        int bins = 20;
        SumBound.Result r = run("uniform", new int[] {1, 2}, 400_000, bins, 2);
        double h = 2.0 / bins;
        java.util.function.DoubleUnaryOperator f2 = x -> Math.sqrt(2) * (2 - Math.abs(x)) / 4;
        // every bin of both curves inside its simultaneous interval
        List<SumBound.CurvePoint> paper =
                r.curves().stream().filter(p -> p.form().equals(SumBound.PAPER)).toList();
        assertEquals(2 * bins, paper.size(), "one paper curve per k on [-sqrt(k), sqrt(k)]");
        for (SumBound.CurvePoint p : paper) {
            double expected = p.k() == 1 ? 0.5 : f2.applyAsDouble(p.at());
            assertTrue(
                    Math.abs(p.at()) < Math.sqrt(p.k()),
                    "bin centre x inside [-sqrt k, sqrt k]: " + p.at());
            covers(expected, p.lo(), p.hi(), "k=" + p.k() + " x=" + p.at());
        }
        SumBound.Estimate k1 = r.find("uniform", SumBound.PAPER, 1);
        covers(0.5, k1.clLo(), k1.clHi(), "c_l k=1");
        covers(0.5, k1.cuLo(), k1.cuHi(), "c_u k=1");
        SumBound.Estimate k2 = r.find("uniform", SumBound.PAPER, 2);
        double edge = Math.sqrt(2) * (1 - h / 2); // the outermost bin centre, in x
        double centre = Math.sqrt(2) * h / 2;
        covers(f2.applyAsDouble(edge), k2.clLo(), k2.clHi(), "c_l k=2");
        covers(f2.applyAsDouble(centre), k2.cuLo(), k2.cuHi(), "c_u k=2");
        assertEquals(edge, Math.abs(k2.clAt()), 1e-9, "c_l at the end of the range, reported in x");
        assertEquals(centre, Math.abs(k2.cuAt()), 1e-9, "c_u next to 0, reported in x");
        // over k: the smaller c_l is k = 2's, the larger c_u too
        SumBound.Estimate all = r.overall("uniform", SumBound.PAPER);
        assertEquals(k2.cl(), all.cl(), 0);
        assertEquals(2, all.clK());
        assertEquals(k2.cu(), all.cu(), 0);
        // the standardised form is a different statement: the range is +-1 sd of the sum, |x| <=
        // sqrt(2/3),
        // and the density is that of u = S_2 / sqrt(2/3): s (2 - s |u|) / 4 with s = sqrt(2/3)
        double sd = Math.sqrt(2.0 / 3);
        SumBound.Estimate std = r.find("uniform", SumBound.STANDARDISED, 2);
        covers(sd * (2 - sd * (1 - h / 2)) / 4, std.clLo(), std.clHi(), "standardised c_l k=2");
        covers(sd * (2 - sd * h / 2) / 4, std.cuLo(), std.cuHi(), "standardised c_u k=2");
        assertEquals(1 - h / 2, Math.abs(std.clAt()), 1e-9, "standardised c_l at |u| = 1 - h/2");
    }

    @Test
    void markdownLeadsWithThePapersFormAndLabelsBoth() {
        SumBound.Result r = run("uniform", new int[] {1, 2}, 20_000, 10, 2);
        String md = SumBoundReport.markdown(r);
        assertTrue(
                md.indexOf("| uniform | paper |") >= 0
                        && md.indexOf("| uniform | paper |")
                                < md.indexOf("| uniform | standardised |"),
                md);
        assertTrue(
                md.contains(
                        "- paper: (docs/theory.md section 5, the headline) sqrt(k) f_k(x) on x in [-sqrt(k), sqrt(k)]"),
                md);
        assertTrue(md.contains("- standardised: the same on +-1 sd of the sum"), md);
        assertTrue(md.contains("Paper form per k") && md.contains("Standardised form per k"), md);
        assertTrue(
                SumBoundReport.curvesCsv(r)
                        .startsWith(SumBoundReport.CURVES_CSV_HEADER + "\nuniform,paper,1,"));
    }

    @Test
    void productHasALogSingularityAtZero() {
        SumBound.Result r = run("product", new int[] {1}, 400_000, 20, 2);
        SumBound.Estimate std = r.overall("product", SumBound.STANDARDISED);
        // density of 3ab at u: -ln(|u|/3)/6; its average over the bin [0, h] is (1 + ln(3/h))/6
        double h = 0.1;
        double binAverage = (1 + Math.log(3 / h)) / 6; // 0.7335
        covers(binAverage, std.cuLo(), std.cuHi(), "c_u at the centre bin");
        assertTrue(
                std.cuLo() > 1.5 * Stats.normalPdf(0),
                "c_u far above the normal's 0.399: " + std.cuLo());
        assertEquals(0.05, Math.abs(std.cuAt()), 1e-9, "attained next to 0");
        // at |u| = 1 the density is ln(3)/6 = 0.183, below phi(1) = 0.242
        assertEquals(Math.log(3) / 6, std.cl(), 0.015);
        // paper form: the density -ln|z|/2 vanishes at the edge of the support, so c_l is about h/4
        SumBound.Estimate paper = r.overall("product", SumBound.PAPER);
        assertTrue(paper.cl() < 0.05, "paper c_l at the support's edge: " + paper.cl());
    }

    @Test
    void normalSumsStayAtTheNormalPdfForEveryK() {
        SumBound.Result r = run("normal", new int[] {1, 4, 16, 64}, 200_000, 20, 2);
        for (int k : new int[] {1, 4, 16, 64}) {
            SumBound.Estimate e = r.find("normal", SumBound.STANDARDISED, k);
            // bin averages of phi over the outermost and central bins of width 0.1
            covers(Stats.normalPdf(0.95), e.clLo(), e.clHi() + 0.01, "c_l k=" + k);
            covers(Stats.normalPdf(0.05), e.cuLo() - 0.01, e.cuHi(), "c_u k=" + k);
            assertEquals(Stats.normalPdf(0.95), e.cl(), 0.02, "c_l k=" + k);
            assertEquals(Stats.normalPdf(0.05), e.cu(), 0.02, "c_u k=" + k);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        assertEquals(
                run("product", new int[] {1, 2}, 20_000, 10, 1).estimates(),
                run("product", new int[] {1, 2}, 20_000, 10, 2).estimates());
    }

    @Test
    void kaimingIsScaleFreeInTheStandardisedForm() {
        SumBound.Result r = run("kaiming-uniform", new int[] {1}, 100_000, 10, 2);
        SumBound.Estimate e = r.overall("kaiming-uniform(fan_in=784)", SumBound.STANDARDISED);
        assertEquals(1 / (2 * Math.sqrt(3)), e.cl(), 0.015);
        // paper form: sigma = sqrt(2/784) = 0.05, so [-1, 1] reaches 20 sd out where there is no
        // mass
        assertEquals(0, r.overall("kaiming-uniform(fan_in=784)", SumBound.PAPER).cl(), 0.0);
    }

    @Test
    void statsHelpers() {
        assertEquals(1.959964, Stats.normalQuantile(0.975), 1e-5);
        assertEquals(Math.log(252) / Math.log(2), Stats.log2Binomial(10, 5), 1e-9);
        assertEquals(1, org.sltk.rfss.RfssTheory.binaryEntropy(0.5), 1e-12);
        double[] w = Stats.wilson(0, 100, 1.96);
        assertEquals(0, w[0], 0);
        assertTrue(w[1] > 0.03 && w[1] < 0.04);
    }
}
