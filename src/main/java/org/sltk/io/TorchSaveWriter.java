package org.sltk.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sltk.util.AtomicFiles;

/**
 * Writes a tree of standard {@code torch.nn} modules the way {@code torch.save(module)} does: a zip
 * archive with {@code data.pkl} (pickle protocol 2), one {@code data/<key>} record per float32
 * storage, {@code version} and {@code byteorder}. {@code torch.load(file, weights_only=False)}
 * returns the module.
 *
 * <p>Each module's pickled state is the {@code __dict__} that torch 1.13 pickles ({@code training},
 * {@code _parameters}, {@code _buffers}, the hook dicts, {@code _modules}, then the module's own
 * attributes); {@code nn.Module.__setstate__} of later torch versions adds the dicts they
 * introduced. A module may carry {@code torch.nn.utils.prune.CustomFromMask} forward pre-hooks, as
 * {@code prune.custom_from_mask} leaves them: parameter {@code <name>_orig}, buffer {@code
 * <name>_mask}, the plain tensor attribute {@code <name>} (orig times mask) and the hook holding
 * the mask and the name.
 */
final class TorchSaveWriter {

    /** A float32 tensor, contiguous, stored under its own storage key. */
    record Tensor(String key, long[] shape) {}

    /** A {@code torch.nn} module: class, attributes, tensors, children and pruning hooks. */
    static final class Module {
        final String pyModule;
        final String pyClass;
        final Map<String, Tensor> parameters = new LinkedHashMap<>();
        final Map<String, Tensor> buffers = new LinkedHashMap<>();
        final Map<String, Module> children = new LinkedHashMap<>();
        final Map<String, Tensor> plainTensors = new LinkedHashMap<>();
        final Map<String, Tensor> hooks = new LinkedHashMap<>();
        final Map<String, Object> attributes = new LinkedHashMap<>();

        Module(String pyModule, String pyClass) {
            this.pyModule = pyModule;
            this.pyClass = pyClass;
        }

        /** Adds an attribute: Integer, Long, Boolean, String, null or int[] (a tuple). */
        Module attribute(String name, Object value) {
            attributes.put(name, value);
            return this;
        }
    }

    private final Map<String, byte[]> storages = new LinkedHashMap<>();
    private final Map<String, Long> numels = new LinkedHashMap<>();

