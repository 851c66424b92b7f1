package org.sltk.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the pickle (protocol 2) of a TorchScript module object the way {@code torch.jit.save}
 * does: {@code GLOBAL '__torch__ Class'}, {@code NEWOBJ}, then a dict of attribute values and
 * {@code BUILD}. Tensors are {@code torch._utils._rebuild_tensor_v2} calls whose storage is a
 * persistent id {@code ('storage', torch.FloatStorage, key, 'cpu', numel)} naming the archive
 * record {@code data/<key>}. Only the opcodes libtorch's unpickler reads are used.
 */
final class ModulePickler {

    private static final int PROTO = 0x80;
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int NEWOBJ = 0x81;
    private static final int EMPTY_DICT = '}';
    private static final int MARK = '(';
    private static final int TUPLE = 't';
    private static final int SETITEMS = 'u';
    private static final int BUILD = 'b';
    private static final int STOP = '.';
    private static final int BINUNICODE = 'X';
    private static final int BININT1 = 'K';
    private static final int BININT2 = 'M';
    private static final int BININT = 'J';
    private static final int LONG1 = 0x8a;
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int BINPERSID = 'Q';
    private static final int REDUCE = 'R';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts the module object: class {@code __torch__.<className>}, then its state dict. */
    ModulePickler(String className) {
        out.write(PROTO);
        out.write(2);
        global("__torch__", className);
        out.write(EMPTY_TUPLE);
        out.write(NEWOBJ);
        out.write(EMPTY_DICT);
        out.write(MARK);
    }

    /** Adds a tensor attribute whose storage is archive record {@code data/<key>}. */
    void tensor(String name, String storageType, String key, long[] shape, boolean requiresGrad) {
        string(name);
        long numel = 1;
        for (long d : shape) {
            numel *= d;
        }
        global("torch._utils", "_rebuild_tensor_v2");
        out.write(MARK);
        out.write(MARK);
        string("storage");
        global("torch", storageType);
        string(key);
        string("cpu");
        integer(numel);
        out.write(TUPLE);
        out.write(BINPERSID);
        integer(0); // storage offset
        out.write(MARK);
        for (long d : shape) {
            integer(d);
        }
        out.write(TUPLE);
        out.write(MARK);
        long stride = 1;
        long[] strides = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        for (long s : strides) {
            integer(s);
        }
        out.write(TUPLE);
        out.write(requiresGrad ? NEWTRUE : NEWFALSE);
        global("collections", "OrderedDict");
        out.write(EMPTY_TUPLE);
        out.write(REDUCE);
        out.write(TUPLE);
        out.write(REDUCE);
    }

    /** Adds a bool attribute. */
    void bool(String name, boolean value) {
        string(name);
        out.write(value ? NEWTRUE : NEWFALSE);
    }

    /** Adds a str attribute. */
    void str(String name, String value) {
        string(name);
        string(value);
    }

    /** Adds an int attribute. */
    void integerAttribute(String name, long value) {
        string(name);
        integer(value);
    }

    /** Closes the dict and the object and returns the pickle. */
    byte[] finish() {
        out.write(SETITEMS);
        out.write(BUILD);
        out.write(STOP);
        return out.toByteArray();
    }

    /**
     * Returns the pickle of an empty tuple: the {@code constants.pkl} of a module without
     * constants.
     */
    static byte[] emptyTuple() {
        return new byte[] {(byte) PROTO, 2, EMPTY_TUPLE, STOP};
    }

    private void global(String module, String name) {
        out.write(GLOBAL);
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        out.writeBytes(
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
    }

    private void integer(long v) {
        if (v >= 0 && v < 0x100) {
            out.write(BININT1);
            out.write((int) v);
        } else if (v >= 0 && v < 0x10000) {
            out.write(BININT2);
            out.write((int) (v & 0xFF));
            out.write((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write(BININT);
            out.writeBytes(
                    ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        } else {
            out.write(LONG1);
            out.write(8);
            out.writeBytes(
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
    }
}
