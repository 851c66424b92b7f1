package org.sltk.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.sltk.util.AtomicFiles;

/**
 * Writes a TorchScript module archive without Python: one module class with tensor parameters,
 * tensor buffers, plain attributes and a {@code forward(x)} written in TorchScript source.
 *
 * <p>The archive is what {@code torch.jit.save} writes (format version 3) and libtorch's {@code
 * torch::jit::load} reads: a ZIP of stored entries under one top folder holding {@code
 * code/__torch__.py} (the class source), {@code data.pkl} (the pickled module object whose tensors
 * refer to storages by persistent id), {@code data/0..N} (raw little-endian storages), {@code
 * constants.pkl} (an empty tuple), {@code version} ({@code 3}), {@code byteorder} ({@code little})
 * and optional {@code extra/NAME} files ({@code _extra_files} in Python).
 *
 * <pre>
 * jshell&gt; TorchScriptWriter.module("Scale").parameter("a", new float[] {2f}, 1)
 *    ...&gt;     .forward("return torch.mul(x, self.a)").write(Path.of("scale.pt"));
 * </pre>
 */
public final class TorchScriptWriter {

    /** The archive format version written to the {@code version} record. */
    public static final int FORMAT_VERSION = 3;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private enum Kind {
        PARAMETER,
        BUFFER
    }

    private record TensorAttr(
            String name, Kind kind, String storage, String type, long[] shape, byte[] data) {}

    private final String className;
    private final List<TensorAttr> tensors = new ArrayList<>();
    private final Map<String, Object> plain = new LinkedHashMap<>();
    private final Map<String, byte[]> extra = new LinkedHashMap<>();
    private final List<String[]> checks = new ArrayList<>();
    private String forward;

    private TorchScriptWriter(String className) {
        this.className = identifier(className);
    }

    /**
     * Starts a module of class {@code __torch__.<className>}.
     *
     * @param className a Python identifier
     * @return the writer
     */
    public static TorchScriptWriter module(String className) {
        return new TorchScriptWriter(className);
    }

    /**
     * Adds a float32 parameter (listed in {@code __parameters__}, {@code requires_grad=True}).
     *
     * @param name the attribute name
     * @param data the values, row-major
     * @param shape the shape; its product must equal {@code data.length}
     * @return this writer
     */
    public TorchScriptWriter parameter(String name, float[] data, long... shape) {
        return tensor(name, Kind.PARAMETER, "FloatStorage", floats(data), data.length, shape);
    }

    /**
     * Adds a float32 buffer (listed in {@code __buffers__}).
     *
     * @param name the attribute name
     * @param data the values, row-major
     * @param shape the shape
     * @return this writer
     */
    public TorchScriptWriter buffer(String name, float[] data, long... shape) {
        return tensor(name, Kind.BUFFER, "FloatStorage", floats(data), data.length, shape);
    }

