package org.sltk;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine that the build itself does not bring (an installed data set,
 * Python's torch, a built JNI bridge). Where it is missing, the test is skipped with the reason
 * printed on a developer's machine, and fails under CI ({@code CI=true}, as {@code scripts/test.sh}
 * reads it), where the test command installs everything and no test may be skipped.
 */
public final class TestRequirements {

    /** What {@link #require} does with a requirement. */
    enum Outcome {
        /** The requirement is met: the test goes on. */
        RUN,
        /** Not met on a developer's machine: the test is aborted (reported as skipped). */
        SKIP,
        /** Not met under CI: the test fails. */
        FAIL
    }

    private TestRequirements() {}

    /**
     * Goes on when {@code met}; otherwise aborts the test with {@code why}, or fails it when the
     * environment variable {@code CI} is {@code true}.
     *
     * @param met whether the requirement is met
     * @param why what is missing and how to install it
     */
    public static void require(boolean met, String why) {
        require(met, why, System.getenv("CI"));
    }

    /**
     * The decision of {@link #require}.
     *
     * @param met whether the requirement is met
     * @param ci the value of the environment variable {@code CI}, or null
     * @return what to do
     */
    static Outcome decide(boolean met, String ci) {
        if (met) {
            return Outcome.RUN;
        }
        return "true".equals(ci) ? Outcome.FAIL : Outcome.SKIP;
    }

    /** {@link #require(boolean, String)} with the value of {@code CI} given. */
    static void require(boolean met, String why, String ci) {
        switch (decide(met, ci)) {
            case RUN -> {}
            case FAIL ->
                    Assertions.fail(
                            "CI=true, where no test may be skipped, and "
                                    + caller()
                                    + " cannot run: "
                                    + why);
            case SKIP -> {
                System.err.println("skipping " + caller() + ": " + why);
                Assumptions.abort(why);
            }
            default -> throw new IllegalStateException();
        }
    }

    /** The test method that called {@link #require}, as Class.method. */
    private static String caller() {
        return StackWalker.getInstance()
                .walk(
                        s ->
                                s.filter(
                                                f ->
                                                        !f.getClassName()
                                                                .equals(
                                                                        TestRequirements.class
                                                                                .getName()))
                                        .findFirst()
                                        .map(
                                                f ->
                                                        f.getClassName()
                                                                        .substring(
                                                                                f.getClassName()
                                                                                                .lastIndexOf(
                                                                                                        '.')
                                                                                        + 1)
                                                                + "."
                                                                + f.getMethodName())
                                        .orElse("the test"));
    }
}
