package org.sltk.rfss;

import ai.djl.Device;
import java.util.Locale;
import org.sltk.util.InputException;

/** The solvers by the names the command line uses, and what each can reach. */
public final class RfssSolvers {

    /** The names, in the order help texts list them. */
    public static final String NAMES = "mitm, tensor, swap or brute";

    /** The largest C(n, k) the plain enumeration is offered for. */
    public static final double BRUTE_LIMIT = 2e7;

    private RfssSolvers() {}

    /**
     * Returns the solver for a name.
     *
     * @param name {@code mitm} (exact meet in the middle), {@code tensor} (exact, DJL tensors on
     *     the device), {@code swap} (heuristic) or {@code brute} (exact enumeration)
     * @param threads worker threads of the CPU solvers
     * @param device the device of the tensor solver
     * @return the solver
     * @throws InputException for an unknown name
     */
    public static RfssSolver create(String name, int threads, Device device) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mitm":
                return new MeetInTheMiddleSolver(threads);
            case "tensor":
                return new ExhaustiveTensorSolver(device);
            case "swap":
                return new SwapSearchSolver(threads, true);
            case "brute":
                return new BruteForceSolver(threads);
            default:
                throw new InputException("--solver: unknown solver '" + name + "'; use " + NAMES);
        }
    }

    /**
     * Checks that a solver can handle blocks of shape (n, k).
     *
     * @param name the solver name
     * @param n candidates per block
     * @param k kept per block
     * @throws InputException naming the flag and the fix when it cannot
     */
    public static void checkReach(String name, int n, int k) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mitm":
                if (!MeetInTheMiddleSolver.fits(n, k)) {
                    throw new InputException("--n: (n, k) = (" + n + ", " + k
                            + ") is beyond the meet-in-the-middle solver's reach; use a smaller n or --solver swap");
                }
                break;
            case "tensor":
                if (!ExhaustiveTensorSolver.fits(n, k)) {
                    throw new InputException("--n: C(" + n + ", " + k + ") is above the tensor solver's limit of "
                            + ExhaustiveTensorSolver.MAX_SUBSETS + " subsets; use --solver mitm");
                }
                break;
            case "brute":
                if (RfssTheory.binom(n, k) > BRUTE_LIMIT) {
                    throw new InputException("--n: C(" + n + ", " + k
                            + ") is above the brute-force limit of 2e7 subsets; use --solver mitm");
                }
                break;
            default:
                break;
        }
    }
}
