package org.sltk.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.sltk.nn.PairMask;
import org.sltk.util.InputException;

/**
 * Reads the {@code masks.npz} of a run directory strictly, without an engine: a zip of one {@code
 * pair<l>.npy} per pair (as {@code numpy.savez} and DJL's {@code NDList.encode(NPZ)} write it),
 * each a 2-D int32 array (outputs, kept per output).
 *
 * <p>Every size is checked against the random network before anything is allocated: the file's
 * size, each entry's header length and shape, and each entry's data length, so a damaged or hostile
 * file costs at most the memory of the masks it should hold. Every problem is an {@link
 * InputException} with one line naming the file.
 */
final class NpzMasks {

    /** The npy magic string. */
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** The longest npy header accepted (numpy writes 64 to 128 bytes). */
    private static final int MAX_HEADER = 1 << 16;

    private static final Pattern NAME = Pattern.compile("pair(0|[1-9][0-9]{0,5})\\.npy");
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpzMasks() {}

    /**
     * Reads the masks of a run.
     *
     * @param file the masks file
     * @param outputs per pair, the outputs of its second layer (rows of its array)
     * @param units per pair, the hidden units (a row keeps at most this many distinct units)
     * @return one mask per pair
     * @throws InputException if the file is missing, too large or malformed
     */
    static List<PairMask> read(Path file, int[] outputs, int[] units) {
        long limit = maxFileBytes(outputs, units);
        try {
            long size = Files.size(file);
            if (size > limit) {
                throw new InputException(
                        file
                                + ": "
                                + size
                                + " bytes, more than the "
                                + limit
                                + " that masks of this network can take; not a masks file of this run");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return decode(file.toString(), in, outputs, units);
            }
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The largest plausible masks file: every array at its largest, stored, plus zip overhead. */
    private static long maxFileBytes(int[] outputs, int[] units) {
        long total = 0;
        for (int l = 0; l < outputs.length; l++) {
            total += maxEntryBytes(outputs[l], units[l]) + 1024;
        }
        return total + 4096;
    }

    private static long maxEntryBytes(int outputs, int units) {
        return 10 + MAX_HEADER + 4L * outputs * units;
    }

    /**
     * Decodes masks from the bytes of an npz file.
     *
     * @param name the file name for messages
     * @param raw the file's bytes
     * @param outputs per pair, the outputs
     * @param units per pair, the hidden units
     * @return one mask per pair
     * @throws InputException if the content is malformed
     */
    static List<PairMask> decode(String name, InputStream raw, int[] outputs, int[] units) {
        int pairs = outputs.length;
        PairMask[] masks = new PairMask[pairs];
        try (ZipInputStream zip = new ZipInputStream(raw)) {
            int entries = 0;
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (++entries > pairs) {
                    throw new InputException(
                            name
                                    + ": more than the "
                                    + pairs
                                    + " arrays pair0.npy.. of this network");
                }
                Matcher m = NAME.matcher(e.getName());
                int l = m.matches() ? Integer.parseInt(m.group(1)) : -1;
                if (l < 0 || l >= pairs) {
                    throw new InputException(
                            name
                                    + ": unexpected entry '"
                                    + printable(e.getName())
                                    + "'; expected pair0.npy to pair"
                                    + (pairs - 1)
                                    + ".npy");
                }
                if (masks[l] != null) {
                    throw new InputException(name + ": entry " + e.getName() + " appears twice");
                }
                masks[l] = readNpy(name + " (" + e.getName() + ")", zip, outputs[l], units[l]);
            }
        } catch (IOException | IllegalArgumentException e) {
            // ZipException, EOFException, and a malformed entry name (IllegalArgumentException)
            if (e instanceof InputException) {
                throw (InputException) e;
            }
            throw new InputException(
                    name
                            + ": not a readable npz file ("
                            + printable(String.valueOf(e.getMessage()))
                            + ")",
                    e);
        }
        List<PairMask> list = new ArrayList<>(pairs);
        for (int l = 0; l < pairs; l++) {
            if (masks[l] == null) {
                throw new InputException(
                        name
                                + ": missing array pair"
                                + l
                                + ".npy; the network has "
                                + pairs
                                + " layers");
            }
            list.add(masks[l]);
        }
        return list;
    }

    private static PairMask readNpy(String name, InputStream in, int outputs, int units)
            throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !startsWith(magic, NPY_MAGIC)) {
            throw new InputException(name + ": not an npy array (expected the magic \\x93NUMPY)");
        }
        int major = magic[6] & 0xFF;
        int headerLength;
        if (major == 1) {
            byte[] b = in.readNBytes(2);
            headerLength = b.length < 2 ? -1 : (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        } else if (major == 2 || major == 3) {
            byte[] b = in.readNBytes(4);
            headerLength =
                    b.length < 4 ? -1 : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new InputException(
                    name + ": npy format version " + major + " is not supported (1, 2 or 3)");
        }
        if (headerLength < 0 || headerLength > MAX_HEADER) {
            throw new InputException(name + ": truncated or oversized npy header");
        }
        byte[] hb = in.readNBytes(headerLength);
        if (hb.length < headerLength) {
            throw new InputException(name + ": truncated npy header");
        }
        String header =
                new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new InputException(name + ": npy header lacks descr, fortran_order or shape");
        }
        ByteOrder order;
        switch (d.group(1)) {
            case "<i4":
                order = ByteOrder.LITTLE_ENDIAN;
                break;
            case ">i4":
                order = ByteOrder.BIG_ENDIAN;
                break;
            default:
                throw new InputException(
                        name + ": dtype '" + printable(d.group(1)) + "', expected int32 ('<i4')");
        }
        if (f.group(1).equals("True")) {
            throw new InputException(name + ": Fortran-ordered array; expected C order");
        }
        long[] shape = shape(name, s.group(1));
        // messages show the parsed sizes, never the header's text (it may hold line breaks)
        String shapeText =
                java.util.Arrays.stream(shape)
                        .mapToObj(Long::toString)
                        .collect(
                                java.util.stream.Collectors.joining(
                                        ", ", "(", shape.length == 1 ? ",)" : ")"));
        if (shape.length != 2 || shape[0] != outputs) {
            throw new InputException(
                    name
                            + ": shape "
                            + shapeText
                            + ", expected ("
                            + outputs
                            + ", kept per output)");
        }
        if (shape[1] > units) {
            throw new InputException(
                    name
                            + ": "
                            + shape[1]
                            + " kept units per output, more than the "
                            + units
                            + " hidden units of the pair");
        }
        long cells = shape[0] * shape[1]; // at most outputs * units, checked above
        if (4 * cells > Integer.MAX_VALUE - 8) {
            throw new InputException(name + ": shape " + shapeText + " is too large for one array");
        }
        int count = (int) cells;
        byte[] data = in.readNBytes(4 * count);
        if (data.length < 4 * count) {
            throw new InputException(
                    name
                            + ": truncated data: expected "
                            + 4L * count
                            + " bytes, found "
                            + data.length);
        }
        if (in.read() != -1) {
            throw new InputException(name + ": more data than its shape " + shapeText + " holds");
        }
        int[] kept = new int[count];
        ByteBuffer.wrap(data).order(order).asIntBuffer().get(kept);
        for (int v : kept) {
            if (v < 0 || v >= units) {
                throw new InputException(
                        name
                                + ": keeps unit "
                                + v
                                + ", outside the pair's "
                                + units
                                + " hidden units");
            }
        }
        try {
            return new PairMask((int) shape[0], (int) shape[1], kept);
        } catch (IllegalArgumentException e) {
            throw new InputException(name + ": " + e.getMessage());
        }
    }

    private static long[] shape(String name, String text) {
        String[] parts = text.split(",", -1);
        List<Long> dims = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty() && i == parts.length - 1 && i > 0) {
                break; // trailing comma, as in (3,)
            }
            if (!p.matches("[0-9]{1,10}")) {
                throw new InputException(
                        name + ": shape (" + printable(text.trim()) + ") is not a tuple of sizes");
            }
            dims.add(Long.parseLong(p));
            if (dims.size() > 8) {
                break;
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Keeps a message on one short line of printable characters. */
    private static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7E]", "?");
        return t.length() > 80 ? t.substring(0, 80) + "..." : t;
    }
}
