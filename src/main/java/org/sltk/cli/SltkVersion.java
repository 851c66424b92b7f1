package org.sltk.cli;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import org.sltk.util.Engines;
import picocli.CommandLine.IVersionProvider;

/**
 * Reports the sltk version, the Java runtime, the DJL engine, and the libtorch and JNI files really
 * loaded (DJL's version is only its setting, {@code PYTORCH_VERSION}), telling sltk's own JNI
 * bridge from DJL's prebuilt JNI.
 */
final class SltkVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Sltk.class.getPackage().getImplementationVersion();
        Engine e = Engines.engine();
        return new String[] {
            "sltk " + (v == null ? "dev" : v),
            "Java "
                    + System.getProperty("java.version")
                    + " ("
                    + System.getProperty("java.vendor")
                    + ")",
            "DJL "
                    + Engine.getDjlVersion()
                    + ", engine "
                    + e.getEngineName()
                    + " "
                    + e.getVersion()
                    + ", GPUs visible: "
                    + e.getGpuCount(),
            "libtorch: "
                    + Engines.loadedLibrary("torch_cpu")
                            .map(Path::toString)
                            .orElse("(not found in /proc/self/maps)")
                    + env("PYTORCH_LIBRARY_PATH")
                    + env("PYTORCH_VERSION")
                    + env("PYTORCH_FLAVOR"),
            "JNI: "
                    + Engines.loadedLibrary("djl_torch")
                            .map(
                                    p ->
                                            p
                                                    + (Engines.isOwnBridge(p)
                                                            ? " (sltk's own bridge)"
                                                            : " (DJL's prebuilt JNI)"))
                            .orElse("(not found in /proc/self/maps)")
        };
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "" : ", " + name + "=" + v;
    }
}
