package org.sltk.nn;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.sltk.data.ImageSet;
import org.sltk.util.CpuKernels;
import org.sltk.util.Provenance;

/**
 * What {@code model.json} of a model directory records: the architecture, the training data and
 * configuration, the accuracies reached, and the software that produced the model.
 *
 * <p>Architecture fields are always present; provenance fields may be absent in a hand-written file
 * and are then null (strings, maps), -1 (counts, seed unknown is 0) or NaN (numbers).
 *
 * @param formatVersion the model directory format version
 * @param architecture the network's architecture
 * @param dataset the dataset name, e.g. {@code mnist}, or null
 * @param datasetFiles SHA-256 of each data file by file name, or null
 * @param trainSize the number of training images, or -1
 * @param testSize the number of test images, or -1
 * @param seed the training seed
 * @param epochs the number of epochs, or -1
 * @param learningRate Adam's learning rate, or NaN
 * @param batchSize the batch size, or -1
 * @param device the training device, e.g. {@code cpu()}, or null
 * @param threads the libtorch intra-op thread count of the training, or -1
 * @param trainAccuracy the final accuracy on the training split, or NaN
 * @param testAccuracy the final accuracy on the test split, or NaN
 * @param trainSeconds the wall time of training, or NaN
 * @param history the per-epoch statistics (empty if not recorded)
 * @param software the software and machine that wrote the model, its time when the model was
 *     written (ISO-8601 UTC); {@link Provenance#unknown()} fields where a file does not say
 * @param validationSize the number of training images held out for validation (0 for none, -1
 *     unknown); {@code trainSize} counts the images trained on, without them
 * @param validationSeed the seed of the held-out choice (0 without validation)
 * @param validationAccuracy the final accuracy on the held-out images, or NaN
 * @param cpu the CPU and its kernel variables during training, or null
 */
