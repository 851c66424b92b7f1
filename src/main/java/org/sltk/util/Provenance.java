package org.sltk.util;

import ai.djl.engine.Engine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and with what a result was produced, recorded while the work happens into every run, report
 * and model: sltk, Java, OS and DJL/libtorch versions, device, host cores and time.
 *
 * @param sltk the sltk version ({@code dev} when run from a source build)
 * @param java the Java runtime version and vendor
 * @param os the operating system and architecture
 * @param cores the processors the JVM sees
 * @param djl the DJL version
 * @param engine the engine and its version, e.g. {@code PyTorch 2.7.1}
 * @param device the device the tensors ran on
 * @param time when it was recorded, ISO-8601
 */
public record Provenance(
        String sltk,
        String java,
        String os,
        int cores,
        String djl,
        String engine,
        String device,
        String time) {

    /**
     * Returns the provenance of the current process.
     *
     * @param device the device the tensors run on
     * @return the provenance, timed now
     */
    public static Provenance current(String device) {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return new Provenance(
                v == null ? "dev" : v,
                System.getProperty("java.version") + " " + System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                Engine.getDjlVersion(),
                Engines.engine().getEngineName() + " " + Engines.engine().getVersion(),
                device,
                Instant.now().toString());
    }

    /**
     * Returns the fields in order, for JSON files; the names are the record's.
     *
     * @return ordered key-value pairs
     */
    public Map<String, Object> toMap() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sltk", sltk);
        p.put("java", java);
        p.put("os", os);
        p.put("cores", cores);
        p.put("djl", djl);
        p.put("engine", engine);
        p.put("device", device);
        p.put("time", time);
        return p;
    }

    /** {@return a record whose every field is unknown: null strings, -1 cores} */
    public static Provenance unknown() {
        return new Provenance(null, null, null, -1, null, null, null, null);
    }

    /**
     * {@return this record with another engine}
     *
     * @param engine the engine and its version, e.g. {@code PyTorch 2.7.1}
     */
    public Provenance withEngine(String engine) {
        return new Provenance(sltk, java, os, cores, djl, engine, device, time);
    }

    /**
     * {@return this record with another time}
     *
     * @param time when it was recorded, ISO-8601
     */
    public Provenance withTime(String time) {
        return new Provenance(sltk, java, os, cores, djl, engine, device, time);
    }
}
