package org.sltk.prune;

import ai.djl.Device;
import org.sltk.rfss.RfssSolver;
import org.sltk.rfss.RfssSolvers;

/** Creates the RFSS solver a pruning run names, with one worker thread per core. */
public final class Solvers {

    private Solvers() {}

    /**
     * Returns the solver for a name (see {@link RfssSolvers#create}).
     *
     * @param name {@code mitm} (exact, the default), {@code tensor}, {@code swap} or {@code brute}
     * @param device the device for the tensor solver
     * @return the solver
     */
    public static RfssSolver create(String name, Device device) {
        return RfssSolvers.create(name, Runtime.getRuntime().availableProcessors(), device);
    }
}
