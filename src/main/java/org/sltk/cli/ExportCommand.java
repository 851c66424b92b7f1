package org.sltk.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sltk.data.InputDomain;
import org.sltk.io.PopupRunDirectory;
import org.sltk.io.TicketExport;
import org.sltk.nn.MaskedNetwork;
import org.sltk.util.InputException;
import org.sltk.workflow.Ticket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sltk export}: writes a run's ticket as a TorchScript module that libtorch and Python load.
 */
@Command(
        name = "export",
        header =
                "Export a run's ticket as a TorchScript module (masked or compact layout) or as"
                        + " pruned torch.nn modules (torch-prune).",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the pruned subnetwork of a run as a TorchScript module (torch.jit.load in Python,",
            "torch::jit::load in C++, DJL's PyTorch engine in Java) computing the same function as sltk eval.",
            "Layouts: masked = dense weights already multiplied by the boolean masks (zeros where pruned, so",
            "the random network itself is not in the file; masks kept as buffers);",
            "compact = dead units removed: per-unit scale and input index, then the kept weights.",
            "The module refuses inputs outside the input domain the run was pruned for (e.g. a negative",
            "input to a ticket pruned for non-negative pixels in [0, 1]) and records it as sltk_input_domain.",
            "CNN runs (sltk prune --model of a cnn): masked = conv2d with the masked random kernels, then the",
            "1x1 conv, with the target's ReLU/pooling/flatten; compact = only the used hidden channels.",
            "torch-prune = not TorchScript but a torch.save file of an nn.Sequential of standard Linear/Conv2d",
            "modules as torch.nn.utils.prune leaves them: weight_orig holds the dense random weights (the",
            "random network itself), buffer weight_mask the mask; torch.load(f, weights_only=False) reads it",
            "and prune.remove(module, 'weight') makes the plain subnetwork. It does not check the input domain."
        })
final class ExportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--run",
            required = true,
            paramLabel = "DIR",
            description = "Run directory written by sltk prune or sltk popup.")
    Path run;

    @Option(
            names = "--format",
            defaultValue = "torchscript",
            paramLabel = "FMT",
            description =
                    "Output format; only torchscript (torch-prune layouts are torch.save files)."
                            + " Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(
            names = "--layout",
            defaultValue = "compact",
            paramLabel = "masked|compact|torch-prune",
            description = "Weight layout of the module. Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "The .pt file to write (replaced atomically).")
    Path out;

    @Mixin Common.DebugOption debug;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        if (!format.trim().equalsIgnoreCase("torchscript")) {
            throw new InputException(
                    "--format: unknown format '" + format + "'; only torchscript is supported");
        }
        TicketExport.Layout l = TicketExport.Layout.parse(layout.trim());
        if (Files.isDirectory(out)) {
            throw new InputException(
                    "--out " + out + ": is a directory; give a file name such as ticket.pt");
        }
        if (PopupRunDirectory.isPopupRun(run)) {
            PopupRunDirectory.Run pr = PopupRunDirectory.load(run);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("run", run.toString());
            meta.put("dataset", pr.dataset());
            meta.put("density", pr.network().density());
            meta.put("recordedTestAccuracy", pr.testAccuracy());
            TicketExport.writePopup(pr.network(), pr.masks(), l, InputDomain.SIGNED, out, meta);
            spec.commandLine()
                    .getOut()
                    .printf(
                            Locale.ROOT,
                            "wrote %s: edge-popup ticket, %s, %s layout, %d kept parameters, %.1f KiB,"
                                    + " mask digest %s (a network on its own: no input-domain check); %.1fs%n",
                            out,
                            l == TicketExport.Layout.TORCH_PRUNE
                                    ? "torch.save of pruned torch.nn modules"
                                    : "TorchScript",
                            l.id(),
                            pr.network().keptCount(),
                            out.toFile().length() / 1024.0,
                            pr.digest().substring(0, 16),
                            (System.nanoTime() - start) / 1e9);
            spec.commandLine().getOut().flush();
            return 0;
        }
        Ticket r = Ticket.load(run);
        r.export(out, l);
        MaskedNetwork t = r.network();
        long kept = 0;
        for (int p = 0; p < t.masks().size(); p++) {
            kept += t.keptFirst(p) + t.keptSecond(p);
        }
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "wrote %s: %s, %s layout, %d kept weights, %.1f KiB, mask digest %s, input domain %s%s; %.1fs%n",
                        out,
                        l == TicketExport.Layout.TORCH_PRUNE
                                ? "torch.save of pruned torch.nn modules"
                                : "TorchScript",
                        l.id(),
                        kept,
                        out.toFile().length() / 1024.0,
                        t.digest().substring(0, 16),
                        r.inputDomain().domain().describe(),
                        l == TicketExport.Layout.TORCH_PRUNE
                                        || Double.isInfinite(r.inputDomain().domain().lo())
                                                && Double.isInfinite(r.inputDomain().domain().hi())
                                ? " (not checked)"
                                : " (checked by forward)",
                        (System.nanoTime() - start) / 1e9);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
