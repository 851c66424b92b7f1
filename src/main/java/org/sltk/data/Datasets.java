package org.sltk.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sltk.util.InputException;

/**
 * Turns the value of {@code --data} into a directory of IDX files: the names {@code mnist} and
 * {@code fashion-mnist} mean {@code datasets/mnist} and {@code datasets/fashion-mnist}, anything
 * else is a directory path.
 *
 * <p>A named set is looked for under the current directory first, then under the directory named by
 * the system property {@value #HOME_PROPERTY} when it is set (the launcher sets it to the
 * installation directory).
 */
public final class Datasets {

    /** The system property naming sltk's installation directory. */
    public static final String HOME_PROPERTY = "sltk.home";

    private Datasets() {}

    /**
     * Resolves the value of {@code --data} to a directory.
     *
     * @param nameOrDir {@code mnist}, {@code fashion-mnist} or a directory path
     * @return the directory (for a path, as given: {@link IdxDirectory#load} checks it)
     * @throws InputException if a named set is installed in neither place
     */
    public static Path resolve(String nameOrDir) {
        return resolve(nameOrDir, Path.of(""), System.getProperty(HOME_PROPERTY));
    }

    /**
     * Resolves the value of {@code --data} against a given working directory and home.
     *
     * @param nameOrDir {@code mnist}, {@code fashion-mnist} or a directory path
     * @param cwd the directory that relative names are resolved against
     * @param home the installation directory, or null
     * @return the directory
     */
    static Path resolve(String nameOrDir, Path cwd, String home) {
        String key = nameOrDir.trim().toLowerCase(Locale.ROOT);
        if (!key.equals("mnist") && !key.equals("fashion-mnist")) {
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
                        : "run scripts/install-data.sh fashion-mnist";
        throw new InputException("--data " + nameOrDir + ": " + where + "; " + fix);
    }

    /**
     * Resolves and loads the value of {@code --data}.
     *
     * @param nameOrDir {@code mnist}, {@code fashion-mnist} or a directory path
     * @return the train/test split, named after the set or the directory
     * @throws InputException if the data is missing or malformed
     */
    public static DataSplit load(String nameOrDir) {
        Path dir = resolve(nameOrDir);
        String key = nameOrDir.trim().toLowerCase(Locale.ROOT);
        String name =
                key.equals("mnist") || key.equals("fashion-mnist")
                        ? key
                        : String.valueOf(dir.toAbsolutePath().normalize().getFileName());
        return IdxDirectory.load(dir, name);
    }
}
