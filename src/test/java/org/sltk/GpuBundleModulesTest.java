package org.sltk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The Java runtime that {@code scripts/gpu-bundle.sh} jlinks for the device machine (which has no
 * Java) holds every JDK module sltk's own classes use: jdeps on target/classes against the script's
 * {@code --add-modules}. A module missing there fails only on the lent machine (the stages line's
 * CPU time needs jdk.management, and a bundle without it failed the dry run).
 */
class GpuBundleModulesTest {

    @Test
    void theBundlesRuntimeHasEveryModuleSltkUses() throws Exception {
        String script = Files.readString(Path.of("scripts/gpu-bundle.sh"));
        Matcher m = Pattern.compile("jlink\" --add-modules (\\S+)").matcher(script);
        assertTrue(m.find(), "scripts/gpu-bundle.sh has no jlink --add-modules");
        List<String> linked = Arrays.asList(m.group(1).split(","));
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc =
                jdeps.run(
                        new PrintWriter(out),
                        new PrintWriter(err),
                        "--ignore-missing-deps",
                        "--print-module-deps",
                        "--multi-release",
                        "17",
                        "target/classes");
        assertEquals(0, rc, "jdeps: " + err);
        List<String> used = Arrays.asList(out.toString().trim().split(","));
        assertTrue(used.contains("java.base"), "jdeps found no modules: " + out);
        for (String module : used) {
            assertTrue(
                    linked.contains(module),
                    "sltk uses "
                            + module
                            + ", which scripts/gpu-bundle.sh does not jlink: "
                            + linked);
        }
    }
}
