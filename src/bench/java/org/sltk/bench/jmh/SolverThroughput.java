package org.sltk.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sltk.rfss.AutoRfssSolver;
import org.sltk.rfss.BruteForceSolver;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.rfss.RfssBatch;
import org.sltk.rfss.RfssInstances;
import org.sltk.rfss.RfssSolution;
import org.sltk.rfss.RfssSolver;

/**
 * JMH harness for RFSS solver throughput (issue 19): one seeded batch of {@value #BATCH} instances
 * per (n, k) (candidates a*b with a, b ~ U[-1, 1), targets U[-1, 1), seed 1, as {@code sltk
 * rfss-speed}), solved whole per invocation; scores are instances per second (one operation is one
 * instance). Benchmark-only: compiled under {@code mvn -Pbench} alone, never by the default build
 * or the tests.
 *
 * <pre>
 * mvn -q -Pbench -DskipTests package
 * java -cp 'target/sltk.jar:target/bench-lib/*' org.openjdk.jmh.Main SolverThroughput \
 *     -p shape=20:5,32:8 -p solver=auto -p threads=1,2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class SolverThroughput {

    /** Instances per batch (one invocation solves them all). */
    public static final int BATCH = 512;

    /** The block shape, {@code n:k}. */
    @Param({"16:4", "20:5", "24:6", "20:10", "30:3", "32:8"})
    public String shape;

    /** The solver: auto (the default dispatcher), mitm, brute. */
    @Param({"auto"})
    public String solver;

    /** Worker threads of the solver. */
    @Param({"1", "2"})
    public int threads;

    /** The accuracy passed to the solver (0: the optimum). */
    @Param({"0"})
    public double eps;

    private RfssBatch batch;
    private RfssSolver s;

    /** Draws the batch and makes the solver. */
    @Setup
    public void setup() {
        String[] nk = shape.split(":");
        int n = Integer.parseInt(nk[0]);
        int k = Integer.parseInt(nk[1]);
        batch =
                RfssInstances.random(
                        1, n * 100L + k, BATCH, n, k, RfssInstances.Distribution.PRODUCT);
        switch (solver) {
            case "auto":
                s = new AutoRfssSolver(threads);
                break;
            case "mitm":
                s = new MeetInTheMiddleSolver(threads);
                break;
            case "brute":
                s = new BruteForceSolver(threads);
                break;
            default:
                throw new IllegalArgumentException("solver: " + solver + " is not auto|mitm|brute");
        }
        if (!s.supports(n, k)) {
            throw new IllegalArgumentException(solver + " does not support (" + n + ", " + k + ")");
        }
    }

    /**
     * Solves the whole batch.
     *
     * @return the solution (consumed by JMH)
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public RfssSolution solve() {
        return s.solve(batch, eps);
    }
}
