package org.sltk.prune;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import org.sltk.nn.MaskedNetwork;

/**
 * The outcome of a pruning run: the ticket (random network plus masks), the settings, and the
 * per-layer statistics.
 *
 * @param config the settings
 * @param solver the name of the solver that solved the blocks ({@link
 *     org.sltk.rfss.RfssSolver#name})
 * @param ticket the pruned subnetwork
 * @param layers per-layer statistics
 * @param seconds wall time of the whole run
 */
public record PruneResult(
        PruneConfig config,
        String solver,
        MaskedNetwork ticket,
        List<LayerStats> layers,
        double seconds) {

    /**
     * Copies the statistics.
     *
     * @param config the settings
     * @param solver the solver's name
     * @param ticket the pruned subnetwork
     * @param layers per-layer statistics
     * @param seconds wall time of the whole run
     */
    public PruneResult {
        layers = List.copyOf(layers);
    }

    /** {@return the masks' digest, the SHA-256} */
    public String digest() {
        return ticket.digest();
    }

    /** {@return the kept parameters over all layers} */
    public long kept() {
        return layers.stream().mapToLong(s -> s.keptFirst() + s.keptSecond()).sum();
    }

    /** {@return the parameters of the whole random network} */
    public long total() {
        return ticket.random().parameterCount();
    }

    /** {@return the overall density of the ticket in the random network, kept / total} */
    public double density() {
        return (double) kept() / total();
    }

    /**
     * Returns the pruning in words, as {@code sltk prune} prints it: the random network, one line
     * per layer (blocks, densities, block errors, misses), and the ticket's size and digest.
     *
     * @return the lines, each ending in a line break
     */
    public String summary() {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        PruneResult r = this;
        PruneConfig c = config;
        w.printf(
                Locale.ROOT,
                "random network: %,d parameters (%s, seed %d, pool %d); blocks of n=%d keep k=%d (block density %.4f)%n",
                r.total(),
                c.distribution().id(),
                c.seed(),
                c.pool(),
                c.n(),
                c.k(),
                (double) c.k() / c.n());
        w.printf(
                Locale.ROOT,
                "%-6s %-10s %9s %9s %9s %10s %10s %10s %7s %7s %7s%n",
                "layer",
                "shape",
                "blocks",
                "dens.1st",
                "dens.2nd",
                "median err",
                "p99 err",
                "max err",
                "misses",
                "unreach",
                "short");
        for (LayerStats s : r.layers()) {
            w.printf(
                    Locale.ROOT,
                    "%-6d %-10s %,9d %9.5f %9.5f %10.2e %10.2e %10.2e %7d %7d %7d%n",
                    s.layer() + 1,
                    s.in() + "->" + s.out(),
                    s.blocks(),
                    s.densityFirst(),
                    s.densitySecond(),
                    s.medianError(),
                    s.p99Error(),
                    s.maxError(),
                    s.misses(),
                    s.unreachable(),
                    s.shortBlocks());
        }
        long unreachable = r.layers().stream().mapToLong(LayerStats::unreachable).sum();
        if (unreachable > 0) {
            w.printf(
                    Locale.ROOT,
                    "note: %d block(s) have a target weight outside the range any k of their n products can"
                            + " reach; they keep their closest k (counted in misses and in the bound); a larger --n makes this rarer%n",
                    unreachable);
        }
        w.printf(
                Locale.ROOT,
                "ticket: %,d of %,d parameters kept (overall density %.5f); mask digest %s; pruned in %.2fs%n",
                r.kept(),
                r.total(),
                r.density(),
                r.digest().substring(0, 16),
                r.seconds());
        w.flush();
        return out.toString();
    }
}
