package org.sltk.util;

import ai.djl.engine.Engine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and with what a result was produced: sltk, Java, OS and DJL/libtorch versions, device,
 * host cores and time; recorded while the work happens, into every run and report.
 */
public final class Provenance {

    private Provenance() {}

    /**
     * Returns the provenance of the current process.
     *
     * @param device the device the tensors ran on
     * @return ordered key-value pairs, ready for JSON
     */
    public static Map<String, Object> current(String device) {
        Map<String, Object> p = new LinkedHashMap<>();
        String v = Provenance.class.getPackage().getImplementationVersion();
        p.put("sltk", v == null ? "dev" : v);
        p.put("java", System.getProperty("java.version") + " " + System.getProperty("java.vendor"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("cores", Runtime.getRuntime().availableProcessors());
        p.put("djl", Engine.getDjlVersion());
        p.put("engine", Engines.engine().getEngineName() + " " + Engines.engine().getVersion());
        p.put("device", device);
        p.put("time", Instant.now().toString());
        return p;
    }
}
