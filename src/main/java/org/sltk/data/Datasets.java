package org.sltk.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sltk.util.InputException;

/**
 * Turns the value of {@code --data} into a data set: the names {@code mnist}, {@code fashion-mnist}
 * and {@code cifar10} mean {@code datasets/mnist}, {@code datasets/fashion-mnist} and {@code
 * datasets/cifar10}, anything else is a directory path. A directory holds the four IDX files of an
 * MNIST-style set ({@link IdxDirectory}), or CIFAR-10 as PNG sprites or binary batches ({@link
 * Cifar10}); the files it holds say which.
 *
 * <p>A value may end in a normalisation option ({@value #NORMALIZE}): {@code cifar10:normalize}
 * normalises each channel with the standard CIFAR-10 mean and std ({@link Normalization#CIFAR10}),
 * {@code NAME:normalize=M1,M2,M3/S1,S2,S3} with the given ones (one mean and one std per channel).
 * The option is part of the value, so runs and models that record the dataset record it too, and
 * loading the recorded value gives the same inputs.
 *
 * <p>A named set is looked for under the current directory first, then under the directory named by
 * the system property {@value #HOME_PROPERTY} when it is set (the launcher sets it to the
 * installation directory).
 */
public final class Datasets {

    /** The system property naming sltk's installation directory. */
    public static final String HOME_PROPERTY = "sltk.home";

    /** The suffix of a {@code --data} value that asks for per-channel normalisation. */
    public static final String NORMALIZE = ":normalize";

    private static final List<String> NAMED = List.of("mnist", "fashion-mnist", "cifar10");

    private Datasets() {}

    /**
     * Resolves the value of {@code --data} to a directory.
     *
     * @param nameOrDir {@code mnist}, {@code fashion-mnist}, {@code cifar10} or a directory path,
     *     optionally with a {@value #NORMALIZE} suffix (ignored here)
     * @return the directory (for a path, as given: {@link IdxDirectory#load} checks it)
     * @throws InputException if a named set is installed in neither place
     */
    public static Path resolve(String nameOrDir) {
        return resolve(nameOrDir, Path.of(""), System.getProperty(HOME_PROPERTY));
    }

    /**
     * Resolves the value of {@code --data} against a given working directory and home.
     *
     * @param nameOrDir {@code mnist}, {@code fashion-mnist}, {@code cifar10} or a directory path
     * @param cwd the directory that relative names are resolved against
     * @param home the installation directory, or null
     * @return the directory
     */
    static Path resolve(String nameOrDir, Path cwd, String home) {
        nameOrDir = source(nameOrDir);
        String key = nameOrDir.trim().toLowerCase(Locale.ROOT);
        if (!NAMED.contains(key)) {
            return cwd.resolve(nameOrDir);
        }
        Path relative = Path.of("datasets", key);
        Path here = cwd.resolve(relative);
        if (Files.isDirectory(here)) {
            return here;
        }
        if (home != null && !home.isBlank()) {
            Path there = Path.of(home).resolve(relative);
            if (Files.isDirectory(there)) {
                return there;
            }
        }
        String where =
                relative
                        + " is not in the current directory"
                        + (home != null && !home.isBlank()
                                ? " nor in " + HOME_PROPERTY + " " + home
                                : "");
        String fix =
                key.equals("mnist")
                        ? "run sltk from the repository root, or run scripts/install-data.sh mnist"
                        : "run scripts/install-data.sh " + key;
        throw new InputException("--data " + nameOrDir + ": " + where + "; " + fix);
    }

    /**
     * Resolves and loads the value of {@code --data}, normalised if it asks so.
     *
     * @param value {@code mnist}, {@code fashion-mnist}, {@code cifar10} or a directory path,
     *     optionally followed by {@value #NORMALIZE} or {@code :normalize=MEANS/STDS}
     * @return the train/test split, named after the set or the directory (with the normalisation
     *     option, as {@link #load} takes it back, e.g. {@code cifar10:normalize/train})
     * @throws InputException if the data is missing or malformed, or the option is
     */
    public static DataSplit load(String value) {
        return load(value, Path.of(""), System.getProperty(HOME_PROPERTY));
    }

