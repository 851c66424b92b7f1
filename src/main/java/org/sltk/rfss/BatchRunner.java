package org.sltk.rfss;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Runs a per-instance computation over a batch with a fixed partition into chunks, so that the
 * result of every instance is independent of the thread count and of scheduling.
 */
final class BatchRunner {

    /** The most worker threads one pool gets (below ForkJoinPool's own cap of 32767). */
    static final int MAX_POOL = 1 << 10;

    private BatchRunner() {}

    /** Processes the instances {@code [from, to)}; one call per chunk. */
    @FunctionalInterface
    interface ChunkBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} on every chunk of {@code size} instances.
     *
     * @param size the number of instances
     * @param chunk instances per chunk
     * @param threads worker threads; 1 runs in the calling thread
     * @param body the work of one chunk; must write only the results of its own instances
     */
    static void run(int size, int chunk, int threads, ChunkBody body) {
        int chunks = (size + chunk - 1) / chunk;
        if (threads <= 1 || chunks <= 1) {
            for (int c = 0; c < chunks; c++) {
                body.run(c * chunk, Math.min(size, (c + 1) * chunk));
            }
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(Math.min(Math.min(threads, chunks), MAX_POOL));
        try {
            pool.submit(
                            () ->
                                    IntStream.range(0, chunks)
                                            .parallel()
                                            .forEach(
                                                    c ->
                                                            body.run(
                                                                    c * chunk,
                                                                    Math.min(
                                                                            size,
                                                                            (c + 1) * chunk))))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw new IllegalStateException(t);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Checks a thread count.
     *
     * @param threads the count
     * @return the count
     */
    static int checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        return threads;
    }

    /**
     * Checks an accuracy.
     *
     * @param eps the accuracy
     * @return eps
     */
    static double checkEps(double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and >= 0, found " + eps);
        }
        return eps;
    }
}
