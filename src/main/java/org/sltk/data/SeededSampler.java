package org.sltk.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Iterator;
import java.util.stream.LongStream;
import org.sltk.util.CounterRandom;

/**
 * A DJL sampler that visits a dataset in a seeded random order, a new order each epoch: epoch e
 * (the e-th call of {@link #sample}) is a Fisher-Yates permutation drawn from stream e of sltk's
 * counter-based generator, so the same seed gives the same batches on every machine.
 */
public final class SeededSampler implements Sampler.SubSampler {

    private final CounterRandom rng;
    private int epoch;

    /**
     * Creates a sampler.
     *
     * @param seed the seed of the orders
     */
    public SeededSampler(long seed) {
        this.rng = new CounterRandom(seed);
    }

    @Override
    public synchronized Iterator<Long> sample(RandomAccessDataset dataset) {
        int n = Math.toIntExact(dataset.size());
        return LongStream.of(permutation(n, ++epoch)).iterator();
    }

    /**
     * Returns the order of one epoch.
     *
     * @param n the dataset size
     * @param epoch the epoch, from 1
     * @return a permutation of [0, n)
     */
    public long[] permutation(int n, int epoch) {
        return java.util.Arrays.stream(permutation(rng, n, epoch)).asLongStream().toArray();
    }

    /**
     * Returns a Fisher-Yates permutation of [0, n) drawn from stream {@code epoch} of a generator:
     * the order of one epoch, shared by this sampler and sltk's trainers.
     *
     * @param rng the generator
     * @param n the size
     * @param epoch the stream
     * @return the permutation
     */
    public static int[] permutation(CounterRandom rng, int n, int epoch) {
        return rng.permutation(n, epoch);
    }
}
