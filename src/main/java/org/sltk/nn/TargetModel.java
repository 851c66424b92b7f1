package org.sltk.nn;

import java.nio.file.Path;

/**
 * A target network loaded from a model directory, with what its {@code model.json} records.
 *
 * @param network the validated network of an {@code mlp} model (null for {@code cnn})
 * @param info the contents of {@code model.json}
 * @param dir the model directory
 * @param paramsSha256 the SHA-256 of the parameter file (checked against {@code model.json})
 * @param sequential the validated network of a {@code cnn} model (null for {@code mlp})
 */
public record TargetModel(TargetNetwork network, ModelInfo info, Path dir, String paramsSha256, SequentialTarget sequential) {

    /**
     * Creates an {@code mlp} model.
     *
     * @param network the network
     * @param info the description
     * @param dir the directory
     * @param paramsSha256 the parameter file's SHA-256
     */
    public TargetModel(TargetNetwork network, ModelInfo info, Path dir, String paramsSha256) {
        this(network, info, dir, paramsSha256, null);
    }

    /** Returns whether this is a sequential (cnn) model. @return true for cnn */
    public boolean isCnn() {
        return sequential != null;
    }

    /** Describes the target in one line. @return the description */
    public String describe() {
        return sequential != null ? sequential.describe() : network.describe();
    }
}
