package org.sltk.bench;

/** Finds the benchmark-only baseline solver on the class path, or says why it is absent. */
public final class Baselines {

    /** The CP-SAT baseline, compiled from {@code src/bench/java} with {@code -Pbench}. */
    public static final String CP_SAT_CLASS = "org.sltk.bench.CpSatBaseline";

    /** How to get the baseline. */
    public static final String HOW_TO_ENABLE =
            "build with the bench profile to enable it: mvn -q -Pbench -DskipTests package"
                    + " (OR-Tools goes to target/bench-lib, which ./sltk adds to the class path)";

    private Baselines() {}

    /**
     * The outcome of looking for a baseline.
     *
     * @param solver the solver, or null when absent
     * @param reason why it is absent, or null
     */
    public record Loaded(BaselineSolver solver, String reason) {

        /**
         * Tells whether the baseline can run.
         *
         * @return true if a solver was loaded
         */
        public boolean available() {
            return solver != null;
        }
    }

    /**
     * Loads a baseline class reflectively (its constructor loads the native library).
     *
     * @param className the class, normally {@link #CP_SAT_CLASS}
     * @return the solver, or the reason it is not available; never throws
     */
    public static Loaded load(String className) {
        try {
            Class<?> c = Class.forName(className);
            Object o = c.getDeclaredConstructor().newInstance();
            return new Loaded((BaselineSolver) o, null);
        } catch (ClassNotFoundException e) {
            return new Loaded(
                    null, "CP-SAT baseline not compiled into this build; " + HOW_TO_ENABLE);
        } catch (LinkageError e) {
            return new Loaded(
                    null,
                    "OR-Tools missing from the class path or its native library failed to load ("
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage()
                            + "); "
                            + HOW_TO_ENABLE);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable t = e.getCause() != null ? e.getCause() : e;
            return new Loaded(
                    null, "CP-SAT baseline failed to start (" + t + "); " + HOW_TO_ENABLE);
        }
    }
}