    /**
     * Loads the value of {@code --data} against a given working directory and home.
     *
     * @param value the value, as {@link #load(String)} takes it
     * @param cwd the directory that relative names are resolved against
     * @param home the installation directory, or null
     * @return the split
     */
    static DataSplit load(String value, Path cwd, String home) {
        String source = source(value);
        Optional<Normalization> n = normalization(value);
        Path dir = resolve(source, cwd, home);
        String key = source.trim().toLowerCase(Locale.ROOT);
        String name =
                NAMED.contains(key)
                        ? key
                        : String.valueOf(dir.toAbsolutePath().normalize().getFileName());
        DataSplit raw =
                Cifar10.holdsSprites(dir)
                        ? Cifar10.loadSprites(dir, name)
                        : Cifar10.holdsBinaries(dir)
                                ? Cifar10.loadBinaries(dir, name)
                                : IdxDirectory.load(dir, name);
        if (n.isEmpty()) {
            return raw;
        }
        Normalization norm = n.orElseThrow();
        if (norm.channels() != raw.train().channels()) {
            throw new InputException(
                    "--data "
                            + value
                            + ": "
                            + norm.channels()
                            + " mean(s) and std(s) for images of "
                            + raw.train().channels()
                            + " channel(s); give one of each per channel");
        }
        String named = name + suffix(value);
        DataSplit d = raw.normalized(norm);
        return new DataSplit(
                d.train().withImages(named + "/train", d.train().pixels(), d.train().labels()),
                d.test().withImages(named + "/test", d.test().pixels(), d.test().labels()));
    }

    /**
     * Returns the value of {@code --data} without its normalisation option.
     *
     * @param value the value
     * @return the name or directory
     */
    public static String source(String value) {
        int at = value.toLowerCase(Locale.ROOT).lastIndexOf(NORMALIZE);
        return at < 0 ? value : value.substring(0, at);
    }

    private static String suffix(String value) {
        int at = value.toLowerCase(Locale.ROOT).lastIndexOf(NORMALIZE);
        return at < 0 ? "" : value.substring(at).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the normalisation the value of {@code --data} asks for, without loading anything:
     * {@link Normalization#CIFAR10} for {@code cifar10:normalize} (or a CIFAR-10 directory with the
     * bare option), the given means and stds for {@code :normalize=M1,M2,.../S1,S2,...}.
     *
     * @param value the value
     * @return the normalisation, or empty if the value asks for none
     * @throws InputException if the option is malformed, or bare where no standard one is known
     */
    public static Optional<Normalization> normalization(String value) {
        String suffix = suffix(value);
        if (suffix.isEmpty()) {
            return Optional.empty();
        }
        String rest = suffix.substring(NORMALIZE.length()).trim();
        String source = source(value);
        if (rest.isEmpty()) {
            String key = source.trim().toLowerCase(Locale.ROOT);
            Path dir = Path.of(source);
            if (key.equals("cifar10")
                    || (!NAMED.contains(key)
                            && (Cifar10.holdsSprites(dir) || Cifar10.holdsBinaries(dir)))) {
                return Optional.of(Normalization.CIFAR10);
            }
            throw new InputException(
                    "--data "
                            + value
                            + ": sltk knows no standard mean and std for "
                            + source
                            + "; give "
                            + source
                            + NORMALIZE
                            + "=MEAN/STD, one of each per channel (e.g. mnist:normalize=0.1307/0.3081)");
        }
        String bad =
                "--data "
                        + value
                        + ": expected "
                        + NORMALIZE
                        + "=M1,M2,.../S1,S2,..., one mean and one std per channel, e.g. "
                        + "cifar10:normalize=0.4914,0.4822,0.4465/0.247,0.2435,0.2616";
        if (!rest.startsWith("=")) {
            throw new InputException(bad);
        }
        String[] parts = rest.substring(1).split("/", -1);
        if (parts.length != 2) {
            throw new InputException(bad);
        }
        try {
            return Optional.of(new Normalization(numbers(parts[0]), numbers(parts[1])));
        } catch (NumberFormatException e) {
            throw new InputException(bad, e);
        } catch (IllegalArgumentException e) {
            throw new InputException("--data " + value + ": " + e.getMessage(), e);
        }
    }

    private static double[] numbers(String list) {
        String[] items = list.split(",", -1);
        double[] v = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            v[i] = Double.parseDouble(items[i].trim());
        }
        return v;
    }

    /**
     * Returns the short name of the value of {@code --data} that model names use: {@code mnist},
     * {@code fashion-mnist}, {@code cifar10} or the directory's last component, with {@code
     * -normalized} when the value asks for normalisation.
     *
     * @param value the value
     * @return the name
     */
    public static String shortName(String value) {
        String source = source(value);
        String key = source.trim().toLowerCase(Locale.ROOT);
        String base =
                NAMED.contains(key)
                        ? key
                        : String.valueOf(
                                Path.of(source).toAbsolutePath().normalize().getFileName());
        return base + (suffix(value).isEmpty() ? "" : "-normalized");
    }
}
