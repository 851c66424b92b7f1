package org.sltk.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/torch-bridge.sh header} makes the JNI header from DJL's pytorch-engine sources jar
 * as Maven resolves it, from whatever local repository Maven is set to use, not from a fixed {@code
 * ~/.m2/repository}. Each case gives Maven a user home of its own (MAVEN_OPTS=-Duser.home) whose
 * settings.xml serves this build's own local repository as a remote one (file://, so no download
 * where this build has everything), and puts a marked sources jar, whose PyTorchLibrary declares
 * one native found nowhere else, only in the repository Maven is told to use: the header must
 * declare that native.
 */
class BridgeHeaderTest {

    static final String DJL = "0.36.0";
    static final String MARK = "sltkOnlyInTheConfiguredRepository";

    /** The local repository this build resolved its jars from: six folders above JUnit's jar. */
    static Path buildRepository() throws URISyntaxException {
        Path jar = Path.of(Test.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path repo = jar;
        for (int i = 0; i < 6; i++) {
            repo = repo.getParent();
        }
        assertTrue(
                Files.isDirectory(repo.resolve("org/junit/jupiter")),
                "not a Maven repository: " + repo);
        return repo;
    }

    /**
     * A sources jar whose PyTorchLibrary has one native, {@link #MARK}, in the layout of {@code
     * repo}.
     */
    static void plantSources(Path repo) throws IOException {
        Path jar =
                repo.resolve(
                        "ai/djl/pytorch/pytorch-engine/"
                                + DJL
                                + "/pytorch-engine-"
                                + DJL
                                + "-sources.jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream o = Files.newOutputStream(jar);
                ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("ai/djl/pytorch/jni/PyTorchLibrary.java"));
            z.write(
                    ("package ai.djl.pytorch.jni;\n\npublic final class PyTorchLibrary {\n    native long "
                                    + MARK
                                    + "(long h);\n}\n")
                            .getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
    }

    /**
     * A user home for Maven: settings.xml with, if given, a localRepository, and this build's local
     * repository as the first remote one for artifacts and plugins (Maven Central stays behind it,
     * for what this build has not yet resolved, such as the dependency plugin on a fresh machine).
     */
    static Path home(Path dir, Path localRepository) throws Exception {
        Path m2 = Files.createDirectories(dir.resolve(".m2"));
        String url = buildRepository().toUri().toString();
        Files.writeString(
                m2.resolve("settings.xml"),
                "<settings>\n"
                        + (localRepository == null
                                ? ""
                                : "  <localRepository>" + localRepository + "</localRepository>\n")
                        + "  <profiles><profile><id>this-build</id>\n"
                        + "    <repositories><repository><id>this-build</id><url>"
                        + url
                        + "</url></repository></repositories>\n"
                        + "    <pluginRepositories><pluginRepository><id>this-build</id><url>"
                        + url
                        + "</url></pluginRepository></pluginRepositories>\n"
                        + "  </profile></profiles>\n"
                        + "  <activeProfiles><activeProfile>this-build</activeProfile></activeProfiles>\n"
                        + "</settings>\n");
        return dir;
    }

    /**
     * Runs the header command with the given MAVEN_OPTS, HOME and output folder; returns its
     * output.
     */
    static String header(String mavenOpts, Path home, Path out) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("bash", "scripts/torch-bridge.sh", "header")
                        .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("MAVEN_OPTS", mavenOpts);
        env.put("HOME", home.toString());
        env.put("SLTK_BRIDGE_OUT", out.toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "torch-bridge.sh header timed out");
        assertEquals(0, p.exitValue(), log);
        return log;
    }

    static void assertHeaderFromThePlantedJar(Path out, String log) throws IOException {
        Path h = out.resolve("include/ai_djl_pytorch_jni_PyTorchLibrary.h");
        assertTrue(Files.isRegularFile(h), log);
        String text = Files.readString(h);
        assertTrue(
                text.contains("Java_ai_djl_pytorch_jni_PyTorchLibrary_" + MARK),
                "header not made from the configured repository's jar:\n" + log);
        assertTrue(log.contains("(1 natives)"), log);
    }

    @Test
    void headerFromTheRepositoryOfSettingsXml(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("elsewhere");
        plantSources(repo);
        Path home = home(dir.resolve("home"), repo);
        Path out = dir.resolve("out");
        String log = header("-Duser.home=" + home, home, out);
        assertHeaderFromThePlantedJar(out, log);
    }

    @Test
    void headerFromTheRepositoryOfMavenRepoLocal(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("repo-local");
        plantSources(repo);
        Path home = home(dir.resolve("home"), null);
        Path out = dir.resolve("out");
        String log = header("-Duser.home=" + home + " -Dmaven.repo.local=" + repo, home, out);
        assertHeaderFromThePlantedJar(out, log);
    }
}
