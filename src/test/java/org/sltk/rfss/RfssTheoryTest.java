package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RfssTheoryTest {

    @Test
    void binomialsAndFloors() {
        assertEquals(15504, RfssTheory.binom(20, 5), 0);
        assertEquals(10518300, RfssTheory.binom(32, 8), 0);
        assertEquals(1, RfssTheory.binom(7, 0), 0);
        assertEquals(0, RfssTheory.binom(3, 4), 0);
        assertEquals(1.8326241e18, RfssTheory.binom(64, 32), 1e11);
        assertEquals(1.0 / 15504, RfssTheory.informationFloor(20, 5, 2), 0);
        assertEquals(2.0 / (2 * 1820), RfssTheory.informationFloor(16, 4, 2), 0);
        for (int n = 1; n <= 30; n++) {
            for (int k = 0; k <= n; k++) {
                assertEquals(
                        (double) Subsets.count(n, k),
                        RfssTheory.binom(n, k),
                        0,
                        "C(" + n + "," + k + ")");
            }
        }
    }

    @Test
    void entropy() {
        assertEquals(1.0, RfssTheory.binaryEntropy(0.5), 1e-15);
        assertEquals(0.0, RfssTheory.binaryEntropy(1.0), 0);
        assertEquals(0.8112781244591328, RfssTheory.binaryEntropy(0.25), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> RfssTheory.binaryEntropy(1.5));
    }

    @Test
    void smallestNByFloorMatchesADirectCheck() {
        for (double density : new double[] {0.5, 0.25, 0.1, 0.2}) {
            for (double eps : new double[] {1e-2, 1e-3, 1e-4, 1e-6}) {
                int n = RfssTheory.smallestNByFloor(density, eps, 2);
                int k = (int) Math.round(density * n);
                String at = "density=" + density + ", eps=" + eps + ", n=" + n;
                assertEquals(density, (double) k / n, 1e-12, at);
                assertTrue(RfssTheory.binom(n, k) >= 1 / eps, at);
                for (int m = 1; m < n; m++) {
                    int km = (int) Math.round(density * m);
                    boolean exact = km >= 1 && Math.abs(density * m - km) < 1e-9;
                    assertTrue(
                            !exact || RfssTheory.binom(m, km) < 1 / eps,
                            at + ": smaller n=" + m + " works");
                }
            }
        }
        // (n, k) = (20, 5) has 15,504 subsets: the floor 1e-4 needs C >= 10,000
        assertEquals(20, RfssTheory.smallestNByFloor(0.25, 1e-4, 2));
    }

    @Test
    void sufficientAndDefaultN() {
        int n = RfssTheory.sufficientN(0.25, 1e-3, 1);
        int k = Math.max(1, (int) Math.round(0.25 * n));
        assertTrue(n >= Math.log(k / 1e-3) / Math.log(2) / RfssTheory.binaryEntropy(0.25));
        int d = RfssTheory.defaultN(0.25, 1e-3);
        assertEquals(0, d % 4);
        assertTrue(RfssTheory.binom(d, d / 4) >= 10e3);
        assertEquals(
                24, RfssTheory.defaultN(0.25, 1e-3)); // n >= 24 and C(24,6) = 134,596 >= 10,000
        assertEquals(24, RfssTheory.defaultN(0.25, 1e-2)); // the lower limit 24
        assertEquals(
                40, RfssTheory.defaultN(0.1, 1e-3)); // C(30,3) = 4,060 < 10,000 <= C(40,4) = 91,390
        assertEquals(24, RfssTheory.defaultN(0.5, 1e-3));
        assertThrows(
                IllegalArgumentException.class,
                () -> RfssTheory.defaultN(0.5, 1e-30)); // no n <= 64
    }
}
