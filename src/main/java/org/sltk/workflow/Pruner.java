package org.sltk.workflow;

import ai.djl.Device;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sltk.data.InputDomain;
import org.sltk.nn.TargetModel;
import org.sltk.nn.WeightDistribution;
import org.sltk.prune.MemoryEstimate;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.prune.PruneResult;
import org.sltk.rfss.RfssSolver;
import org.sltk.rfss.RfssSolvers;
import org.sltk.util.InputException;
import org.sltk.util.Provenance;

/**
 * Prunes a target's seeded random network into a {@link Ticket} of an exact block density.
 *
 * <pre>{@code
 * Ticket t = Pruner.builder().setDensity(0.25).optEps(1e-3).optSeed(1).build().prune(target);
 * }</pre>
 *
 * Everything that can be refused is refused by {@link Builder#build()} (settings, a solver that
 * cannot reach the blocks) or by {@link #check} (a pool too large for the target's random network,
 * not enough memory), before any work.
 */
public final class Pruner {

    private final PruneConfig config;
    private final RfssSolver solver;
    private final Device device;
    private final InputDomain.Choice inputDomain;
    private final String dataset;

    private Pruner(Builder b, PruneConfig config, RfssSolver solver) {
        this.config = config;
        this.solver = solver;
        this.device = b.device;
        this.inputDomain = b.inputDomain;
        this.dataset = b.dataset;
    }

    /**
     * Returns a builder; only the density is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the dataset a target's ticket is for: the one given to the builder, else the one the
     * target records.
     *
     * @param target the target
     * @return the dataset's name or directory, or null for an imported target given none
     */
    public String datasetFor(TargetModel target) {
        return dataset != null ? dataset : target.info().dataset();
    }

    /**
     * Returns the input domain a target is pruned for: the one given to the builder, else {@link
     * InputDomain#PIXELS} when the ticket is for a dataset sltk loads (pixels in [0, 1]), {@link
     * InputDomain#SIGNED} when it is for none.
     *
     * @param target the target
     * @return the domain and why
     */
    public InputDomain.Choice inputDomainFor(TargetModel target) {
        if (inputDomain != null) {
            return inputDomain;
        }
        return InputDomain.Choice.auto(target.info().dataset(), dataset, Function.identity());
    }

    /**
     * Returns the settings a target is pruned with: the builder's, with the sign of its input
     * domain.
     *
     * @param target the target
     * @return the settings
     */
    public PruneConfig configFor(TargetModel target) {
        boolean nonNegative = inputDomainFor(target).domain().nonNegative();
        return nonNegative == config.nonNegativeInput()
                ? config
                : config.toBuilder().optNonNegativeInput(nonNegative).build();
    }

    /**
     * Returns the solver that solves the blocks.
     *
     * @return the solver
     */
    public RfssSolver solver() {
        return solver;
    }

    /**
     * Returns the device of the tensors (the random network, the evaluation, the tensor solver).
     *
     * @return the device
     */
    public Device device() {
        return device;
    }

    /**
     * Checks, before any work, that this pruner can prune a target: the pool fits the target's
     * random network, and the random network and its evaluation fit this JVM and machine.
     *
     * @param target the target
     * @param withEvaluation whether the ticket will be evaluated too (its passes need memory)
     * @throws InputException naming the setting and the fix
     */
    public void check(TargetModel target, boolean withEvaluation) {
        PruneConfig c = configFor(target);
        MemoryEstimate.of(target.network().architecture(), c, withEvaluation)
                .requireFits(Runtime.getRuntime().maxMemory(), MemoryEstimate.physicalMemory());
        // building the random network (cheap: its weights are drawn when read) checks the pool
        new PairPruner(c, solver).randomNetworkFor(target.network());
    }

    /**
     * Returns the pruning of a target, checked now and run when called: lets a caller refuse every
     * setting of several runs before the first starts.
     *
     * @param target the target
     * @param withEvaluation whether the ticket will be evaluated (for the memory check)
     * @return the pruning, to run later
     * @throws InputException as {@link #check}
     */
    public Supplier<Ticket> prepare(TargetModel target, boolean withEvaluation) {
        check(target, withEvaluation);
        return () -> run(target);
    }

    /**
     * Prunes a target: builds its seeded random network and solves one RFSS block per target weight
     * and needed sign.
     *
     * @param target the target
     * @return the ticket
     * @throws InputException as {@link #check}
     */
    public Ticket prune(TargetModel target) {
        check(target, false);
        return run(target);
    }

    private Ticket run(TargetModel target) {
        long start = System.nanoTime();
        InputDomain.Choice domain = inputDomainFor(target);
        PruneResult r = new PairPruner(configFor(target), solver).prune(target.network());
        return new Ticket(
                target,
                r,
                domain,
                datasetFor(target),
                device,
                Provenance.current(device.toString()),
                null,
                start);
    }

