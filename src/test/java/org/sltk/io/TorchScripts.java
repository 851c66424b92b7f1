package org.sltk.io;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sltk.util.Engines;

/**
 * Test helpers (public for the CLI tests): run a TorchScript file through libtorch's loader (DJL)
 * or Python's torch.
 */
public final class TorchScripts {

    /** The Python interpreter that has Debian's torch, if any. */
    public static final String PYTHON = "/usr/bin/python3";

    private TorchScripts() {}

    /** Loads the file with libtorch's loader through DJL and runs it on a (batch, d) input. */
    static float[] runDjl(Path file, float[] x, int batch, int d) throws Exception {
        Engines.engine();
        try (Model model = Model.newInstance("ts", Device.cpu(), "PyTorch")) {
            model.load(file);
            try (Predictor<NDList, NDList> p = model.newPredictor(new NoopTranslator())) {
                NDList out =
                        p.predict(new NDList(model.getNDManager().create(x, new Shape(batch, d))));
                return out.singletonOrThrow().toFloatArray();
            }
        }
    }

    /** The messages of an exception and its causes, one per line (DJL wraps libtorch's error). */
    static String chain(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            s.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return s.toString();
    }

    /** Returns why Python's torch cannot be used here, or null when it can. */
    public static String pythonTorchMissing() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        try {
            Process p =
                    new ProcessBuilder(PYTHON, "-c", "import torch")
                            .redirectErrorStream(true)
                            .start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "python3 has no torch (apt-get install python3-torch)";
            }
            return null;
        } catch (Exception e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        }
    }

    /**
     * Loads the file with Python's {@code torch.jit.load}, runs it on the float32 input stored in
     * {@code input} (raw little-endian, shape (batch, d)) and returns the raw outputs it wrote.
     */
    static byte[] runPython(Path file, Path input, int batch, int d, Path work) throws Exception {
        return runPython(file, false, input, new long[] {batch, d}, work);
    }

    /**
     * Loads the file with Python's torch ({@code torch.load} for a pickled module such as the
     * torch-prune layout, else {@code torch.jit.load}), runs it on the float32 input stored in
     * {@code input} (raw little-endian) reshaped to {@code shape}, and returns the raw outputs it
     * wrote.
     *
     * @throws AssertionError with Python's output when it fails or runs over 300 s
     */
    public static byte[] runPython(Path file, boolean pickled, Path input, long[] shape, Path work)
            throws Exception {
        Path out = work.resolve("py-out.bin");
        Path script = work.resolve("run.py");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "import sys, numpy as np, torch",
                        "m = torch.load(sys.argv[1]) if sys.argv[2] == 'pickle' else"
                                + " torch.jit.load(sys.argv[1])",
                        "shape = [int(v) for v in sys.argv[4].split(',')]",
                        "x = torch.from_numpy(np.fromfile(sys.argv[3], dtype='<f4').reshape(shape))",
                        "with torch.no_grad():",
                        "    y = m(x)",
                        "y.numpy().astype('<f4').tofile(sys.argv[5])",
                        ""));
        StringBuilder dims = new StringBuilder();
        for (long v : shape) {
            dims.append(dims.length() == 0 ? "" : ",").append(v);
        }
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                PYTHON,
                                script.toString(),
                                file.toString(),
                                pickled ? "pickle" : "script",
                                input.toString(),
                                dims.toString(),
                                out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("python torch failed on " + file + ":\n" + log);
        }
        return Files.readAllBytes(out);
    }

    /** Writes floats as raw little-endian float32, the input format of {@link #runPython}. */
    public static void writeFloats(Path file, float[] x) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            b.putFloat(v);
        }
        Files.write(file, b.array());
    }

    /** Reads raw little-endian float32, the output format of {@link #runPython}. */
    public static float[] floats(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[raw.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }
}
