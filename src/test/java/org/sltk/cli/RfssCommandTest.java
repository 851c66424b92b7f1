package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RfssCommandTest {

    @TempDir Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Sltk.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void tinyGridWritesCsvAndPng() throws Exception {
        Path dir = tmp.resolve("out");
        Run r =
                run(
                        "rfss",
                        "--n",
                        "4,8,10",
                        "--density",
                        "0.5,0.25",
                        "--eps",
                        "1e-1,1e-2",
                        "--instances",
                        "50",
                        "--seed",
                        "3",
                        "--out",
                        dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("rfss.csv"));
        assertEquals(
                "n,k,density,eps,instances,success,mean_error,median_error,floor,solver,dist,seed",
                csv.get(0));
        // density 0.25: n = 4 (k 1), 8 (k 2), 10 (k 3: round(2.5) = 3); density 0.5: three n; two
        // eps each
        assertEquals(1 + 3 * 2 * 2, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(1).startsWith("4,2,0.5,0.1,50,"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",auto,product,3"), csv.get(1));
        assertEquals(1600, ImageIO.read(dir.resolve("rfss.png").toFile()).getWidth());
        assertTrue(r.out().contains("wrote"), r.out());
        // the same seed gives the same file
        Path dir2 = tmp.resolve("out2");
        assertEquals(
                0,
                run(
                                "rfss",
                                "--n",
                                "4,8,10",
                                "--density",
                                "0.5,0.25",
                                "--eps",
                                "1e-1,1e-2",
                                "--instances",
                                "50",
                                "--seed",
                                "3",
                                "--solver",
                                "brute",
                                "--out",
                                dir2.toString())
                        .code());
        List<String> csv2 = Files.readAllLines(dir2.resolve("rfss.csv"));
        for (int i = 0; i < csv.size(); i++) {
            assertEquals(
                    csv.get(i).replace(",auto,", ",brute,"),
                    csv2.get(i),
                    "exact solvers agree, line " + i);
        }
    }

    @Test
    void badFlagsExitTwoWithOneLine() {
        String out = tmp.resolve("bad").toString();
        expectBad("sltk: --n: 65 is outside [1, 64]", "--n", "8,65", "--out", out);
        expectBad("sltk: --density: 1.5 is outside (0, 1]", "--density", "1.5", "--out", out);
        expectBad("sltk: --density: 0 is outside (0, 1]", "--density", "0", "--out", out);
        expectBad("sltk: --eps: 0 is not > 0", "--eps", "1e-3,0", "--out", out);
        expectBad("sltk: --eps: -0.1 is not > 0", "--eps", "-0.1", "--out", out);
        expectBad("sltk: --n: 'x' is not an integer", "--n", "x", "--out", out);
        expectBad("sltk: --instances: 0 is not >= 1", "--instances", "0", "--out", out);
        expectBad(
                "sltk: --dist: unknown distribution 'normal'; use product or uniform",
                "--dist",
                "normal",
                "--out",
                out);
        expectBad(
                "sltk: --solver: unknown solver 'cpsat'; use auto, mitm, tensor, swap or brute",
                "--solver",
                "cpsat",
                "--out",
                out);
        expectBad(
                "sltk: --n: (n, k) = (40, 20) is beyond the tensor solver's reach (C(n, k) <= 2000000); use a smaller n"
                        + " or --solver auto",
                "--solver",
                "tensor",
                "--n",
                "40",
                "--density",
                "0.5",
                "--out",
                out);
        expectBad(
                "sltk: --n: (n, k) = (64, 32) is beyond the auto solver's reach (at most 2097152 subset"
                        + " sums per half: n up to about 40 for every k, 64 for small k; else C(n, k) <= 20000000); use a smaller n or --solver swap",
                "--n",
                "64",
                "--density",
                "0.5",
                "--out",
                out);
        assertTrue(!Files.exists(tmp.resolve("bad")), "nothing written on bad input");
    }

    @Test
    void helpDocumentsEveryFlag() {
        Run r = run("rfss", "--help");
        assertEquals(0, r.code());
        for (String flag :
                new String[] {
                    "--n",
                    "--density",
                    "--eps",
                    "--instances",
                    "--dist",
                    "--solver",
                    "--seed",
                    "--out",
                    "--threads",
                    "--device"
                }) {
            assertTrue(r.out().contains(flag), flag + " in\n" + r.out());
        }
        assertTrue(r.out().contains("Default: 2000"), r.out());
    }

    @Test
    void speedWritesAMarkdownTable() throws Exception {
        Path file = tmp.resolve("speed.md");
        Run r =
                run(
                        "rfss-speed",
                        "--shapes",
                        "8:2,10:5",
                        "--instances",
                        "40",
                        "--seconds",
                        "0.01",
                        "--rounds",
                        "2",
                        "--device",
                        "cpu",
                        "--out",
                        file.toString());
        assertEquals(0, r.code(), r.err());
        List<String> md = Files.readAllLines(file);
        assertTrue(md.get(0).startsWith("| (n,k) | C(n,k) | floor 1/C | solver |"), md.get(0));
        assertEquals(
                2 * 5,
                md.stream().filter(l -> l.startsWith("| (")).count() - 1,
                String.join("\n", md));
        assertTrue(
                md.stream().anyMatch(l -> l.startsWith("| (8,2) | 28 | 0.0357 | mitm |")),
                String.join("\n", md));
        expectBadVerb(
                "rfss-speed",
                "sltk: --shapes: '8:9' is not N:K with 1 <= K <= N <= 64",
                "--shapes",
                "8:9");
        expectBadVerb(
                "rfss-speed",
                "sltk: --eps: Infinity is not a finite number >= 0",
                "--eps",
                "Infinity");
    }

    private static void expectBad(String line, String... args) {
        expectBadVerb("rfss", line, args);
    }

    private static void expectBadVerb(String verb, String line, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = verb;
        System.arraycopy(args, 0, all, 1, args.length);
        Run r = run(all);
        assertEquals(2, r.code(), String.join(" ", all) + ": " + r.err());
        assertEquals(line, r.err().strip(), String.join(" ", all));
    }
}
