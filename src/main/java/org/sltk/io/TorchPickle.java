package org.sltk.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sltk.util.InputException;

/**
 * Reads the pickle (protocol 2) of a TorchScript module object, {@code data.pkl}, as {@code
 * torch.jit.save} writes it: modules become {@link Obj}s (class name and attribute values, in
 * declaration order), tensors {@link TensorRef}s naming their archive record {@code data/<key>},
 * tuples and lists {@link List}s, ints {@link Long}, floats {@link Double}. Only the opcodes such
 * files use are read; anything else is refused, naming the opcode.
 */
final class TorchPickle {

    /** A module or other object: its class {@code module.name} and its state. */
    record Obj(String className, Map<String, Object> state) {}

    /** A class reference of the pickle. */
    record Global(String module, String name) {}

    /**
     * A tensor: its storage's type (e.g. {@code FloatStorage}) and record, offset, size, stride.
     */
    record TensorRef(String storageType, String key, long offset, long[] size, long[] stride) {

        /** {@return the number of elements} */
        long numel() {
            long n = 1;
            for (long d : size) {
                n *= d;
            }
            return n;
        }

        /**
         * Reads the values as float64 (exact for float32 and float64 storages), row-major.
         *
         * @param storage the bytes of record {@code data/<key>}
         * @return the values
         */
        double[] values(byte[] storage) {
            int width =
                    switch (storageType) {
                        case "FloatStorage" -> 4;
                        case "DoubleStorage" -> 8;
                        default ->
                                throw new InputException(
                                        "tensor record "
                                                + key
                                                + " is "
                                                + storageType
                                                + ", not float32/64");
                    };
            ByteBuffer b = ByteBuffer.wrap(storage).order(ByteOrder.LITTLE_ENDIAN);
            int n = Math.toIntExact(numel());
            double[] v = new double[n];
            long[] idx = new long[size.length];
            for (int i = 0; i < n; i++) {
                long at = offset;
                for (int d = 0; d < size.length; d++) {
                    at += idx[d] * stride[d];
                }
                int pos = Math.toIntExact(at * width);
                if (pos < 0 || pos + width > storage.length) {
                    throw new InputException("tensor record " + key + " is too short");
                }
                v[i] = width == 4 ? b.getFloat(pos) : b.getDouble(pos);
                for (int d = size.length - 1; d >= 0; d--) {
                    if (++idx[d] < size[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
            return v;
        }
    }

    private static final Object MARK = new Object();

    private final byte[] b;
    private int pos;
    private final Deque<Object> stack = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private TorchPickle(byte[] b) {
        this.b = b;
    }

    /**
     * Unpickles a module.
     *
     * @param data the bytes of {@code data.pkl}
     * @return the root object
     * @throws InputException if the pickle uses an opcode this reader does not know
     */
    static Object read(byte[] data) {
        try {
            return new TorchPickle(data).run();
        } catch (IndexOutOfBoundsException | ClassCastException e) {
            throw new InputException("data.pkl is malformed: " + e, e);
        }
    }

    private Object run() {
        while (true) {
            int op = b[pos++] & 0xFF;
            switch (op) {
                case 0x80 -> pos++; // PROTO
                case 0x95 -> pos += 8; // FRAME
                case 'c' -> {
                    String module = line();
                    push(new Global(module, line()));
                }
                case 'q' -> memo.put((long) (b[pos++] & 0xFF), peek());
                case 'r' -> memo.put(u32(), peek());
                case 0x94 -> memo.put((long) memo.size(), peek());
                case 'h' -> push(memo.get((long) (b[pos++] & 0xFF)));
                case 'j' -> push(memo.get(u32()));
                case ')' -> push(new ArrayList<>());
                case ']' -> push(new ArrayList<>());
                case '}' -> push(new LinkedHashMap<>());
                case '(' -> stack.push(MARK);
                case 'X' -> push(string((int) u32()));
                case 0x8c -> push(string(b[pos++] & 0xFF));
                case 'K' -> push((long) (b[pos++] & 0xFF));
                case 'M' -> {
                    long v = (b[pos] & 0xFF) | ((b[pos + 1] & 0xFF) << 8);
                    pos += 2;
                    push(v);
                }
                case 'J' -> {
                    push((long) ByteBuffer.wrap(b, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
                    pos += 4;
                }
                case 0x8a -> {
                    int n = b[pos++] & 0xFF;
                    long v = 0;
                    for (int i = n - 1; i >= 0; i--) {
                        v = (v << 8) | (b[pos + i] & 0xFF);
                    }
                    if (n > 0 && n < 8 && (b[pos + n - 1] & 0x80) != 0) {
                        v -= 1L << (8 * n);
                    }
                    pos += n;
                    push(v);
                }
                case 'G' -> {
                    push(ByteBuffer.wrap(b, pos, 8).getDouble());
                    pos += 8;
                }
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'N' -> push(null);
                case 't', 'l' -> push(popMark());
                case 0x85 -> push(new ArrayList<>(List.of(pop())));
                case 0x86 -> {
                    Object y = pop();
                    Object x = pop();
                    push(new ArrayList<>(java.util.Arrays.asList(x, y)));
                }
                case 0x87 -> {
                    Object z = pop();
                    Object y = pop();
                    Object x = pop();
                    push(new ArrayList<>(java.util.Arrays.asList(x, y, z)));
                }
                case 0x81 -> { // NEWOBJ
                    pop(); // args
                    Global g = (Global) pop();
                    push(new Obj(g.module() + "." + g.name(), new LinkedHashMap<>()));
                }
                case 'R' -> {
                    List<?> args = (List<?>) pop();
                    push(reduce((Global) pop(), args));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    Object o = peek();
                    if (o instanceof Obj obj && state instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> obj.state().put(String.valueOf(k), v));
                    }
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    map(peek()).put(String.valueOf(k), v);
                }
                case 'u' -> {
                    List<Object> kv = popMark();
                    Map<String, Object> m = map(peek());
                    for (int i = 0; i + 1 < kv.size(); i += 2) {
                        m.put(String.valueOf(kv.get(i)), kv.get(i + 1));
                    }
                }
                case 'a' -> {
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> {
                    List<Object> vs = popMark();
                    list(peek()).addAll(vs);
                }
                case 'Q' -> push(persistent((List<?>) pop()));
                case '.' -> {
                    return pop();
                }
                default ->
                        throw new InputException(
                                "data.pkl uses pickle opcode 0x"
                                        + Integer.toHexString(op)
                                        + " at byte "
                                        + (pos - 1)
                                        + ", which sltk's reader does not know");
            }
        }
    }

    private static Object persistent(List<?> id) {
        // ('storage', torch.FloatStorage, key, location, numel)
        if (id.size() >= 3 && "storage".equals(id.get(0)) && id.get(1) instanceof Global g) {
            return new Object[] {g.name(), String.valueOf(id.get(2))};
        }
        throw new InputException("data.pkl has a persistent id " + id + " that is not a storage");
    }

    private static Object reduce(Global g, List<?> args) {
        String f = g.module() + "." + g.name();
        if (f.equals("torch._utils._rebuild_tensor_v2")
                || f.equals("torch._utils._rebuild_tensor")) {
            Object[] storage = (Object[]) args.get(0);
            return new TensorRef(
                    (String) storage[0],
                    (String) storage[1],
                    (Long) args.get(1),
                    longs(args.get(2)),
                    longs(args.get(3)));
        }
        if (f.equals("collections.OrderedDict")) {
            return new LinkedHashMap<String, Object>();
        }
        return new Obj(f, new LinkedHashMap<>());
    }

    private static long[] longs(Object o) {
        List<?> l = (List<?>) o;
        long[] v = new long[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (Long) l.get(i);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private void push(Object o) {
        stack.push(o == null ? NULL : o);
    }

    private static final Object NULL = new Object();

    private Object pop() {
        Object o = stack.pop();
        return o == NULL ? null : o;
    }

    private Object peek() {
        Object o = stack.peek();
        return o == NULL ? null : o;
    }

    private List<Object> popMark() {
        List<Object> out = new ArrayList<>();
        while (true) {
            Object o = stack.pop();
            if (o == MARK) {
                break;
            }
            out.add(0, o == NULL ? null : o);
        }
        return out;
    }

    private String line() {
        int start = pos;
        while (b[pos] != '\n') {
            pos++;
        }
        return new String(b, start, pos++ - start, StandardCharsets.UTF_8);
    }

    private String string(int n) {
        String s = new String(b, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private long u32() {
        long v = ByteBuffer.wrap(b, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        pos += 4;
        return v;
    }
}
