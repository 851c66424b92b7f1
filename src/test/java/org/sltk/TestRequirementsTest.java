package org.sltk;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing requirement skips a test on a developer's machine and fails it under CI=true. */
class TestRequirementsTest {

    @Test
    void decision() {
        assertEquals(TestRequirements.Outcome.RUN, TestRequirements.decide(true, "true"));
        assertEquals(TestRequirements.Outcome.RUN, TestRequirements.decide(true, null));
        assertEquals(TestRequirements.Outcome.FAIL, TestRequirements.decide(false, "true"));
        assertEquals(TestRequirements.Outcome.SKIP, TestRequirements.decide(false, null));
        assertEquals(TestRequirements.Outcome.SKIP, TestRequirements.decide(false, "false"));
        assertEquals(TestRequirements.Outcome.SKIP, TestRequirements.decide(false, ""));
    }

    @Test
    void underCiAMissingRequirementFailsTheTest() {
        AssertionFailedError e =
                assertThrows(
                        AssertionFailedError.class,
                        () -> TestRequirements.require(false, "datasets/x not installed", "true"));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "CI=true, where no test may be skipped, and TestRequirementsTest."),
                e.getMessage());
        assertTrue(
                e.getMessage().endsWith(" cannot run: datasets/x not installed"), e.getMessage());
    }

    @Test
    void elsewhereAMissingRequirementSkipsTheTest() {
        TestAbortedException e =
                assertThrows(
                        TestAbortedException.class,
                        () -> TestRequirements.require(false, "datasets/x not installed", null));
        assertTrue(e.getMessage().contains("datasets/x not installed"), e.getMessage());
        assertThrows(TestAbortedException.class, () -> TestRequirements.require(false, "why", "1"));
    }

    @Test
    void aMetRequirementLetsTheTestRun() {
        assertDoesNotThrow(() -> TestRequirements.require(true, "unused", "true"));
        assertDoesNotThrow(() -> TestRequirements.require(true, "unused", null));
    }
}
