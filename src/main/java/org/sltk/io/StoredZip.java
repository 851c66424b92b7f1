package org.sltk.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A minimal ZIP writer for TorchScript archives: every entry is stored (not compressed), its data
 * starts on a 64-byte boundary (PyTorch's writer pads the same way, so libtorch can map tensors in
 * place), and the timestamps are fixed at 1980-01-01 so the same content gives the same bytes. No
 * ZIP64: an archive or entry of 4 GiB or more is refused.
 */
final class StoredZip {

    private static final int ALIGN = 64;
    private static final int DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
    private static final short PAD_TAG = 0x4246; // "FB", the padding tag PyTorch uses

    private record Entry(byte[] name, long crc, long size, long offset) {}

    private final OutputStream out;
    private final List<Entry> entries = new ArrayList<>();
    private long position;

    StoredZip(OutputStream out) {
        this.out = out;
    }

    /**
     * Adds one stored entry.
     *
     * @param name the entry name, e.g. {@code ticket/data/0}
     * @param data the content
     * @throws IOException on a write error
     */
    void add(String name, byte[] data) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(data);
        long offset = position;
        long dataStart = offset + 30 + n.length;
        int pad = 0;
        if (dataStart % ALIGN != 0) {
            pad = (int) (ALIGN - dataStart % ALIGN);
            if (pad < 4) {
                pad += ALIGN; // an extra field needs 4 header bytes
            }
        }
        check(data.length, name);
        ByteBuffer h = le(30 + n.length + pad);
        h.putInt(0x04034b50)
                .putShort((short) 20)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) DOS_DATE_1980_01_01)
                .putInt((int) crc.getValue())
                .putInt(data.length)
                .putInt(data.length)
                .putShort((short) n.length)
                .putShort((short) pad)
                .put(n);
        if (pad > 0) {
            h.putShort(PAD_TAG).putShort((short) (pad - 4));
            for (int i = 4; i < pad; i++) {
                h.put((byte) 'Z');
            }
        }
        write(h.array());
        write(data);
        entries.add(new Entry(n, crc.getValue(), data.length, offset));
    }

    /**
     * Writes the central directory and the end record; the stream stays open.
     *
     * @throws IOException on a write error
     */
    void finish() throws IOException {
        long cdStart = position;
        ByteArrayOutputStream cd = new ByteArrayOutputStream();
        for (Entry e : entries) {
            ByteBuffer c = le(46 + e.name.length);
            c.putInt(0x02014b50)
                    .putShort((short) 20)
                    .putShort((short) 20)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) DOS_DATE_1980_01_01)
                    .putInt((int) e.crc)
                    .putInt((int) e.size)
                    .putInt((int) e.size)
                    .putShort((short) e.name.length)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putShort((short) 0)
                    .putInt(0)
                    .putInt((int) e.offset)
                    .put(e.name);
            cd.write(c.array());
        }
        if (entries.size() > 0xFFFF) {
            throw new IOException("too many entries for a ZIP without ZIP64: " + entries.size());
        }
        write(cd.toByteArray());
        check(position, "the archive");
        ByteBuffer end = le(22);
        end.putInt(0x06054b50)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) entries.size())
                .putShort((short) entries.size())
                .putInt(cd.size())
                .putInt((int) cdStart)
                .putShort((short) 0);
        write(end.array());
        out.flush();
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        position += b.length;
    }

    private static void check(long size, String what) throws IOException {
        if (size >= 0xFFFFFFFFL) {
            throw new IOException(
                    what + " is 4 GiB or more; TorchScript export without ZIP64 cannot hold it");
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
