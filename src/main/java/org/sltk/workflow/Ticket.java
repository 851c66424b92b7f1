package org.sltk.workflow;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.data.InputDomain;
import org.sltk.eval.EvalReport;
import org.sltk.eval.Evaluator;
import org.sltk.io.RunDirectory;
import org.sltk.io.TicketExport;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.TargetModel;
import org.sltk.prune.BlockCheck;
import org.sltk.prune.PruneConfig;
import org.sltk.prune.PruneResult;
import org.sltk.util.InputException;
import org.sltk.util.Provenance;

/**
 * A strong lottery ticket: the masked random network a {@link Pruner} found for a target, with the
 * settings, solver and input domain that produced it. It evaluates itself against its target, saves
 * itself as a run directory, exports itself as TorchScript and reloads.
 *
 * <p>A ticket keeps the evaluations made on it until they are written: {@link #save} writes them
 * into the run's {@code report.json} (earlier ones of a reloaded run are kept there, in order).
 */
public final class Ticket {

    private final TargetModel target;
    private final PruneResult result;
    private final InputDomain.Choice inputDomain;
    private final String dataset;
    private final Device device;
    private final Provenance provenance;
    private final long startNanos;
    private final List<EvalReport> unsaved = new ArrayList<>();
    private Path dir;

    Ticket(
            TargetModel target,
            PruneResult result,
            InputDomain.Choice inputDomain,
            String dataset,
            Device device,
            Provenance provenance,
            Path dir,
            long startNanos) {
        this.target = target;
        this.result = result;
        this.inputDomain = inputDomain;
        this.dataset = dataset;
        this.device = device;
        this.provenance = provenance;
        this.dir = dir;
        this.startNanos = startNanos;
    }

    /**
     * Reloads a run directory written by {@link #save} (or by {@code sltk prune}): rebuilds the
     * random network from its seed, reads the masks and checks their digest, and that every block
     * keeps exactly k units.
     *
     * @param dir the run directory
     * @param device the device for evaluations
     * @return the ticket
     * @throws InputException if a file is missing or damaged, or the masks are not a fixed-density
     *     ticket
     */
    public static Ticket load(Path dir, Device device) {
        long start = System.nanoTime();
        RunDirectory.Run r = RunDirectory.load(dir);
        PruneConfig c = r.config();
        List<String> bad = BlockCheck.violations(r.ticket(), c.n(), c.k(), c.nonNegativeInput(), 5);
        if (!bad.isEmpty()) {
            throw new InputException(
                    dir.resolve(RunDirectory.MASKS)
                            + ": not a fixed-density ticket: "
                            + bad.get(0));
        }
        return new Ticket(
                r.model(),
                r.result(),
                r.inputDomain(),
                r.dataset(),
                device,
                Provenance.current(device.toString()),
                dir,
                start);
    }

    /**
     * Reloads a run directory for evaluations on the CPU.
     *
     * @param dir the run directory
     * @return the ticket
     * @throws InputException as {@link #load(Path, Device)}
     */
    public static Ticket load(Path dir) {
        return load(dir, Device.cpu());
    }

    /**
     * Returns the target the ticket approximates.
     *
     * @return the target model
     */
    public TargetModel target() {
        return target;
    }

    /**
     * Returns the masked random network.
     *
     * @return the network
     */
    public MaskedNetwork network() {
        return result.ticket();
    }

    /**
     * Returns the pruning: settings, solver, per-layer statistics and time.
     *
     * @return the result
     */
    public PruneResult result() {
        return result;
    }

    /**
     * Returns the settings the ticket was pruned with.
     *
     * @return the settings
     */
    public PruneConfig config() {
        return result.config();
    }

    /**
     * Returns the input domain the ticket was pruned for, and why it was chosen.
     *
     * @return the domain
     */
    public InputDomain.Choice inputDomain() {
        return inputDomain;
    }

    /**
     * Returns the dataset the ticket is for, as {@link Datasets#load} takes it.
     *
     * @return its name or directory; empty for an imported target given no data
     */
    public Optional<String> dataset() {
        return Optional.ofNullable(dataset);
    }

    /**
     * Returns where and with what the ticket was made (or reloaded).
     *
     * @return the provenance
     */
    public Provenance provenance() {
        return provenance;
    }