public record ModelInfo(
        int formatVersion,
        Architecture architecture,
        String dataset,
        Map<String, String> datasetFiles,
        int trainSize,
        int testSize,
        long seed,
        int epochs,
        double learningRate,
        int batchSize,
        String device,
        int threads,
        double trainAccuracy,
        double testAccuracy,
        double trainSeconds,
        List<EpochStats> history,
        Provenance software,
        int validationSize,
        long validationSeed,
        double validationAccuracy,
        CpuKernels.Info cpu) {

    /**
     * Creates the record, copying the arrays and collections.
     *
     * @param formatVersion the format version
     * @param architecture the architecture
     * @param dataset the dataset name
     * @param datasetFiles the data file fingerprints
     * @param trainSize the training size
     * @param testSize the test size
     * @param seed the seed
     * @param epochs the epochs
     * @param learningRate the learning rate
     * @param batchSize the batch size
     * @param device the device
     * @param threads the thread count
     * @param trainAccuracy the train accuracy
     * @param testAccuracy the test accuracy
     * @param trainSeconds the training time
     * @param history the per-epoch statistics
     * @param software the software that wrote it
     * @param validationSize the held-out count
     * @param validationSeed the held-out seed
     * @param validationAccuracy the validation accuracy
     * @param cpu the CPU and kernel variables
     */
    public ModelInfo {
        java.util.Objects.requireNonNull(architecture, "architecture");
        software = software == null ? Provenance.unknown() : software;
        datasetFiles =
                datasetFiles == null
                        ? null
                        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(datasetFiles));
        history = history == null ? List.of() : List.copyOf(history);
    }

    /**
     * Describes a model whose weights did not come from {@code sltk train} (imported, or made for a
     * test): its architecture only, every training field unknown (-1, NaN or null).
     *
     * @param architecture the architecture
     * @param dataset the dataset it is meant for, or null
     * @param seed the seed its weights were drawn with, or 0
     * @return the description
     */
    public static ModelInfo untrained(Architecture architecture, String dataset, long seed) {
        return new ModelInfo(
                FORMAT_VERSION,
                architecture,
                dataset,
                null,
                -1,
                -1,
                seed,
                -1,
                Double.NaN,
                -1,
                null,
                -1,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                List.of(),
                Provenance.unknown(),
                -1,
                0,
                Double.NaN,
                null);
    }

    /** The model directory format version this sltk writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /**
     * Returns the widths of an MLP, input first, else {input features, classes}: the {@code widths}
     * field of {@code model.json}.
     *
     * @return the widths
     */
    public int[] widths() {
        int[] w = architecture.mlpWidths();
        return w != null ? w : new int[] {architecture.inputSize(), architecture.outputSize()};
    }

    /**
     * Describes a training run for {@code model.json}, stamping the software versions and the time.
     *
     * @param result the training result
     * @param dataset the dataset name, e.g. {@code mnist} or a directory
     * @param train the training split
     * @param test the test split
     * @return the record
     */
    public static ModelInfo of(TrainResult result, String dataset, ImageSet train, ImageSet test) {
        return trained(
                result.network().architecture(),
                dataset,
                train,
                test,
                result.config(),
                result.trainAccuracy(),
                result.testAccuracy(),
                result.seconds(),
                result.history(),
                result.validationAccuracy(),
                result.machine());
    }

    /**
     * The record of a training run made now, in this process (versions, time), with the thread
     * count, engine and CPU kernels the training ran with.
     */
    private static ModelInfo trained(
            Architecture architecture,
            String dataset,
            ImageSet train,
            ImageSet test,
            TrainConfig c,
            double trainAccuracy,
            double testAccuracy,
            double seconds,
            List<EpochStats> history,
            double validationAccuracy,
            TrainingMachine machine) {
        Map<String, String> files = new LinkedHashMap<>(train.sources());
        files.putAll(test.sources());
        Provenance now = Provenance.current(c.device().toString());
        return new ModelInfo(
                FORMAT_VERSION,
                architecture,
                dataset,
                files,
                train.size() - c.validation(),
                test.size(),
                c.seed(),
                c.epochs(),
                Double.parseDouble(Float.toString(c.learningRate())),
                c.batchSize(),
                c.device().toString(),
                machine.threads(),
                trainAccuracy,
                testAccuracy,
                seconds,
                history,
                now.withEngine(machine.engine())
                        .withTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()),
                c.validation(),
                c.validation() > 0 ? c.validationSeed() : 0,
                validationAccuracy,
                machine.cpu());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelInfo)) {
            return false;
        }
        ModelInfo m = (ModelInfo) o;
        return formatVersion == m.formatVersion
                && Objects.equals(architecture, m.architecture)
                && Objects.equals(dataset, m.dataset)
                && Objects.equals(datasetFiles, m.datasetFiles)
                && trainSize == m.trainSize
                && testSize == m.testSize
                && seed == m.seed
                && epochs == m.epochs
                && Double.compare(learningRate, m.learningRate) == 0
                && batchSize == m.batchSize
                && Objects.equals(device, m.device)
                && threads == m.threads
                && Double.compare(trainAccuracy, m.trainAccuracy) == 0
                && Double.compare(testAccuracy, m.testAccuracy) == 0
                && Double.compare(trainSeconds, m.trainSeconds) == 0
                && history.equals(m.history)
                && software.equals(m.software)
                && validationSize == m.validationSize
                && validationSeed == m.validationSeed
                && Double.compare(validationAccuracy, m.validationAccuracy) == 0
                && Objects.equals(cpu, m.cpu);
    }

    @Override
    public int hashCode() {
        return Objects.hash(formatVersion, architecture, dataset, seed, software);
    }

    @Override
    public String toString() {
        return "ModelInfo("
                + architecture.describe()
                + ", dataset="
                + dataset
                + ", test accuracy="
                + testAccuracy
                + ", created="
                + software.time()
                + ")";
    }
}
