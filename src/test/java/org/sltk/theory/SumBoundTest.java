package org.sltk.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The sum-bounded estimates against densities known in closed form. */
class SumBoundTest {

    private static SumBound.Result run(String dist, int[] ks, long samples, int bins, int threads) {
        return SumBound.run(new SumBound.Config(List.of(SumDistribution.parse(dist, 784)), ks, samples, bins, 0.05, 7,
                threads));
    }

    private static void covers(double value, double lo, double hi, String what) {
        assertTrue(lo <= value && value <= hi, what + ": " + value + " not in [" + lo + ", " + hi + "]");
    }

    @Test
    void uniformWithOneSummandIsFlat() {
        SumBound.Result r = run("uniform", new int[] {1}, 400_000, 20, 2);
        // raw: Uniform[-1,1] has density exactly 1/2 on the whole range [-1, 1]
        SumBound.Estimate raw = r.overall("uniform", SumBound.RAW);
        covers(0.5, raw.clLo(), raw.cuHi(), "raw");
        covers(0.5, raw.cuLo(), raw.clHi(), "raw, flat");
        assertEquals(0.5, raw.cl(), 0.02);
        assertEquals(0.5, raw.cu(), 0.02);
        // standardised: S/sigma is uniform on [-sqrt 3, sqrt 3], density 1/(2 sqrt 3) = 0.2887 on |u| <= 1
        double flat = 1 / (2 * Math.sqrt(3));
        SumBound.Estimate std = r.overall("uniform", SumBound.STANDARDISED);
        covers(flat, std.cuLo(), std.clHi(), "standardised");
        assertEquals(flat, std.cl(), 0.012);
        assertEquals(flat, std.cu(), 0.012);
    }

    @Test
    void productHasALogSingularityAtZero() {
        SumBound.Result r = run("product", new int[] {1}, 400_000, 20, 2);
        SumBound.Estimate std = r.overall("product", SumBound.STANDARDISED);
        // density of 3ab at u: -ln(|u|/3)/6; its average over the bin [0, h] is (1 + ln(3/h))/6
        double h = 0.1;
        double binAverage = (1 + Math.log(3 / h)) / 6; // 0.7335
        covers(binAverage, std.cuLo(), std.cuHi(), "c_u at the centre bin");
        assertTrue(std.cuLo() > 1.5 * Stats.normalPdf(0), "c_u far above the normal's 0.399: " + std.cuLo());
        assertEquals(0.05, Math.abs(std.cuAt()), 1e-9, "attained next to 0");
        // at |u| = 1 the density is ln(3)/6 = 0.183, below phi(1) = 0.242
        assertEquals(Math.log(3) / 6, std.cl(), 0.015);
        // raw: the density -ln|z|/2 vanishes at the edge of the support, so c_l is about h/4
        SumBound.Estimate raw = r.overall("product", SumBound.RAW);
        assertTrue(raw.cl() < 0.05, "raw c_l at the support's edge: " + raw.cl());
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
        assertEquals(run("product", new int[] {1, 2}, 20_000, 10, 1).estimates(),
                run("product", new int[] {1, 2}, 20_000, 10, 2).estimates());
    }

    @Test
    void kaimingIsScaleFreeInTheStandardisedForm() {
        SumBound.Result r = run("kaiming-uniform", new int[] {1}, 100_000, 10, 2);
        SumBound.Estimate e = r.overall("kaiming-uniform(fan_in=784)", SumBound.STANDARDISED);
        assertEquals(1 / (2 * Math.sqrt(3)), e.cl(), 0.015);
        // raw: sigma = sqrt(2/784) = 0.05, so [-1, 1] reaches 20 sd out where there is no mass
        assertEquals(0, r.overall("kaiming-uniform(fan_in=784)", SumBound.RAW).cl(), 0.0);
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
