package org.sltk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sltk.TestRequirements;

/**
 * With sltk's own JNI bridge built ({@code scripts/torch-bridge.sh build}), a child JVM runs {@link
 * BridgeProbe} under the bridge's environment: tensor operations work, a libtorch error arrives as
 * DJL's {@code EngineException}, and a native the bridge lacks gives one clear line naming it, not
 * a crash. It runs only in the bridge pass of {@code scripts/test.sh} ({@code
 * scripts/torch-bridge.sh test}, SLTK_BRIDGE_REQUIRED=1, where a missing bridge fails): the plain
 * {@code mvn test} leaves it out (Surefire excludes in pom.xml), so that CI, where no test may be
 * skipped, runs it once with the bridge. Run alone ({@code -Dtest=MissingNativeTest}) where no
 * bridge has been built, it is skipped with the reason printed (fails under CI=true).
 */
class MissingNativeTest {

    static final Path ENV = Path.of("target/torch-bridge/env.sh");

    @Test
    void aNativeMissingFromTheBridgeGivesOneClearLine() throws IOException, InterruptedException {
        String why =
                "no JNI bridge built (" + ENV + " missing; scripts/torch-bridge.sh build makes it)";
        boolean built = Files.isRegularFile(ENV);
        assertTrue(built || !"1".equals(System.getenv("SLTK_BRIDGE_REQUIRED")), why);
        TestRequirements.require(built, why);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the test class path without DJL's libtorch and JNI jars: the bridge must stand alone
        StringBuilder cp = new StringBuilder();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            if (!name.startsWith("pytorch-native-") && !name.startsWith("pytorch-jni-")) {
                cp.append(cp.length() == 0 ? "" : File.pathSeparator).append(e);
            }
        }
        Path out = Files.createTempFile("bridge-probe", ".txt");
        Process p =
                new ProcessBuilder(
                                "bash",
                                "-c",
                                "source \"$1\" && exec \"$2\" -Xmx1g -cp \"$3\" -Dai.djl.offline=true"
                                        + " -Dorg.slf4j.simpleLogger.defaultLogLevel=error org.sltk.bridge.BridgeProbe",
                                "probe",
                                ENV.toString(),
                                java,
                                cp.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe timed out");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        System.out.println(text);
        assertFalse(text.contains("A fatal error has been detected"), "JVM crash:\n" + text);
        assertTrue(text.contains("own=true"), "DJL did not load sltk's bridge:\n" + text);
        assertTrue(text.contains("MATMUL [7.0, 10.0, 15.0, 22.0]"), text);
        assertTrue(
                text.contains("ENGINE EXCEPTION "),
                "a libtorch error must arrive as EngineException:\n" + text);
        assertEquals(3, p.exitValue(), text);
        assertTrue(
                text.contains("LINE sltk: the JNI library ")
                        && text.contains(
                                "(sltk's own bridge) lacks the native PyTorchLibrary.torchExp that this run needs;"
                                        + " add it to native/ and native/natives.txt (scripts/torch-bridge.sh natives)"),
                text);
    }
}