    /**
     * Stores float32 values as a new storage.
     *
     * @return the tensor, contiguous, of the given shape
     */
    Tensor tensor(float[] data, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(data.length + " values for a shape of " + n);
        }
        String key = Integer.toString(storages.size());
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            b.putFloat(v);
        }
        storages.put(key, b.array());
        numels.put(key, n);
        return new Tensor(key, shape.clone());
    }

    /**
     * Makes {@code name} of the module pruned as {@code prune.custom_from_mask} leaves it.
     *
     * @param m the module
     * @param name the tensor's name ({@code weight} or {@code bias})
     * @param orig the dense values
     * @param mask the mask, 0 or 1
     * @param shape the tensor's shape
     */
    void pruned(Module m, String name, float[] orig, float[] mask, long... shape) {
        float[] product = new float[orig.length];
        for (int i = 0; i < orig.length; i++) {
            product[i] = orig[i] * mask[i];
        }
        m.parameters.put(name + "_orig", tensor(orig, shape));
        Tensor t = tensor(mask, shape);
        m.buffers.put(name + "_mask", t);
        m.plainTensors.put(name, tensor(product, shape));
        m.hooks.put(name, t);
    }

    /**
     * Writes the archive atomically; its top folder is the file name without extension.
     *
     * @param root the module
     * @param file the {@code .pt} file
     */
    void write(Module root, Path file) {
        String stem =
                file.getFileName()
                        .toString()
                        .replaceFirst("\\.[^.]*$", "")
                        .replaceAll("[^A-Za-z0-9_]", "_");
        String top = stem.isEmpty() ? "archive" : stem;
        byte[] pickle = pickle(root);
        AtomicFiles.write(
                file,
                out -> {
                    StoredZip zip = new StoredZip(out);
                    zip.add(top + "/data.pkl", pickle);
                    for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                        zip.add(top + "/data/" + e.getKey(), e.getValue());
                    }
                    zip.add(top + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
                    zip.add(top + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
                    zip.finish();
                });
    }

    private byte[] pickle(Module root) {
        Pickle p = new Pickle();
        p.proto();
        p.module(root);
        p.op(Pickle.STOP);
        return p.out.toByteArray();
    }

    /** The pickle opcodes torch.save's files use (no memo: every object is written in full). */
    private final class Pickle {
        static final int PROTO = 0x80;
        static final int GLOBAL = 'c';
        static final int EMPTY_TUPLE = ')';
        static final int EMPTY_LIST = ']';
        static final int EMPTY_DICT = '}';
        static final int NEWOBJ = 0x81;
        static final int MARK = '(';
        static final int TUPLE = 't';
        static final int TUPLE1 = 0x85;
        static final int TUPLE3 = 0x87;
        static final int SETITEMS = 'u';
        static final int BUILD = 'b';
        static final int STOP = '.';
        static final int BINUNICODE = 'X';
        static final int BININT1 = 'K';
        static final int BININT2 = 'M';
        static final int BININT = 'J';
        static final int NEWTRUE = 0x88;
        static final int NEWFALSE = 0x89;
        static final int NONE = 'N';
        static final int BINPERSID = 'Q';
        static final int REDUCE = 'R';

        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void op(int code) {
            out.write(code);
        }

        void proto() {
            op(PROTO);
            out.write(2);
        }

        void global(String module, String name) {
            op(GLOBAL);
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op(BINUNICODE);
            out.writeBytes(
                    ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
        }

        void integer(long v) {
            if (v >= 0 && v < 0x100) {
                op(BININT1);
                out.write((int) v);
            } else if (v >= 0 && v < 0x10000) {
                op(BININT2);
                out.write((int) (v & 0xFF));
                out.write((int) (v >>> 8));
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                op(BININT);
                out.writeBytes(
                        ByteBuffer.allocate(4)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .putInt((int) v)
                                .array());
            } else {
                throw new IllegalArgumentException("integer attribute out of range: " + v);
            }
        }

        void tuple(long[] values) {
            op(MARK);
            for (long v : values) {
                integer(v);
            }
            op(TUPLE);
        }

        void orderedDict() {
            global("collections", "OrderedDict");
            op(EMPTY_TUPLE);
            op(REDUCE);
        }

        void value(Object v) {
            if (v == null) {
                op(NONE);
            } else if (v instanceof Boolean b) {
                op(b ? NEWTRUE : NEWFALSE);
            } else if (v instanceof Integer || v instanceof Long) {
                integer(((Number) v).longValue());
            } else if (v instanceof String s) {
                string(s);
            } else if (v instanceof int[] a) {
                long[] l = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    l[i] = a[i];
                }
                tuple(l);
            } else {
                throw new IllegalArgumentException("unsupported attribute " + v.getClass());
            }
        }

        /** {@code torch._utils._rebuild_tensor_v2(storage, 0, shape, stride, False, {})}. */
        void tensor(Tensor t) {
            global("torch._utils", "_rebuild_tensor_v2");
            op(MARK);
            op(MARK);
            string("storage");
            global("torch", "FloatStorage");
            string(t.key());
            string("cpu");
            integer(numels.get(t.key()));
            op(TUPLE);
            op(BINPERSID);
            integer(0);
            tuple(t.shape());
            long[] strides = new long[t.shape().length];
            long stride = 1;
            for (int i = strides.length - 1; i >= 0; i--) {
                strides[i] = stride;
                stride *= t.shape()[i];
            }
            tuple(strides);
            op(NEWFALSE);
            orderedDict();
            op(TUPLE);
            op(REDUCE);
        }

        /** {@code torch._utils._rebuild_parameter(tensor, True, {})}. */
        void parameter(Tensor t) {
            global("torch._utils", "_rebuild_parameter");
            tensor(t);
            op(NEWTRUE);
            orderedDict();
            op(TUPLE3);
            op(REDUCE);
        }

        void tensorDict(Map<String, Tensor> tensors, boolean parameters) {
            orderedDict();
            if (tensors.isEmpty()) {
                return;
            }
            // as torch.save: SETITEMS on the OrderedDict itself (pickle calls __setitem__)
            op(MARK);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                string(e.getKey());
                if (e.getValue() == null) {
                    op(NONE);
                } else if (parameters) {
                    parameter(e.getValue());
                } else {
                    tensor(e.getValue());
                }
            }
            op(SETITEMS);
        }

        void module(Module m) {
            global(m.pyModule, m.pyClass);
            op(EMPTY_TUPLE);
            op(NEWOBJ);
            op(EMPTY_DICT);
            op(MARK);
            string("training");
            op(NEWFALSE);
            string("_parameters");
            tensorDict(m.parameters, true);
            string("_buffers");
            tensorDict(m.buffers, false);
            string("_non_persistent_buffers_set");
            global("__builtin__", "set");
            op(EMPTY_LIST);
            op(TUPLE1);
            op(REDUCE);
            string("_backward_hooks");
            orderedDict();
            string("_is_full_backward_hook");
            op(NONE);
            string("_forward_hooks");
            orderedDict();
            string("_forward_pre_hooks");
            orderedDict();
            if (!m.hooks.isEmpty()) {
                op(MARK);
                int id = 0;
                for (Map.Entry<String, Tensor> e : m.hooks.entrySet()) {
                    integer(id++);
                    global("torch.nn.utils.prune", "CustomFromMask");
                    op(EMPTY_TUPLE);
                    op(NEWOBJ);
                    op(EMPTY_DICT);
                    op(MARK);
                    string("mask");
                    tensor(e.getValue());
                    string("_tensor_name");
                    string(e.getKey());
                    op(SETITEMS);
                    op(BUILD);
                }
                op(SETITEMS);
            }
            string("_state_dict_hooks");
            orderedDict();
            string("_load_state_dict_pre_hooks");
            orderedDict();
            string("_load_state_dict_post_hooks");
            orderedDict();
            string("_modules");
            orderedDict();
            if (!m.children.isEmpty()) {
                op(MARK);
                for (Map.Entry<String, Module> e : m.children.entrySet()) {
                    string(e.getKey());
                    module(e.getValue());
                }
                op(SETITEMS);
            }
            for (Map.Entry<String, Object> e : m.attributes.entrySet()) {
                string(e.getKey());
                value(e.getValue());
            }
            for (Map.Entry<String, Tensor> e : m.plainTensors.entrySet()) {
                string(e.getKey());
                tensor(e.getValue());
            }
            op(SETITEMS);
            op(BUILD);
        }
    }
}
