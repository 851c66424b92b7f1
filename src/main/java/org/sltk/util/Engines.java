package org.sltk.util;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine without network access and turns {@code --device} values into
 * DJL devices.
 *
 * <p>DJL must never try to download: libtorch comes from the {@code pytorch-native-cpu} jar on
 * the class path (or from {@code PYTORCH_LIBRARY_PATH}). {@link #engine()} sets DJL's offline
 * mode unless the user set it explicitly.
 */
public final class Engines {

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
        return Engine.getEngine("PyTorch");
    }

    /**
     * Parses a device name: {@code cpu}, {@code gpu} (first GPU), {@code gpu:N}, or {@code auto}
     * (a GPU where DJL sees one, else the CPU).
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
