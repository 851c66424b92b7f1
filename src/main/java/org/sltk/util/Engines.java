package org.sltk.util;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts DJL's PyTorch engine without network access and turns {@code --device} values into DJL
 * devices.
 *
 * <p>DJL must never try to download: libtorch comes from the {@code pytorch-native-cpu} jar on the
 * class path (or from {@code PYTORCH_LIBRARY_PATH}). {@link #engine()} sets DJL's offline mode
 * unless the user set it explicitly.
 *
 * <p>With sltk's own JNI bridge ({@code native/}, {@code scripts/torch-bridge.sh}), the environment
 * variable {@code SLTK_BRIDGE} names the bridge file; {@link #engine()} then checks that DJL really
 * loaded the project's bridge and not its prebuilt 2.7.1 JNI. A native the bridge lacks fails only
 * when called, as an {@link UnsatisfiedLinkError}; {@link #linkErrorLine} turns that into one line.
 */
public final class Engines {

    /** Marker string compiled into sltk's own JNI bridge ({@code native/common.cc}). */
    public static final String BRIDGE_MARKER = "SLTK-JNI-BRIDGE";

    private static boolean bridgeChecked;

    private Engines() {}

    /**
     * Returns the PyTorch engine, started in offline mode.
     *
     * @return the engine
     */
    public static synchronized Engine engine() {
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engine engine = Engine.getEngine("PyTorch");
        if (!bridgeChecked) {
            bridgeChecked = true;
            checkBridge();
        }
        return engine;
    }

    private static void checkBridge() {
        String wanted = System.getenv("SLTK_BRIDGE");
        if (wanted == null || wanted.isBlank()) {
            return;
        }
        Optional<Path> jni = loadedLibrary("djl_torch");
        if (jni.isEmpty() || !isOwnBridge(jni.get())) {
            throw new IllegalStateException(
                    "SLTK_BRIDGE is set but DJL loaded "
                            + jni.map(Path::toString).orElse("no JNI library")
                            + ", not sltk's own JNI bridge; check PYTORCH_VERSION, PYTORCH_FLAVOR and"
                            + " DJL_CACHE_DIR against scripts/torch-bridge.sh env");
        }
    }

    /**
     * Finds a native library this process has mapped, from {@code /proc/self/maps} (Linux).
     *
     * @param nameFragment a fragment of the file name, such as {@code djl_torch} or {@code
     *     torch_cpu}
     * @return the library's path, if one is mapped
     */
    public static Optional<Path> loadedLibrary(String nameFragment) {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        try (var lines = Files.lines(maps)) {
            return lines.map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')))
                    .filter(
                            f ->
                                    Path.of(f).getFileName() != null
                                            && Path.of(f)
                                                    .getFileName()
                                                    .toString()
                                                    .contains(nameFragment))
                    .findFirst()
                    .map(Path::of);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a JNI file is sltk's own bridge (it holds {@link #BRIDGE_MARKER}).
     *
     * @param file the JNI library
     * @return true for the project's bridge, false for DJL's prebuilt JNI or an unreadable file
     */
    public static boolean isOwnBridge(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            return new String(b, StandardCharsets.ISO_8859_1).contains(BRIDGE_MARKER);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The one-line explanation of an {@link UnsatisfiedLinkError}: for a DJL PyTorch native the
     * loaded JNI lacks (a native not in sltk's own bridge), it names the native.
     *
     * @param e the error
     * @return the line, without the {@code sltk: } prefix
     */
    public static String linkErrorLine(UnsatisfiedLinkError e) {
        String msg = String.valueOf(e.getMessage());
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("PyTorchLibrary\\.(\\w+)\\(").matcher(msg);
        if (!m.find()) {
            return "UnsatisfiedLinkError: " + msg;
        }
        String jni = loadedLibrary("djl_torch").map(Path::toString).orElse("the JNI library");
        boolean own = loadedLibrary("djl_torch").map(Engines::isOwnBridge).orElse(false);
        return "the JNI library "
                + jni
                + (own ? " (sltk's own bridge)" : "")
                + " lacks the native PyTorchLibrary."
                + m.group(1)
                + " that this run needs"
                + (own
                        ? "; add it to native/ and native/natives.txt (scripts/torch-bridge.sh natives)"
                        : "");
    }

    /**
     * Parses a device name: {@code cpu}, {@code gpu} (first GPU), {@code gpu:N}, or {@code auto} (a
     * GPU where DJL sees one, else the CPU).
     *
     * @param name the value of {@code --device}
     * @return the device
     * @throws InputException if the name is unknown, or a GPU is asked for and none is present
     */
    public static Device device(String name) {
        String v = name == null ? "auto" : name.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("cpu")) {
            return Device.cpu();
        }
        if (v.equals("auto")) {
            return engine().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        int index;
        if (v.equals("gpu") || v.equals("cuda")) {
            index = 0;
        } else if (v.matches("(gpu|cuda):?\\d+")) {
            index = Integer.parseInt(v.replaceAll("\\D", ""));
        } else {
            throw new InputException(
                    "--device: unknown device '" + name + "'; use cpu, gpu, gpu:N or auto");
        }
        int gpus = engine().getGpuCount();
        if (index >= gpus) {
            throw new InputException(
                    "--device "
                            + name
                            + ": DJL sees "
                            + gpus
                            + " GPU(s) with the loaded libtorch ("
                            + engine().getVersion()
                            + "); use --device cpu or auto, or install DJL's CUDA flavour (see docs/gpu.md)");
        }
        return Device.gpu(index);
    }
}
