package org.sltk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The pinned golden values of {@code golden.properties}, read by the tests that guard them. */
public final class Golden {

    private static final Properties VALUES = load();

    private Golden() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Golden.class.getResourceAsStream("golden.properties")) {
            if (in == null) {
                throw new IllegalStateException(
                        "golden.properties is missing from the test resources");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /**
     * Returns a pinned value.
     *
     * @param key its key, e.g. {@code main.digest}
     * @return the value
     * @throws IllegalStateException if the key is not pinned
     */
    public static String get(String key) {
        String v = VALUES.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("golden.properties has no key " + key);
        }
        return v;
    }

    /**
     * Returns a pinned number.
     *
     * @param key its key, e.g. {@code main.boundOnData}
     * @return the value
     */
    public static double number(String key) {
        return Double.parseDouble(get(key));
    }
}
