package org.sltk.nn;

import java.nio.file.Path;

/**
 * A target network with what its source records: a model directory's {@code model.json}, or the
 * architecture alone for an imported file.
 *
 * @param network the validated network
 * @param info the description ({@code model.json}, or {@link ModelInfo#untrained} for an import)
 * @param dir the model directory or imported file
 * @param paramsSha256 the SHA-256 of the parameter file (checked against {@code model.json}), or of
 *     the imported file
 * @param importLog for an imported file, what the import did in one line (e.g. the batch norms
 *     folded and the folding error), recorded in the run; null for a model directory
 */
public record TargetModel(
        TargetNetwork network, ModelInfo info, Path dir, String paramsSha256, String importLog) {

    /**
     * A target read from a model directory (no import log).
     *
     * @param network the validated network
     * @param info the description
     * @param dir the model directory
     * @param paramsSha256 the SHA-256 of the parameter file
     */
    public TargetModel(TargetNetwork network, ModelInfo info, Path dir, String paramsSha256) {
        this(network, info, dir, paramsSha256, null);
    }

    /**
     * Describes the target in one line.
     *
     * @return the description
     */
    public String describe() {
        return network.describe();
    }
}
