package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;

/**
 * A pruned subnetwork of a {@link RandomNetwork}: the random network with one {@link PairMask}
 * per pair. It can be run two ways that must agree: the plain pass multiplies the dense random
 * weights by boolean masks; the compact pass keeps only the used hidden units, applies the first
 * layer of a pair as a per-unit scale of one gathered input, and the second as a small dense
 * matrix of the kept weights. The masks, their digest and the compact form of a pair live in
 * {@link PairMaskedNetwork}; this class runs the passes through a dense target's layers.
 */
public final class MaskedNetwork extends PairMaskedNetwork<RandomNetwork> {

    /**
     * Creates the pruned network.
     *
     * @param random the random network
     * @param masks one mask per pair
     */
    public MaskedNetwork(RandomNetwork random, List<PairMask> masks) {
        super(random, masks);
    }

    /** Returns the random network (declared here too so compiled callers keep their signature). @return it */
    @Override
    public RandomNetwork random() {
        return super.random();
    }

    /**
     * Runs the plain masked pass: dense random weights times boolean masks, layer by layer.
     *
     * @param x inputs of shape (batch, d_0); the result lives on x's device and manager
     * @return outputs of shape (batch, d_L)
     */
    @Override
    public NDArray forwardDense(NDArray x) {
        RandomNetwork random = random();
        NDManager owner = x.getManager();
        NDArray h = x;
        try (NDManager sub = owner.newSubManager()) {
            h = x.duplicate();
            h.attach(sub);
            for (int l = 0; l < random.pairs(); l++) {
                NDArray w1 = random.firstWeights(sub, l).mul(firstMask(sub, l));
                NDArray z = h.matMul(w1.transpose());
                NDArray b1 = random.firstBiases(sub, l);
                if (b1 != null) {
                    z = z.add(b1.mul(firstBiasMask(sub, l)));
                }
                NDArray hidden = Activation.relu(z);
                NDArray w2 = random.secondWeights(sub, l).mul(secondMask(sub, l));
                h = hidden.matMul(w2.transpose());
                if (l < random.pairs() - 1) {
                    h = Activation.relu(h);
                }
            }
            h.attach(owner);
        }
        return h;
    }

    /**
     * Runs the compact pass and returns every pair's output before its ReLU (the counterpart of
     * each target layer's pre-activation).
     *
     * @param x inputs of shape (batch, d_0)
     * @return one array (batch, d_{l+1}) per pair, owned by x's manager
     */
    @Override
    public NDList forwardCompactLayers(NDArray x) {
        RandomNetwork random = random();
        NDManager owner = x.getManager();
        NDList outputs = new NDList();
        try (NDManager sub = owner.newSubManager()) {
            NDArray h = x;
            for (int l = 0; l < random.pairs(); l++) {
                CompactPair c = compactPair(l);
                NDArray in = random.hasBias()
                        ? NDArrays.concat(new NDList(h, sub.ones(new Shape(h.getShape().get(0), 1))), 1)
                        : h;
                NDArray gathered = in.get(new NDIndex(":, {}", sub.create(c.inputOf)));
                NDArray hidden = Activation.relu(gathered.mul(sub.create(c.scale)));
                NDArray z = hidden.matMul(sub.create(c.second, new Shape(c.inputOf.length, random.out(l))));
                z.attach(owner);
                outputs.add(z);
                h = l < random.pairs() - 1 ? Activation.relu(z) : z;
                if (h != z) {
                    h.attach(sub);
                }
            }
        }
        return outputs;
    }
}
