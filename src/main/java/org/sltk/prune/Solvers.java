package org.sltk.prune;

import java.util.Locale;
import org.sltk.rfss.BruteForceSolver;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.rfss.RfssSolver;
import org.sltk.util.InputException;

/** Creates the RFSS solver a run names. */
public final class Solvers {

    private Solvers() {}

    /**
     * Returns the solver for a name.
     *
     * @param name {@code mitm} (exact, default) or {@code brute} (exact, small n)
     * @param device the device for tensor solvers
     * @return the solver
     */
    public static RfssSolver create(String name, ai.djl.Device device) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mitm":
                return new MeetInTheMiddleSolver();
            case "brute":
                return new BruteForceSolver();
            default:
                throw new InputException("--solver: unknown solver '" + name + "'; use mitm or brute");
        }
    }
}
