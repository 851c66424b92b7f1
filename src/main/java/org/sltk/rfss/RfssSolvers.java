package org.sltk.rfss;

import ai.djl.Device;
import java.util.Locale;
import org.sltk.util.InputException;

/** The solvers by the names the command line uses, and what each can reach. */
public final class RfssSolvers {

    /** The names, in the order help texts list them. */
    public static final String NAMES = "auto, mitm, tensor, swap or brute";

    private RfssSolvers() {}

    /**
     * Returns the solver for a name.
     *
     * @param name {@code auto} (exact: enumeration or meet in the middle, whichever was measured
     *     faster for the shape, {@link AutoRfssSolver}; on a GPU the tensor solver there wherever
     *     it reaches), {@code mitm} (exact meet in the middle), {@code tensor} (exact, DJL tensors
     *     on the device), {@code swap} (heuristic) or {@code brute} (exact enumeration)
     * @param threads worker threads of the CPU solvers
     * @param device the device of the tensor solver
     * @return the solver
     * @throws InputException for an unknown name
     */
    public static RfssSolver create(String name, int threads, Device device) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "auto":
                // on a GPU the pruning runs where the tensors live
                return device != null && device.isGpu()
                        ? new DeviceAutoSolver(device, threads)
                        : new AutoRfssSolver(threads);
            case "mitm":
                return new MeetInTheMiddleSolver(threads);
            case "tensor":
                return new ExhaustiveTensorSolver(device);
            case "swap":
                return new SwapSearchSolver(threads, true);
            case "brute":
                return new BruteForceSolver(threads);
            default:
                throw InputException.forField(
                        "solver", "{solver}: unknown solver '" + name + "'; use " + NAMES);
        }
    }

    /**
     * Checks that a solver can handle blocks of shape (n, k) ({@link RfssSolver#supports}).
     *
     * @param solver the solver
     * @param n candidates per block
     * @param k kept per block
     * @throws InputException naming {@code n} and the fix when it cannot
     */
    public static void checkReach(RfssSolver solver, int n, int k) {
        if (!solver.supports(n, k)) {
            throw InputException.forField(
                    "n",
                    "{n}: "
                            + beyondReach(solver, n, k)
                            + "; use a smaller n or {solver} "
                            + alternative(solver, n, k));
        }
    }

    /**
     * Says that (n, k) is beyond a solver's reach, in words for a message.
     *
     * @param solver the solver
     * @param n candidates per block
     * @param k kept per block
     * @return e.g. {@code (n, k) = (40, 10) is beyond the tensor solver's reach (C(n, k) <=
     *     2000000)}
     */
    public static String beyondReach(RfssSolver solver, int n, int k) {
        return "(n, k) = ("
                + n
                + ", "
                + k
                + ") is beyond the "
                + describe(solver)
                + "'s reach ("
                + solver.reach()
                + ")";
    }

    /**
     * Returns the name of another solver that handles (n, k): the exact ones first (auto, mitm,
     * tensor, brute), else {@code swap}.
     *
     * @param solver the solver that does not
     * @param n candidates per block
     * @param k kept per block
     * @return a solver name for {@code --solver}
     */
    public static String alternative(RfssSolver solver, int n, int k) {
        for (String name : new String[] {"auto", "mitm", "tensor", "brute"}) {
            if (!name.equals(solver.name()) && create(name, 1, Device.cpu()).supports(n, k)) {
                return name;
            }
        }
        return "swap";
    }

    /**
     * Names a solver in words, for messages.
     *
     * @param solver the solver
     * @return e.g. {@code meet-in-the-middle solver}
     */
    public static String describe(RfssSolver solver) {
        String name = solver.name();
        switch (name) {
            case "mitm":
                return "meet-in-the-middle solver";
            case "brute":
                return "brute-force solver";
            case "swap":
                return "swap heuristic";
            default:
                return name + " solver";
        }
    }
}
