package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.sltk.util.InputException;

/**
 * Builds the DJL block of a dense ReLU MLP and converts its parameters to and from a
 * {@link TargetNetwork}.
 *
 * <p>The block is a {@link SequentialBlock} of {@link Linear} layers (weight shape (out, in), the
 * {@link DenseLayer} layout) with a ReLU block between consecutive layers and none after the last.
 */
public final class MlpBuilder {

    private MlpBuilder() {}

    /**
     * Builds an uninitialized block for the given widths.
     *
     * @param widths the layer widths, input first, e.g. {@code {784, 300, 100, 10}}
     * @param bias whether the Linear layers have biases
     * @return the block
     */
    public static SequentialBlock block(int[] widths, boolean bias) {
        TargetNetwork.checkWidths(widths);
        SequentialBlock block = new SequentialBlock();
        for (int l = 1; l < widths.length; l++) {
            block.add(Linear.builder().setUnits(widths[l]).optBias(bias).build());
            if (l + 1 < widths.length) {
                block.add(Activation.reluBlock());
            }
        }
        return block;
    }

    /**
     * Builds a block holding the network's parameters, initialized for inputs of shape
     * (batch, in); the parameters are float32 arrays owned by {@code manager}.
     *
     * @param network the network to copy
     * @param manager the owner of the parameter arrays (the model's manager when training)
     * @return the initialized block
     */
    public static SequentialBlock toBlock(TargetNetwork network, NDManager manager) {
        SequentialBlock block = block(network.widths(), network.hasBias());
        setParameters(block, network, manager);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, network.inputSize()));
        return block;
    }

    /**
     * Sets the parameters of an uninitialized block built by {@link #block} to copies of the
     * network's; a later {@code initialize} (by the caller or a trainer) keeps them.
     *
     * @param block a block from {@link #block} with the network's widths and bias, not initialized
     * @param network the parameters to copy
     * @param manager the owner of the parameter arrays
     */
    public static void setParameters(SequentialBlock block, TargetNetwork network, NDManager manager) {
        List<Linear> linears = linears(block);
        if (linears.size() != network.layers().size()) {
            throw new IllegalArgumentException(
                    "block has " + linears.size() + " Linear layers, network " + network.layers().size());
        }
        for (int l = 0; l < linears.size(); l++) {
            DenseLayer d = network.layers().get(l);
            Linear lin = linears.get(l);
            Parameter w = lin.getParameters().get("weight");
            Parameter b = lin.getParameters().get("bias");
            if (w.isInitialized()) {
                throw new IllegalStateException("block is already initialized");
            }
            if ((b != null) != d.hasBias()) {
                throw new IllegalArgumentException("block and network disagree on biases");
            }
            w.setArray(manager.create(d.weightView(), new Shape(d.out(), d.in())));
            if (b != null) {
                b.setArray(manager.create(d.biasView(), new Shape(d.out())));
            }
        }
    }

    /**
     * Copies the parameters of an initialized block into a new network, checking their shapes and
     * that they are finite.
     *
     * @param block an initialized block of the form built by {@link #block}
     * @param source how error messages name the origin of the parameters, e.g. a file name
     * @return the network
     * @throws InputException if a shape does not chain or a value is NaN or infinite
     */
    public static TargetNetwork toNetwork(Block block, String source) {
        List<Linear> linears = linears(block);
        if (linears.isEmpty()) {
            throw new InputException(source + ": no Linear layers in the block");
        }
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l < linears.size(); l++) {
            Linear lin = linears.get(l);
            NDArray w = lin.getParameters().get("weight").getArray();
            Parameter bp = lin.getParameters().get("bias");
            Shape ws = w.getShape();
            if (ws.dimension() != 2) {
                throw new InputException(source + ": layer " + (l + 1) + " weight has shape " + ws + ", expected (out, in)");
            }
            int out = Math.toIntExact(ws.get(0));
            int in = Math.toIntExact(ws.get(1));
            float[] b = null;
            if (bp != null) {
                NDArray ba = bp.getArray();
                if (!ba.getShape().equals(new Shape(out))) {
                    throw new InputException(source + ": layer " + (l + 1) + " bias has shape " + ba.getShape()
                            + ", expected (" + out + ")");
                }
                b = ba.toType(DataType.FLOAT32, false).toFloatArray();
            }
            float[] wv = w.toType(DataType.FLOAT32, false).toFloatArray();
            layers.add(DenseLayer.of(wv, b, in, out, source + ": layer " + (l + 1) + " (" + in + "->" + out + ")"));
        }
        try {
            return TargetNetwork.of(layers);
        } catch (InputException e) {
            throw new InputException(source + ": " + e.getMessage(), e);
        }
    }

    private static List<Linear> linears(Block block) {
        List<Linear> out = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() instanceof Linear) {
                out.add((Linear) child.getValue());
            }
        }
        return out;
    }
}