    /** Builds a {@link Pruner}: {@code setX} for required values, {@code optX} for the rest. */
    public static final class Builder {
        private final PruneConfig.Builder settings = PruneConfig.builder();
        private String solverName = "auto";
        private RfssSolver solver;
        private Device device = Device.cpu();
        private InputDomain.Choice inputDomain;
        private int threads = Runtime.getRuntime().availableProcessors();
        private String dataset;

        private Builder() {}

        /**
         * Sets the dataset the ticket is for (default: the one the target records): recorded in the
         * run, evaluated by {@link Ticket#evaluate()}, and for an imported target it makes the
         * automatic input domain pixels in [0, 1].
         *
         * @param dataset a name ({@code mnist}, {@code fashion-mnist}) or an IDX directory
         * @return this builder
         */
        public Builder optDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        /**
         * Sets the block density k / n (required).
         *
         * @param density in (0, 1]
         * @return this builder
         */
        public Builder setDensity(double density) {
            settings.setDensity(density);
            return this;
        }

        /**
         * Sets the per-weight tolerance (default 1e-3).
         *
         * @param eps a positive number
         * @return this builder
         */
        public Builder optEps(double eps) {
            settings.optEps(eps);
            return this;
        }

        /**
         * Sets the candidates per block (default 0: chosen from the density and eps).
         *
         * @param n 0, or a block size in [1, 64]
         * @return this builder
         */
        public Builder optN(int n) {
            settings.optN(n);
            return this;
        }

        /**
         * Sets the hidden units per input pool (default 0: 3n).
         *
         * @param pool 0, or at least n
         * @return this builder
         */
        public Builder optPool(int pool) {
            settings.optPool(pool);
            return this;
        }

        /**
         * Sets the seed of the random network (default 1).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            settings.optSeed(seed);
            return this;
        }

        /**
         * Sets the distribution of the random network's weights (default uniform).
         *
         * @param distribution the distribution
         * @return this builder
         */
        public Builder optDistribution(WeightDistribution distribution) {
            settings.optDistribution(distribution);
            return this;
        }

        /**
         * Sets the solver by name: {@code auto} (exact, the default: enumeration or meet in the
         * middle by the shape, {@link org.sltk.rfss.AutoRfssSolver}), {@code mitm} (exact meet in
         * the middle), {@code tensor} (exact, on the device), {@code swap} (heuristic) or {@code
         * brute}.
         *
         * @param name the solver's name
         * @return this builder
         */
        public Builder optSolver(String name) {
            this.solverName = name;
            this.solver = null;
            return this;
        }

        /**
         * Sets the solver itself; the run records its {@link RfssSolver#name()}.
         *
         * @param solver the solver
         * @return this builder
         */
        public Builder optSolver(RfssSolver solver) {
            this.solver = solver;
            this.solverName = null;
            return this;
        }

        /**
         * Sets the device of the tensors (default the CPU).
         *
         * @param device the device
         * @return this builder
         */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Sets the input domain the ticket is pruned for (default: from the target, see {@link
         * Pruner#inputDomainFor}).
         *
         * @param domain the domain
         * @param reason why, recorded in the run
         * @return this builder
         */
        public Builder optInputDomain(InputDomain domain, String reason) {
            return optInputDomain(new InputDomain.Choice(domain, reason));
        }

        /**
         * Sets the input domain the ticket is pruned for, with the reason it was chosen.
         *
         * @param domain the domain and why
         * @return this builder
         */
        public Builder optInputDomain(InputDomain.Choice domain) {
            this.inputDomain = domain;
            return this;
        }

        /**
         * Sets the worker threads of the CPU solvers (default: one per core).
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Checks every setting and that the solver reaches the blocks.
         *
         * @return the pruner
         * @throws InputException naming the field ({@code density}, {@code n}, {@code solver}, ...)
         *     and the value found
         */
        public Pruner build() {
            if (threads < 1) {
                throw InputException.forField(
                        "threads", "{threads}: must be at least 1, found " + threads);
            }
            if (device == null) {
                throw InputException.forField("device", "{device}: not set (null)");
            }
            if (solver == null && solverName == null) {
                throw InputException.forField("solver", "{solver}: not set (null)");
            }
            if (inputDomain != null) {
                settings.optNonNegativeInput(inputDomain.domain().nonNegative());
            }
            PruneConfig config = settings.build();
            RfssSolver s =
                    solver != null ? solver : RfssSolvers.create(solverName, threads, device);
            new PairPruner(config, s); // refuses blocks beyond the solver's reach
            return new Pruner(this, config, s);
        }
    }
}
