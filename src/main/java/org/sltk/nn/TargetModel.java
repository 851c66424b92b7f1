package org.sltk.nn;

import java.nio.file.Path;

/**
 * A target network loaded from a model directory, with what its {@code model.json} records.
 *
 * @param network the validated network
 * @param info the contents of {@code model.json}
 * @param dir the model directory
 * @param paramsSha256 the SHA-256 of the parameter file (checked against {@code model.json})
 */
public record TargetModel(TargetNetwork network, ModelInfo info, Path dir, String paramsSha256) {}