    /**
     * Returns the run directory the ticket was loaded from or last saved to.
     *
     * @return the directory; empty for a ticket not saved yet
     */
    public Optional<Path> dir() {
        return Optional.ofNullable(dir);
    }

    /**
     * Returns the SHA-256 of the masks, the same on every machine for the same settings.
     *
     * @return 64 hex digits
     */
    public String digest() {
        return result.digest();
    }

    /**
     * Evaluates the ticket on the test split of its dataset ({@link #dataset()}).
     *
     * @return the report
     * @throws InputException if the ticket has no dataset, or the data lie outside its input domain
     */
    public EvalReport evaluate() {
        if (dataset == null) {
            throw InputException.forField(
                    "data",
                    "{data}: the target records no dataset; evaluate(ImageSet) or give"
                            + " Pruner.Builder.optDataset");
        }
        return evaluate(Datasets.load(dataset).test());
    }

    /**
     * Evaluates the ticket against its target on a dataset: accuracies, agreement, logit and
     * per-layer errors, and every image checked against its own guaranteed bound. The report is
     * kept for {@link #save}.
     *
     * @param data the images, inside the ticket's input domain
     * @return the report
     * @throws InputException if an image lies outside the input domain
     */
    public EvalReport evaluate(ImageSet data) {
        inputDomain.domain().check(data);
        EvalReport e =
                new Evaluator(device)
                        .evaluate(target.network(), network(), data, inputDomain.domain());
        unsaved.add(e);
        return e;
    }

    /**
     * Writes the ticket as a new run directory ({@code config.json}, {@code masks.npz}, {@code
     * prune.json}, and {@code report.json} with the evaluations made so far), replacing one of the
     * same name only once complete. Saving into the directory the ticket was loaded from keeps that
     * run's files and adds the new evaluations to its report.
     *
     * @param dir the directory
     */
    public void save(Path dir) {
        if (!dir.equals(this.dir)) {
            RunDirectory.save(dir, target, dataset, result, inputDomain, provenance);
            this.dir = dir;
        }
        for (EvalReport e : unsaved) {
            RunDirectory.writeReport(
                    dir,
                    target,
                    digest(),
                    inputDomain.domain(),
                    e,
                    Provenance.current(device.toString()),
                    (System.nanoTime() - startNanos) / 1e9);
        }
        unsaved.clear();
    }

    /**
     * Checks, before an evaluation starts, that {@link #save} into the run directory the ticket was
     * loaded from will keep what its report holds.
     *
     * @throws InputException if that report.json or prune.json cannot be kept
     */
    public void checkReportCanBeKept() {
        if (dir != null) {
            RunDirectory.checkReport(dir, digest());
        }
    }

    /**
     * Exports the ticket as a TorchScript module that {@code torch.jit.load} and DJL load; the
     * module refuses inputs outside the input domain and records the settings in {@code
     * extra/sltk.json}.
     *
     * @param file the {@code .pt} file, replaced atomically
     * @param layout {@link TicketExport.Layout#COMPACT} (only the used units) or {@link
     *     TicketExport.Layout#MASKED} (the literal subnetwork)
     */
    public void export(Path file, TicketExport.Layout layout) {
        TicketExport.write(network(), layout, inputDomain.domain(), file, metadata());
    }

    private Map<String, Object> metadata() {
        PruneConfig c = config();
        Map<String, Object> meta = new LinkedHashMap<>();
        if (dir != null) {
            meta.put("run", dir.toString());
        }
        meta.put("target", target.network().describe());
        meta.put("model", target.dir().toString());
        meta.put("modelParamsSha256", target.paramsSha256());
        meta.put("dataset", dataset);
        meta.put("density", c.density());
        meta.put("n", c.n());
        meta.put("k", c.k());
        meta.put("eps", c.eps());
        meta.put("solver", result.solver());
        meta.put("inputDomainReason", inputDomain.reason());
        meta.put("sltk", provenance.sltk());
        return meta;
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "Ticket(%s, density %s, n=%d, k=%d, %,d of %,d kept, digest %s)",
                target.describe(),
                PruneConfig.typed(config().density()),
                config().n(),
                config().k(),
                result.kept(),
                result.total(),
                digest().substring(0, 16));
    }
}
