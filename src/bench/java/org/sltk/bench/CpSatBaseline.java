package org.sltk.bench;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import org.sltk.rfss.RfssBatch;
import org.sltk.rfss.RfssSolution;

/**
 * OR-Tools CP-SAT as the RFSS baseline, modelled as {@code /work/shared/docs/baselines.md} found
 * fastest: n Boolean variables, {@code sum(x) == k}, candidates and target scaled to integers by S,
 * and minimise e subject to {@code e >= s - w} and {@code e >= w - s} with {@code s = sum(c_j x_j)}
 * (no absolute value on the linear expression, which makes presolve enumerate every reachable sum).
 * Compiled only with the Maven profile {@code bench}.
 */
public final class CpSatBaseline implements BaselineSolver {

    private final double loadSeconds;

    /** Loads the native library once (its time is reported, never counted in a solve). */
    public CpSatBaseline() {
        long t = System.nanoTime();
        Loader.loadNativeLibraries();
        loadSeconds = (System.nanoTime() - t) / 1e9;
    }

    @Override
    public String name() {
        String v = CpModel.class.getPackage().getImplementationVersion();
        return "OR-Tools CP-SAT " + (v != null ? v : "9.15.6755");
    }

    @Override
    public double loadSeconds() {
        return loadSeconds;
    }

    @Override
    public Result solve(RfssBatch batch, double scale, int workers, double timeLimitSeconds) {
        int n = batch.n();
        int k = batch.k();
        int size = batch.size();
        int[] idx = new int[size * k];
        boolean[] proven = new boolean[size];
        boolean[] found = new boolean[size];
        for (int i = 0; i < size; i++) {
            CpModel model = new CpModel();
            BoolVar[] x = new BoolVar[n];
            long[] c = new long[n];
            long range = 0;
            for (int j = 0; j < n; j++) {
                x[j] = model.newBoolVar("x" + j);
                c[j] = Math.round(batch.candidate(i, j) * scale);
                range += Math.abs(c[j]);
            }
            long w = Math.round(batch.target(i) * scale);
            model.addEquality(LinearExpr.sum(x), k);
            IntVar e = model.newIntVar(0, range + Math.abs(w), "e");
            // e >= s - w  <=>  s - e <= w ;  e >= w - s  <=>  s + e >= w
            model.addLessOrEqual(LinearExpr.newBuilder().addWeightedSum(x, c).addTerm(e, -1), w);
            model.addGreaterOrEqual(LinearExpr.newBuilder().addWeightedSum(x, c).add(e), w);
            model.minimize(e);
            CpSolver solver = new CpSolver();
            solver.getParameters()
                    .setNumWorkers(workers)
                    .setMaxTimeInSeconds(timeLimitSeconds)
                    .setLogSearchProgress(false);
            CpSolverStatus status = solver.solve(model);
            proven[i] = status == CpSolverStatus.OPTIMAL;
            found[i] = proven[i] || status == CpSolverStatus.FEASIBLE;
            int r = 0;
            for (int j = 0; j < n && found[i]; j++) {
                if (solver.booleanValue(x[j])) {
                    idx[i * k + r++] = j;
                }
            }
            if (!found[i] || r != k) {
                found[i] = false;
                for (int t = 0; t < k; t++) {
                    idx[i * k + t] = t;
                }
            }
        }
        return new Result(RfssSolution.of(batch, idx), proven, found);
    }
}
