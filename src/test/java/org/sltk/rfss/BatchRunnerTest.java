package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class BatchRunnerTest {

    @Test
    void everyInstanceOnceAndScratchOncePerWorker() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            for (int size : new int[] {1, 15, 16, 17, 100, 1000, 12345}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(size);
                AtomicInteger scratches = new AtomicInteger();
                Set<Thread> workers = ConcurrentHashMap.newKeySet();
                BatchRunner.run(
                        size,
                        threads,
                        () -> {
                            scratches.incrementAndGet();
                            return new int[1];
                        },
                        (s, from, to) -> {
                            assertTrue(
                                    from < to && to - from <= BatchRunner.rangeSize(size, threads));
                            workers.add(Thread.currentThread());
                            for (int i = from; i < to; i++) {
                                seen.incrementAndGet(i);
                            }
                        });
                for (int i = 0; i < size; i++) {
                    assertEquals(1, seen.get(i), "instance " + i + ", threads " + threads);
                }
                assertTrue(scratches.get() <= threads, scratches + " scratches");
                assertEquals(workers.size(), scratches.get(), "one scratch per working thread");
            }
        }
    }

    @Test
    void rangesAreLargeAndFewPerThread() {
        assertEquals(1000, BatchRunner.rangeSize(1000, 1));
        assertEquals(BatchRunner.MIN_RANGE, BatchRunner.rangeSize(100, 2));
        int r = BatchRunner.rangeSize(235_500, 2);
        assertEquals((235_500 + 15) / 16, r); // 8 ranges per thread
    }

    @Test
    void poolThreadsAreReusedAcrossCalls() {
        Set<Thread> all = ConcurrentHashMap.newKeySet();
        for (int call = 0; call < 200; call++) {
            BatchRunner.run(
                    64,
                    2,
                    () -> null,
                    (s, from, to) -> {
                        all.add(Thread.currentThread());
                        try {
                            Thread.sleep(0, 100_000); // lets the helper claim a range
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
        }
        // a new pool (or thread) per call would leave hundreds of distinct threads
        assertTrue(all.size() <= 8, all.size() + " distinct threads over 200 calls");
        assertTrue(all.size() >= 2, "the second thread never worked");
    }

    @Test
    void failuresReachTheCaller() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                BatchRunner.run(
                                        10_000,
                                        2,
                                        () -> null,
                                        (s, from, to) -> {
                                            if (from <= 5000 && 5000 < to) {
                                                throw boom;
                                            }
                                        }));
        assertSame(boom, e);
    }

    @Test
    void solversGiveTheSameSubsetsOnEveryThreadCount() {
        RfssBatch b = RfssInstances.random(3, 11, 700, 14, 5, RfssInstances.Distribution.PRODUCT);
        for (double eps : new double[] {0, 1e-3}) {
            int[] ref = flat(new BruteForceSolver(1).solve(b, eps), b);
            for (int t : new int[] {2, 3, 5}) {
                assertArrayEquals(ref, flat(new BruteForceSolver(t).solve(b, eps), b));
                assertArrayEquals(ref, flat(new MeetInTheMiddleSolver(t, 0).solve(b, eps), b));
                assertArrayEquals(ref, flat(new AutoRfssSolver(t).solve(b, eps), b));
            }
        }
    }

    private static int[] flat(RfssSolution s, RfssBatch b) {
        int[] f = new int[b.size() * b.k()];
        for (int i = 0; i < b.size(); i++) {
            System.arraycopy(s.subset(i), 0, f, i * b.k(), b.k());
        }
        return f;
    }
}
