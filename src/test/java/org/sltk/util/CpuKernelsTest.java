package org.sltk.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CPU kernel pins: one list in scripts/cpu-kernels.sh, the same in {@link CpuKernels#PINS} and
 * in pom.xml's surefire profiles; the script exports them only where unset; the test JVM has them;
 * the CPU is read from /proc/cpuinfo; the warning for an unpinned AVX-512 process.
 */
class CpuKernelsTest {

    private static final Path SCRIPT = Path.of("scripts/cpu-kernels.sh");

    private static final String AVX512_CPUINFO =
            "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                    + "model name\t: AMD EPYC 9B45 128-Core Processor\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw avx512vl\n"
                    + "\nprocessor\t: 1\nmodel name\t: AMD EPYC 9B45 128-Core Processor\nflags\t\t: fpu avx2 avx512f\n";

    private static final String AVX2_CPUINFO =
            "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu avx avx2 fma\n";

    /** The NAME=value lines between the markers of the script. */
    static Map<String, String> scriptPins() throws IOException {
        Map<String, String> pins = new LinkedHashMap<>();
        boolean in = false;
        for (String line : Files.readAllLines(SCRIPT, StandardCharsets.UTF_8)) {
            if (line.equals("# --- pins ---")) {
                in = true;
            } else if (line.equals("# --- end ---")) {
                break;
            } else if (in) {
                String kv = line.substring(2);
                pins.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return pins;
    }

    @Test
    void oneListInTheScriptTheJavaSideAndThePom() throws IOException {
        Map<String, String> script = scriptPins();
        assertEquals(
                Map.of(
                        "DNNL_MAX_CPU_ISA",
                        "AVX2",
                        "ATEN_CPU_CAPABILITY",
                        "avx2",
                        "MKL_ENABLE_INSTRUCTIONS",
                        "AVX2"),
                script);
        assertEquals(script, CpuKernels.PINS);
        assertEquals(
                String.join(",", script.keySet()),
                String.join(",", CpuKernels.PINS.keySet()),
                "same order");
        String pom = Files.readString(Path.of("pom.xml"));
        Map<String, String> inPom = new LinkedHashMap<>();
        Matcher m =
                Pattern.compile(
                                "<id>cpu-pin-(\\w+)</id>.*?<property><name>!env\\.(\\w+)</name></property>.*?"
                                        + "<environmentVariables>\\s*<(\\w+)>([^<]*)</\\w+>",
                                Pattern.DOTALL)
                        .matcher(pom);
        while (m.find()) {
            assertEquals(m.group(1), m.group(2), "profile activated by its own variable");
            assertEquals(m.group(1), m.group(3), "profile sets its own variable");
            inPom.put(m.group(3), m.group(4));
        }
        assertEquals(script, inPom, "pom.xml surefire profiles");
    }

    @Test
    void theTestJvmRunsWithThePins() {
        for (String k : CpuKernels.PINS.keySet()) {
            assertNotNull(
                    System.getenv(k),
                    k + " is set by surefire (pom.xml profile cpu-pin-" + k + ") or by the user");
        }
        CpuKernels.Info now = CpuKernels.current();
        assertTrue(now.pinned());
        assertNull(CpuKernels.warning(now), "no warning with the pins");
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        CpuKernels.warnIfUnpinned(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("", buf.toString(StandardCharsets.UTF_8), "nothing to warn about");
    }

    @Test
    void theScriptExportsThePinsOnlyWhereUnset() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        ProcessBuilder pb =
                new ProcessBuilder(
                        "/bin/bash",
                        "-c",
                        "set -euo pipefail; source scripts/cpu-kernels.sh; for v in $SLTK_CPU_KERNEL_VARS; do echo \"$v=${!v-<unset>}\"; done");
        pb.environment().keySet().removeIf(k -> CpuKernels.PINS.containsKey(k));
        pb.environment().put("DNNL_MAX_CPU_ISA", "AVX512_CORE");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String cpuinfo =
                Files.isReadable(Path.of("/proc/cpuinfo"))
                        ? Files.readString(Path.of("/proc/cpuinfo"))
                        : "";
        boolean avx2 =
                System.getProperty("os.arch").equals("amd64")
                        && CpuKernels.parse(cpuinfo, Map.of()).avx2();
        assertEquals(
                "DNNL_MAX_CPU_ISA=AVX512_CORE\n"
                        + "ATEN_CPU_CAPABILITY="
                        + (avx2 ? "avx2" : "<unset>")
                        + "\n"
                        + "MKL_ENABLE_INSTRUCTIONS=AVX2\n",
                out,
                "the user's value is kept");
    }

    @Test
    void readsTheCpuAndWarnsOnlyForAnUnpinnedAvx512Process() {
        CpuKernels.Info bare = CpuKernels.parse(AVX512_CPUINFO, Map.of("PATH", "/bin"));
        assertEquals("AMD EPYC 9B45 128-Core Processor", bare.model());
        assertTrue(bare.avx2());
        assertTrue(bare.avx512f());
        assertFalse(bare.pinned());
        assertEquals(
                "AMD EPYC 9B45 128-Core Processor (AVX-512), DNNL_MAX_CPU_ISA unset, ATEN_CPU_CAPABILITY unset, "
                        + "MKL_ENABLE_INSTRUCTIONS unset",
                bare.describe());
        assertEquals(
                "sltk: warning: this CPU has AVX-512 and DNNL_MAX_CPU_ISA, ATEN_CPU_CAPABILITY, "
                        + "MKL_ENABLE_INSTRUCTIONS not set, so libtorch runs AVX-512 kernels: training is not bit-identical with "
                        + "AVX2 machines (and a CNN training test gave NaN on an AVX-512 CPU without them, issue 15); start the "
                        + "JVM with DNNL_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2 (./sltk does)",
                CpuKernels.warning(bare));

        Map<String, String> some = Map.of("DNNL_MAX_CPU_ISA", "AVX2");
        assertTrue(
                CpuKernels.warning(CpuKernels.parse(AVX512_CPUINFO, some))
                        .contains(
                                "AVX-512 and ATEN_CPU_CAPABILITY, MKL_ENABLE_INSTRUCTIONS not set"),
                "names only the missing ones");
        Map<String, String> own =
                Map.of(
                        "DNNL_MAX_CPU_ISA",
                        "AVX512_CORE",
                        "ATEN_CPU_CAPABILITY",
                        "avx512",
                        "MKL_ENABLE_INSTRUCTIONS",
                        "AVX512");
        assertNull(
                CpuKernels.warning(CpuKernels.parse(AVX512_CPUINFO, own)),
                "a user's own choice is respected");
        CpuKernels.Info zen3 = CpuKernels.parse(AVX2_CPUINFO, Map.of());
        assertFalse(zen3.avx512f());
        assertNull(CpuKernels.warning(zen3), "AVX2 machines run AVX2 kernels anyway");
        CpuKernels.Info none = CpuKernels.parse("", Map.of());
        assertNull(none.model());
        assertEquals(
                "unknown CPU (no AVX2), DNNL_MAX_CPU_ISA unset, ATEN_CPU_CAPABILITY unset, "
                        + "MKL_ENABLE_INSTRUCTIONS unset",
                none.describe());
    }
}
