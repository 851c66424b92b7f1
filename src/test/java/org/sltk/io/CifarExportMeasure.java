package org.sltk.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.nn.MaskedNetwork;
import org.sltk.util.Engines;
import org.sltk.workflow.Ticket;

/**
 * Exports a CIFAR-10 ticket (a run of the shipped VGG) in the three layouts and compares the logits
 * of libtorch through DJL (the two TorchScript layouts) and of Python's torch (all three: {@code
 * torch.jit.load}, or {@code torch.load} for torch-prune) with sltk's effective, compact and plain
 * passes on the first test images; prints one line per layout and deletes each file after it (the
 * torch-prune file of a 270M-parameter random network is about 3 GB). Not a test (run by hand):
 *
 * <pre>
 * java -Xmx10g -cp "target/classes:target/test-classes:target/lib/*" org.sltk.io.CifarExportMeasure RUN WORKDIR [IMAGES]
 * </pre>
 */
final class CifarExportMeasure {

    private CifarExportMeasure() {}

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Files.createDirectories(work);
        Ticket t = Ticket.load(run, Device.cpu());
        ImageSet test = Datasets.load("cifar10").test().subset(0, n);
        float[] x = test.pixels();
        MaskedNetwork net = t.network();
        float[] eff, comp, plain;
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray in = m.create(x, new Shape(n, 3, 32, 32));
            eff = net.forwardEffective(in).toFloatArray();
            comp = net.forwardCompact(in).toFloatArray();
            plain = net.forwardDense(in).toFloatArray();
        }
        System.out.printf(
                Locale.ROOT,
                "%d CIFAR-10 test images; logits up to %.2f; effective vs plain %.3g, compact vs plain %.3g%n",
                n,
                maxAbs(plain),
                maxDiff(eff, plain),
                maxDiff(comp, plain));
        Path input = work.resolve("x.bin");
        TorchScripts.writeFloats(input, x);
        for (TicketExport.Layout l : TicketExport.Layout.values()) {
            Path file = work.resolve("vgg-" + l.id() + ".pt");
            long t0 = System.nanoTime();
            t.export(file, l);
            double wsec = (System.nanoTime() - t0) / 1e9;
            String djl = "n/a (torch.save pickle)";
            if (l != TicketExport.Layout.TORCH_PRUNE) {
                float[] got = TorchScripts.runDjl(file, x, n, 3072);
                djl =
                        String.format(
                                Locale.ROOT,
                                "DJL %.3g vs plain, %.3g vs compact, %.3g vs effective",
                                maxDiff(got, plain),
                                maxDiff(got, comp),
                                maxDiff(got, eff));
            }
            float[] py =
                    TorchScripts.floats(
                            TorchScripts.runPython(
                                    file,
                                    l == TicketExport.Layout.TORCH_PRUNE,
                                    input,
                                    new long[] {n, 3, 32, 32},
                                    work));
            System.out.printf(
                    Locale.ROOT,
                    "%-11s %8.1f MiB written in %.1f s; %s; Python torch %.3g vs plain, %.3g vs effective%n",
                    l.id(),
                    Files.size(file) / 1048576.0,
                    wsec,
                    djl,
                    maxDiff(py, plain),
                    maxDiff(py, eff));
            Files.delete(file);
        }
    }
}
