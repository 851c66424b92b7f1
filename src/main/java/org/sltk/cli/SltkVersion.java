package org.sltk.cli;

import ai.djl.engine.Engine;
import org.sltk.util.Engines;
import picocli.CommandLine.IVersionProvider;

/** Reports the sltk version, the Java runtime, and the DJL engine with its libtorch. */
final class SltkVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Sltk.class.getPackage().getImplementationVersion();
        Engine e = Engines.engine();
        return new String[] {
            "sltk " + (v == null ? "dev" : v),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            "DJL " + Engine.getDjlVersion() + ", engine " + e.getEngineName() + " " + e.getVersion()
                    + ", GPUs visible: " + e.getGpuCount()
        };
    }
}
