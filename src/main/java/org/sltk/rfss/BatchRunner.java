package org.sltk.rfss;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a per-instance computation over a batch on a few threads, so that the result of every
 * instance is independent of the thread count and of scheduling (each instance is solved alone,
 * into its own slots of the output).
 *
 * <p>Threads come from one process-wide pool of daemon threads, reused across calls (no pool is
 * created per call); the calling thread works too. Each worker allocates its scratch once per call
 * and then claims contiguous ranges of instances from a shared counter: a few ranges per thread, so
 * that a thread slowed down by other load leaves the rest to the others, and each range large
 * enough that the counter and the output's cache lines are touched by another thread only at range
 * boundaries.
 */
final class BatchRunner {

    /** The most worker threads one call uses. */
    static final int MAX_POOL = 1 << 10;

    /** Ranges per thread: enough to balance uneven instances and shared cores. */
    static final int RANGES_PER_THREAD = 8;

    /** The fewest instances in one range (below it, threads only contend). */
    static final int MIN_RANGE = 16;

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** The shared worker threads: created on demand, kept a minute when idle, never blocking. */
    private static final ExecutorService POOL =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "sltk-rfss-" + THREAD_IDS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });

    private BatchRunner() {}

    /**
     * Processes the instances {@code [from, to)} with one worker's scratch.
     *
     * @param <S> the scratch type
     */
    @FunctionalInterface
    interface RangeBody<S> {
        void run(S scratch, int from, int to);
    }

    /**
     * Returns the range size for {@code size} instances on {@code threads} threads.
     *
     * @param size instances
     * @param threads threads, at least 1
     * @return instances per range
     */
    static int rangeSize(int size, int threads) {
        if (threads <= 1) {
            return Math.max(1, size);
        }
        long parts = (long) threads * RANGES_PER_THREAD;
        return (int) Math.max(MIN_RANGE, (size + parts - 1) / parts);
    }

    /**
     * Runs {@code body} over all {@code size} instances.
     *
     * @param <S> the scratch type
     * @param size the number of instances
     * @param threads worker threads; 1 runs in the calling thread
     * @param scratch makes one worker's scratch (called at most once per worker and call, and only
     *     by a worker that gets a range)
     * @param body the work of one range; must write only the results of its own instances
     */
    static <S> void run(int size, int threads, Supplier<S> scratch, RangeBody<S> body) {
        if (size <= 0) {
            return;
        }
        int range = rangeSize(size, threads);
        int ranges = (int) (((long) size + range - 1) / range);
        int workers = Math.min(Math.min(threads, ranges), MAX_POOL);
        if (workers <= 1) {
            body.run(scratch.get(), 0, size);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable work =
                () -> {
                    S s = null;
                    for (int r = next.getAndIncrement(); r < ranges; r = next.getAndIncrement()) {
                        if (s == null) {
                            s = scratch.get();
                        }
                        int from = r * range;
                        body.run(s, from, Math.min(size, from + range));
                    }
                };
        List<Future<?>> helpers = new ArrayList<>(workers - 1);
        Throwable failure = null;
        try {
            for (int t = 1; t < workers; t++) {
                helpers.add(POOL.submit(work));
            }
            work.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(ranges); // the helpers stop at their next claim
        }
        boolean interrupted = false;
        for (Future<?> f : helpers) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the helpers write into our output: wait for them
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
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