    /**
     * Adds an int64 buffer, e.g. an index for {@code torch.index_select}.
     *
     * @param name the attribute name
     * @param data the values, row-major
     * @param shape the shape
     * @return this writer
     */
    public TorchScriptWriter buffer(String name, long[] data, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : data) {
            b.putLong(v);
        }
        return tensor(name, Kind.BUFFER, "LongStorage", b.array(), data.length, shape);
    }

    /**
     * Adds a bool buffer, e.g. a pruning mask kept for inspection.
     *
     * @param name the attribute name
     * @param data the values, row-major
     * @param shape the shape
     * @return this writer
     */
    public TorchScriptWriter buffer(String name, boolean[] data, long... shape) {
        byte[] b = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            b[i] = (byte) (data[i] ? 1 : 0);
        }
        return tensor(name, Kind.BUFFER, "BoolStorage", b, data.length, shape);
    }

    /**
     * Adds a {@code str} attribute, readable in Python as {@code module.name}.
     *
     * @param name the attribute name
     * @param value the value
     * @return this writer
     */
    public TorchScriptWriter attribute(String name, String value) {
        plain.put(fresh(name), value);
        return this;
    }

    /**
     * Adds an {@code int} attribute.
     *
     * @param name the attribute name
     * @param value the value
     * @return this writer
     */
    public TorchScriptWriter attribute(String name, long value) {
        plain.put(fresh(name), value);
        return this;
    }

    /**
     * Sets the body of {@code forward(self, x: Tensor) -> Tensor}, TorchScript source without
     * indentation, one statement per line; attributes are read as {@code self.name}.
     *
     * @param body the statements, the last a {@code return}
     * @return this writer
     */
    public TorchScriptWriter forward(String body) {
        this.forward = body;
        return this;
    }

    /**
     * Makes {@code forward} raise an exception with a message before its body runs whenever a
     * condition on the input holds; written as {@code torch.jit.save} writes a {@code raise}:
     * {@code if bool(COND): ops.prim.RaiseException("MESSAGE", "builtins.ValueError")}. Python's
     * torch raises it as {@code torch.jit.Error}, libtorch as {@code c10::Error}, DJL as an {@code
     * EngineException}, each with the message.
     *
     * @param condition a TorchScript expression of {@code x} whose {@code bool} is the test, e.g.
     *     {@code torch.any(torch.lt(x, 0.))}
     * @param message the message, printable ASCII
     * @return this writer
     */
    public TorchScriptWriter raiseIf(String condition, String message) {
        if (condition.isBlank() || condition.contains("\n")) {
            throw new IllegalArgumentException(
                    "condition must be one non-empty line: '" + condition + "'");
        }
        if (!message.matches("[\\x20-\\x7E]*")) {
            throw new IllegalArgumentException(
                    "message must be printable ASCII: '" + message + "'");
        }
        checks.add(new String[] {condition.strip(), message});
        return this;
    }

    /**
     * Adds a file under {@code extra/}, read in Python with {@code torch.jit.load(f,
     * _extra_files=...)} and in DJL with the model option {@code extraFiles}.
     *
     * @param name the file name
     * @param content the content
     * @return this writer
     */
    public TorchScriptWriter extraFile(String name, String content) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(
                    "extra file name '" + name + "' must be letters, digits, '_', '.', '-'");
        }
        extra.put(name, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Returns the TorchScript source of the class, the {@code code/__torch__.py} record.
     *
     * @return the source
     */
    public String source() {
        if (forward == null) {
            throw new IllegalStateException("forward body not set");
        }
        StringBuilder s = new StringBuilder();
        s.append("class ").append(className).append("(Module):\n");
        s.append("  __parameters__ = [").append(names(Kind.PARAMETER)).append("]\n");
        s.append("  __buffers__ = [").append(names(Kind.BUFFER)).append("]\n");
        for (TensorAttr t : tensors) {
            s.append("  ").append(t.name).append(" : Tensor\n");
        }
        s.append("  training : bool\n");
        for (Map.Entry<String, Object> e : plain.entrySet()) {
            s.append("  ")
                    .append(e.getKey())
                    .append(" : ")
                    .append(e.getValue() instanceof String ? "str" : "int")
                    .append('\n');
        }
        s.append("  def forward(self: __torch__.").append(className).append(",\n");
        s.append("    x: Tensor) -> Tensor:\n");
        for (String[] c : checks) {
            s.append("    if bool(").append(c[0]).append("):\n");
            s.append("      ops.prim.RaiseException(")
                    .append(quoted(c[1]))
                    .append(", \"builtins.ValueError\")\n");
        }
        for (String line : forward.strip().split("\n")) {
            s.append("    ").append(line.strip()).append('\n');
        }
        return s.toString();
    }

    /**
     * Writes the archive atomically; its top folder is the file name without extension.
     *
     * @param file the {@code .pt} file to create or replace
     */
    public void write(Path file) {
        String stem =
                file.getFileName()
                        .toString()
                        .replaceFirst("\\.[^.]*$", "")
                        .replaceAll("[^A-Za-z0-9_]", "_");
        String top = stem.isEmpty() ? "archive" : stem;
        String code = source();
        AtomicFiles.write(
                file,
                out -> {
                    StoredZip zip = new StoredZip(out);
                    for (TensorAttr t : tensors) {
                        zip.add(top + "/data/" + t.storage, t.data);
                    }
                    zip.add(top + "/data.pkl", pickle());
                    zip.add(top + "/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
                    zip.add(top + "/constants.pkl", ModulePickler.emptyTuple());
                    zip.add(
                            top + "/version",
                            (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
                    zip.add(top + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
                    for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                        zip.add(top + "/extra/" + e.getKey(), e.getValue());
                    }
                    zip.finish();
                });
    }

    private byte[] pickle() {
        ModulePickler p = new ModulePickler(className);
        for (TensorAttr t : tensors) {
            p.tensor(t.name, t.type, t.storage, t.shape, t.kind == Kind.PARAMETER);
        }
        p.bool("training", false);
        for (Map.Entry<String, Object> e : plain.entrySet()) {
            if (e.getValue() instanceof String v) {
                p.str(e.getKey(), v);
            } else {
                p.integerAttribute(e.getKey(), (Long) e.getValue());
            }
        }
        return p.finish();
    }

    private TorchScriptWriter tensor(
            String name, Kind kind, String type, byte[] data, long numel, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in shape");
            }
            n *= d;
        }
        if (n != numel) {
            throw new IllegalArgumentException(name + ": " + numel + " values for a shape of " + n);
        }
        tensors.add(
                new TensorAttr(
                        fresh(name),
                        kind,
                        Integer.toString(tensors.size()),
                        type,
                        shape.clone(),
                        data));
        return this;
    }

    private String fresh(String name) {
        identifier(name);
        if (name.equals("training")
                || name.equals("forward")
                || plain.containsKey(name)
                || tensors.stream().anyMatch(t -> t.name.equals(name))) {
            throw new IllegalArgumentException("attribute '" + name + "' is already defined");
        }
        return name;
    }

    private String names(Kind kind) {
        StringBuilder s = new StringBuilder();
        for (TensorAttr t : tensors) {
            if (t.kind == kind) {
                s.append('"').append(t.name).append("\", ");
            }
        }
        return s.toString();
    }

    private static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches() || name.startsWith("__")) {
            throw new IllegalArgumentException(
                    "'" + name + "' is not a valid attribute or class name");
        }
        return name;
    }

    /** A TorchScript string literal of printable ASCII. */
    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static byte[] floats(float[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            b.putFloat(v);
        }
        return b.array();
    }
}
