package org.sltk.cli;

import ai.djl.Device;
import java.util.Locale;
import org.sltk.data.Datasets;
import org.sltk.data.InputDomain;
import org.sltk.util.Engines;
import org.sltk.util.InputException;
import picocli.CommandLine.Option;

/** Option groups that several verbs share, as picocli mixins. */
final class Common {

    /** {@return the images' shape (channels, height, width), or null without data} */
    static int[] imageShape(org.sltk.data.ImageSet data) {
        return data == null ? null : new int[] {data.channels(), data.rows(), data.cols()};
    }

    private Common() {}

    /** {@code --device cpu|gpu|gpu:N|auto}. */
    static final class DeviceOption {
        @Option(
                names = "--device",
                defaultValue = "auto",
                paramLabel = "DEV",
                description =
                        "cpu, gpu, gpu:N or auto (a GPU where DJL sees one, else cpu). Default: ${DEFAULT-VALUE}.")
        String device;

        Device device() {
            return Engines.device(device);
        }
    }

    /** {@code --seed S}. */
    static final class SeedOption {
        @Option(
                names = "--seed",
                defaultValue = "1",
                paramLabel = "S",
                description = "Seed of sltk's counter-based generator. Default: ${DEFAULT-VALUE}.")
        long seed;
    }

    /** {@code --stacktrace}: print the stack trace of an error. */
    static final class DebugOption {
        @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
        boolean stacktrace;
    }

    /**
     * {@code --input-domain auto|non-negative|signed} (and the deprecated {@code --signed-input}):
     * the input domain a ticket is pruned for.
     *
     * <p>{@code auto} takes the inputs as non-negative pixels in [0, 1] when the run is made for
     * data sltk loads (all of it is IDX bytes / 255): the dataset a model directory records, or
     * {@code --data}. An imported target ({@code .pt}, {@code .npz}) without {@code --data} is
     * taken as signed. {@code non-negative} is [0, 1] with such data and [0, inf) without; {@code
     * signed} is unbounded. A normalised {@code --data} ({@code NAME:normalize...}) is signed:
     * {@code auto} takes the image of [0, 1] under the normalisation, {@code non-negative} is
     * refused.
     */
    static final class InputDomainOption {
        @Option(
                names = "--input-domain",
                defaultValue = "auto",
                paramLabel = "auto|non-negative|signed",
                description =
                        "Inputs the ticket is pruned for. non-negative: the first layer's blocks for negative"
                                + " inputs are pruned away ([0, 1] with data, else [0, inf)); signed: both signs kept. auto:"
                                + " non-negative [0, 1] for the dataset of a model directory or for --data (sltk loads pixels"
                                + " in [0, 1]), signed for an imported .pt/.npz without --data. Printed, recorded in the run;"
                                + " exported modules refuse inputs outside it. Default: ${DEFAULT-VALUE}.")
        String inputDomain;

        @Option(
                names = "--signed-input",
                description = "Deprecated: the same as --input-domain signed.")
        boolean signedInput;

        /**
         * Chooses the domain, with the reason printed and recorded.
         *
         * @param modelDataset the dataset the model directory records, or null (an import)
         * @param data the value of {@code --data}, or null
         * @return the domain and why
         * @throws InputException for an unknown value or conflicting flags
         */
        InputDomain.Choice choose(String modelDataset, String data) {
            String v = inputDomain.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("auto")
                    && !v.equals(InputDomain.NON_NEGATIVE_ID)
                    && !v.equals(InputDomain.SIGNED_ID)) {
                throw new InputException(
                        "--input-domain: unknown domain '"
                                + inputDomain
                                + "'; use auto, non-negative or signed");
            }
            if (signedInput) {
                if (!v.equals("auto") && !v.equals(InputDomain.SIGNED_ID)) {
                    throw new InputException(
                            "--signed-input: conflicts with --input-domain "
                                    + v
                                    + "; give only --input-domain");
                }
                return new InputDomain.Choice(
                        InputDomain.SIGNED,
                        "--signed-input, deprecated: use --input-domain signed");
            }
            String pixels =
                    modelDataset != null
                            ? "the model's dataset " + modelDataset
                            : data != null ? "--data " + data : null;
            if (v.equals(InputDomain.SIGNED_ID)) {
                return new InputDomain.Choice(InputDomain.SIGNED, "--input-domain signed");
            }
            if (v.equals(InputDomain.NON_NEGATIVE_ID)) {
                String spec = modelDataset != null ? modelDataset : data;
                if (spec != null && Datasets.normalization(spec).isPresent()) {
                    throw new InputException(
                            "--input-domain non-negative: "
                                    + pixels
                                    + " is normalised per channel, so its inputs are signed; use"
                                    + " --input-domain auto or signed");
                }
                return pixels != null
                        ? new InputDomain.Choice(
                                InputDomain.PIXELS,
                                "--input-domain non-negative, on "
                                        + pixels
                                        + ", whose pixels sltk loads in [0, 1]")
                        : new InputDomain.Choice(
                                InputDomain.NON_NEGATIVE,
                                "--input-domain non-negative, no data to bound it");
            }
            return InputDomain.Choice.auto(
                    modelDataset, data, f -> OneLineErrorHandler.flagFor(f, ""));
        }
    }
}
