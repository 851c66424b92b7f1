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
 * Builds the DJL block of an {@link Architecture} and converts parameters to and from a {@link
 * TargetNetwork}: Conv2d, Linear, ReLU, pooling and flatten blocks in the architecture's order. For
 * an MLP (flat input) the block is a chain of Linear and ReLU blocks on inputs (batch, d);
 * otherwise inputs are (batch, c, h, w). The structure is the one of the model directories written
 * by earlier versions, so their DJL parameter files load.
 */
public final class DjlBlocks {

    private DjlBlocks() {}

    /**
     * Builds an uninitialized block.
     *
     * @param architecture the architecture
     * @return the block
     */
    public static SequentialBlock block(Architecture architecture) {
        SequentialBlock block = new SequentialBlock();
        for (Layer l : architecture.layers()) {
            if (l instanceof Layer.Conv2d c) {
                block.add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(c.kernel(), c.kernel()))
                                .setFilters(c.out())
                                .optStride(new Shape(c.stride(), c.stride()))
                                .optPadding(new Shape(c.padding(), c.padding()))
                                .optDilation(new Shape(c.dilation(), c.dilation()))
                                .optBias(c.bias())
                                .build());
            } else if (l instanceof Layer.Linear d) {
                block.add(Linear.builder().setUnits(d.out()).optBias(d.bias()).build());
            } else if (l instanceof Layer.ReLU) {
                block.add(Activation.reluBlock());
            } else if (l instanceof Layer.MaxPool2d m) {
                block.add(
                        Pool.maxPool2dBlock(
                                new Shape(m.size(), m.size()), new Shape(m.size(), m.size())));
            } else if (l instanceof Layer.AvgPool2d a) {
                block.add(
                        Pool.avgPool2dBlock(
                                new Shape(a.size(), a.size()), new Shape(a.size(), a.size())));
            } else if (l instanceof Layer.Normalize n) {
                block.add(
                        new ai.djl.nn.LambdaBlock(
                                x ->
                                        new ai.djl.ndarray.NDList(
                                                TargetNetwork.applyFixed(x.singletonOrThrow(), n)),
                                "normalize"));
            } else {
                block.add(Blocks.batchFlattenBlock());
            }
        }
        return block;
    }

    /**
     * Returns the shape of a batch of inputs: (batch, d) for a flat input, else (batch, c, h, w).
     *
     * @param architecture the architecture
     * @param batch the batch size
     * @return the input shape
     */
    public static Shape inputShape(Architecture architecture, long batch) {
        int[] s = architecture.inputShape();
        return s[1] == 1 && s[2] == 1 ? new Shape(batch, s[0]) : new Shape(batch, s[0], s[1], s[2]);
    }

    /**
     * Builds a block holding the network's parameters, initialized.
     *
     * @param network the network
     * @param manager the owner of the parameters
     * @return the block
     */
    public static SequentialBlock toBlock(TargetNetwork network, NDManager manager) {
        SequentialBlock block = block(network.architecture());
        setParameters(block, network, manager);
        block.initialize(manager, DataType.FLOAT32, inputShape(network.architecture(), 1));
        return block;
    }

    /**
     * Sets an uninitialized block's parameters to copies of the network's; a later {@code
     * initialize} (by the caller or a trainer) keeps them.
     *
     * @param block a block from {@link #block}, not initialized
     * @param network the parameters
     * @param manager the owner of the arrays
     */
    public static void setParameters(
            SequentialBlock block, TargetNetwork network, NDManager manager) {
        List<Block> ps = parametric(block);
        if (ps.size() != network.parametricCount()) {
            throw new IllegalArgumentException(
                    "block has "
                            + ps.size()
                            + " conv/dense layers, network "
                            + network.parametricCount());
        }
        for (int p = 0; p < ps.size(); p++) {
            Layer.Parametric l = network.layer(p);
            Parameter w = ps.get(p).getParameters().get("weight");
            Parameter b = ps.get(p).getParameters().get("bias");
            if (w.isInitialized()) {
                throw new IllegalStateException("block is already initialized");
            }
            if ((b != null) != l.bias()) {
                throw new IllegalArgumentException(
                        "block and network disagree on biases of layer " + (p + 1));
            }
            w.setArray(manager.create(network.weightsView(p), TargetNetwork.weightShape(l)));
            if (b != null) {
                b.setArray(manager.create(network.biasesView(p), new Shape(l.out())));
            }
        }
    }

    /**
     * Copies an initialized block's parameters into a network, checking shapes and finiteness.
     *
     * @param block the block
     * @param architecture its architecture
     * @param source how messages name the origin
     * @return the network
     * @throws InputException if a shape does not match or a value is not finite
     */
    public static TargetNetwork toNetwork(Block block, Architecture architecture, String source) {
        List<Block> ps = parametric(block);
        int[] idx = architecture.parametricIndices();
        if (ps.size() != idx.length) {
            throw new InputException(
                    source + ": " + ps.size() + " conv/dense layers, expected " + idx.length);
        }
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int p = 0; p < ps.size(); p++) {
            Layer.Parametric l = architecture.parametric().get(p);
            NDArray wa = ps.get(p).getParameters().get("weight").getArray();
            Shape want = TargetNetwork.weightShape(l);
            if (!wa.getShape().equals(want)) {
                throw new InputException(
                        source
                                + ": layer "
                                + (p + 1)
                                + " ("
                                + l.describe()
                                + ") weight has shape "
                                + wa.getShape()
                                + " but model.json says "
                                + want);
            }
            if (wa.getDataType() != DataType.FLOAT32) {
                throw new InputException(
                        source
                                + ": layer "
                                + (p + 1)
                                + " weight is "
                                + wa.getDataType()
                                + ", expected float32");
            }
            w.add(wa.toFloatArray());
            Parameter bp = ps.get(p).getParameters().get("bias");
            if (bp != null && !bp.getArray().getShape().equals(new Shape(l.out()))) {
                throw new InputException(
                        source
                                + ": layer "
                                + (p + 1)
                                + " ("
                                + l.describe()
                                + ") bias has shape "
                                + bp.getArray().getShape()
                                + " but model.json says ("
                                + l.out()
                                + ")");
            }
            b.add(bp == null ? null : bp.getArray().toType(DataType.FLOAT32, false).toFloatArray());
        }
        return TargetNetwork.of(architecture, w, b, source);
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
