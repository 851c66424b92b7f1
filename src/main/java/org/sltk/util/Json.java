package org.sltk.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * JSON for sltk's files: pretty output (NaN allowed), and a validating reader whose errors name
 * the file and the field. Uses only Gson API present in Gson 2.8.5, which notebook kernels bundle.
 */
public final class Json {

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .serializeSpecialFloatingPointValues()
            .disableHtmlEscaping()
            .create();

    private Json() {}

    /**
     * Renders an element or a plain object (maps, lists, numbers, strings) as pretty JSON.
     *
     * @param value the value
     * @return the text, ending with a newline
     */
    public static String write(Object value) {
        return GSON.toJson(value) + "\n";
    }

    /**
     * Converts a plain object (maps, lists, numbers, strings) to a JSON tree.
     *
     * @param value the value
     * @return the tree
     */
    public static JsonElement tree(Object value) {
        return GSON.toJsonTree(value);
    }

    /**
     * Reads a JSON object from a file.
     *
     * @param file the file
     * @return the object
     * @throws InputException if the file is missing or not a JSON object
     */
    public static JsonObject read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement e = JsonParser.parseReader(r);
            if (e == null || !e.isJsonObject()) {
                throw new InputException(file + ": expected a JSON object");
            }
            return e.getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (JsonParseException | IllegalStateException e) {
            throw new InputException(file + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + firstLine(e.getMessage()) + ")");
        }
    }

    /**
     * Returns a required field.
     *
     * @param o the object
     * @param field the field
     * @param file the file, for the message
     * @return the element
     * @throws InputException if the field is missing or null
     */
    public static JsonElement required(JsonObject o, String field, Path file) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new InputException(file + ": missing field '" + field + "'");
        }
        return e;
    }

    /**
     * Returns a required number field as a double.
     *
     * @param o the object
     * @param field the field
     * @param file the file, for the message
     * @return the value
     */
    public static double number(JsonObject o, String field, Path file) {
        JsonElement e = required(o, field, file);
        if (!e.isJsonPrimitive() || !(((JsonPrimitive) e).isNumber() || isSpecial(e))) {
            throw new InputException(file + ": field '" + field + "' must be a number, found " + shown(e));
        }
        return e.getAsDouble();
    }

    /**
     * Returns a required whole-number field.
     *
     * @param o the object
     * @param field the field
     * @param file the file, for the message
     * @return the value
     */
    public static long integer(JsonObject o, String field, Path file) {
        double d = number(o, field, file);
        JsonElement e = required(o, field, file);
        if (Double.isFinite(d) && ((JsonPrimitive) e).isNumber()) {
            try {
                return e.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException ex) {
                // a fraction, or out of the long range: reported below
            }
        }
        throw new InputException(file + ": field '" + field + "' must be a whole number, found " + shown(e));
    }

    /**
     * Returns a required string field.
     *
     * @param o the object
     * @param field the field
     * @param file the file, for the message
     * @return the value
     */
    public static String string(JsonObject o, String field, Path file) {
        JsonElement e = required(o, field, file);
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
            throw new InputException(file + ": field '" + field + "' must be a string, found " + shown(e));
        }
        return e.getAsString();
    }

    /**
     * Returns a required boolean field.
     *
     * @param o the object
     * @param field the field
     * @param file the file, for the message
     * @return the value
     */
    public static boolean bool(JsonObject o, String field, Path file) {
        JsonElement e = required(o, field, file);
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isBoolean()) {
            throw new InputException(file + ": field '" + field + "' must be true or false, found " + shown(e));
        }
        return e.getAsBoolean();
    }

    /** A found value, short and on one line of printable characters. */
    private static String shown(JsonElement e) {
        String t = e.toString().replaceAll("[^\\x20-\\x7E]", "?");
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }

    private static boolean isSpecial(JsonElement e) {
        String s = e.getAsString();
        return s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        // a parser's message quotes the input (a key, a path): keep it on one printable line
        return (nl < 0 ? s : s.substring(0, nl)).replaceAll("\\p{Cntrl}", "?");
    }
}
