package org.sltk.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sltk.nn.ModelInfo;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetNetwork;
import org.sltk.util.Hashing;
import org.sltk.util.InputException;

/**
 * Loads a target model from what {@code --model} names: a model directory ({@link ModelDirectory}),
 * a TorchScript file ({@code .pt}, {@code .pth}, {@code .torchscript}; see {@link
 * TorchScriptImport}) or a NumPy {@code .npz} file (see {@link NpzImport}).
 */
public final class TargetModels {

    private TargetModels() {}

    /**
     * Loads a target model, dispatching on directory or file extension.
     *
     * <p>For an imported file the {@link TargetModel} has {@code dir} = the file, {@code
     * paramsSha256} = the file's SHA-256, and an {@link ModelInfo} with the architecture only (no
     * dataset, training or software fields: pass {@code --data} explicitly).
     *
     * @param path a model directory, a {@code .pt} file or a {@code .npz} file
     * @return the model
     * @throws InputException if the path is missing, of an unknown kind, or a network sltk cannot
     *     prune
     */
    public static TargetModel load(Path path) {
        return load(path, null);
    }

    /**
     * Loads a target model for data of a given image shape: an imported TorchScript CNN takes that
     * input shape (its layers may chain for several); a model directory or an MLP ignores it.
     *
     * @param path a model directory, a {@code .pt} file or a {@code .npz} file
     * @param input the data's image shape (channels, height, width), or null to infer it
     * @return the model
     * @throws InputException if the path is missing, of an unknown kind, or a network sltk cannot
     *     prune on such inputs
     */
    public static TargetModel load(Path path, int[] input) {
        if (Files.isDirectory(path)) {
            return ModelDirectory.load(path);
        }
        if (!Files.exists(path)) {
            throw new InputException(
                    "--model "
                            + path
                            + ": not found (a model directory, a TorchScript .pt or a NumPy .npz file)");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        TargetNetwork net;
        String log = null;
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".torchscript")) {
            TorchScriptImport.Result r = TorchScriptImport.importFile(path, input);
            net = r.network();
            log = r.log();
        } else if (name.endsWith(".npz")) {
            net = NpzImport.load(path);
        } else {
            throw new InputException(
                    "--model "
                            + path
                            + ": unknown kind of file; give a model directory, a TorchScript"
                            + " .pt file or a NumPy .npz file");
        }
        return new TargetModel(net, info(net), path, sha256(path), log);
    }

    private static ModelInfo info(TargetNetwork net) {
        return ModelInfo.untrained(net.architecture(), null, 0);
    }

    /** Returns the SHA-256 of an imported file, a read failure as a one-line input error. */
    private static String sha256(Path file) {
        try {
            return Hashing.sha256(file);
        } catch (java.io.UncheckedIOException e) {
            throw new InputException(file + ": cannot read: " + e.getCause().getMessage(), e);
        }
    }
}
