package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.sltk.util.InputException;

/**
 * Builds the DJL block of a {@link SequentialSpec} (Conv2d, ReLU, pooling, flatten and Linear
 * blocks, inputs (batch, c, h, w)) and converts parameters to and from a {@link SequentialTarget}.
 */
public final class CnnBuilder {

    private CnnBuilder() {}

    /**
     * Builds an uninitialized block.
     *
     * @param spec the architecture
     * @return the block
     */
    public static SequentialBlock block(SequentialSpec spec) {
        SequentialBlock block = new SequentialBlock();
        for (LayerSpec l : spec.layers()) {
            switch (l.kind()) {
                case CONV2D:
                    block.add(Conv2d.builder().setKernelShape(new Shape(l.kernel(), l.kernel())).setFilters(l.out())
                            .optStride(new Shape(l.stride(), l.stride())).optPadding(new Shape(l.padding(), l.padding()))
                            .optDilation(new Shape(l.dilation(), l.dilation())).optBias(spec.bias()).build());
                    break;
                case DENSE:
                    block.add(Linear.builder().setUnits(l.out()).optBias(spec.bias()).build());
                    break;
                case RELU:
                    block.add(Activation.reluBlock());
                    break;
                case MAXPOOL:
                    block.add(Pool.maxPool2dBlock(new Shape(l.kernel(), l.kernel()), new Shape(l.kernel(), l.kernel())));
                    break;
                case AVGPOOL:
                    block.add(Pool.avgPool2dBlock(new Shape(l.kernel(), l.kernel()), new Shape(l.kernel(), l.kernel())));
                    break;
                case FLATTEN:
                    block.add(Blocks.batchFlattenBlock());
                    break;
                default:
                    throw new AssertionError(l.kind());
            }
        }
        return block;
    }

    /**
     * Returns the shape the block is initialized with: (1, c, h, w).
     *
     * @param spec the architecture
     * @param batch the batch size
     * @return the input shape
     */
    public static Shape inputShape(SequentialSpec spec, long batch) {
        int[] s = spec.inputShape();
        return new Shape(batch, s[0], s[1], s[2]);
    }

    /**
     * Builds a block holding the target's parameters, initialized.
     *
     * @param target the target
     * @param manager the owner of the parameters
     * @return the block
     */
    public static SequentialBlock toBlock(SequentialTarget target, NDManager manager) {
        SequentialBlock block = block(target.spec());
        setParameters(block, target, manager);
        block.initialize(manager, DataType.FLOAT32, inputShape(target.spec(), 1));
        return block;
    }

    /**
     * Sets an uninitialized block's parameters to copies of the target's.
     *
     * @param block a block from {@link #block}
     * @param target the parameters
     * @param manager the owner of the arrays
     */
    public static void setParameters(SequentialBlock block, SequentialTarget target, NDManager manager) {
        List<Block> ps = parametric(block);
        if (ps.size() != target.parametricCount()) {
            throw new IllegalArgumentException("block has " + ps.size() + " conv/dense layers, target " + target.parametricCount());
        }
        for (int p = 0; p < ps.size(); p++) {
            LayerSpec l = target.layer(p);
            Parameter w = ps.get(p).getParameters().get("weight");
            Parameter b = ps.get(p).getParameters().get("bias");
            Shape ws = l.kind() == LayerSpec.Kind.CONV2D
                    ? new Shape(l.out(), l.in(), l.kernel(), l.kernel())
                    : new Shape(l.out(), l.in());
            w.setArray(manager.create(target.weights(p), ws));
            if (b != null) {
                b.setArray(manager.create(target.biases(p), new Shape(l.out())));
            }
        }
    }

    /**
     * Copies an initialized block's parameters into a target, checking shapes and finiteness.
     *
     * @param block the block
     * @param spec its architecture
     * @param source how messages name the origin
     * @return the target
     */
    public static SequentialTarget toTarget(Block block, SequentialSpec spec, String source) {
        List<Block> ps = parametric(block);
        int[] idx = spec.parametricIndices();
        if (ps.size() != idx.length) {
            throw new InputException(source + ": " + ps.size() + " conv/dense layers, expected " + idx.length);
        }
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int p = 0; p < ps.size(); p++) {
            LayerSpec l = spec.layers().get(idx[p]);
            NDArray wa = ps.get(p).getParameters().get("weight").getArray();
            Shape want = l.kind() == LayerSpec.Kind.CONV2D
                    ? new Shape(l.out(), l.in(), l.kernel(), l.kernel())
                    : new Shape(l.out(), l.in());
            if (!wa.getShape().equals(want)) {
                throw new InputException(source + ": layer " + (idx[p] + 1) + " weight has shape " + wa.getShape()
                        + ", expected " + want);
            }
            if (wa.getDataType() != DataType.FLOAT32) {
                throw new InputException(source + ": layer " + (idx[p] + 1) + " weight is " + wa.getDataType() + ", expected float32");
            }
            w.add(wa.toFloatArray());
            Parameter bp = ps.get(p).getParameters().get("bias");
            b.add(bp == null ? null : bp.getArray().toType(DataType.FLOAT32, false).toFloatArray());
        }
        return SequentialTarget.of(spec, w, spec.bias() ? b : null, source);
    }

    private static List<Block> parametric(Block block) {
        List<Block> out = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() instanceof Linear || child.getValue() instanceof Conv2d) {
                out.add(child.getValue());
            }
        }
        return out;
    }
}
