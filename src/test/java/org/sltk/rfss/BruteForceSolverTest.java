package org.sltk.rfss;

class BruteForceSolverTest extends ExactRfssSolverTest {

    @Override
    RfssSolver createSolver(int threads) {
        return new BruteForceSolver(threads);
    }
}
