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
 * JSON for sltk's files: pretty output (NaN allowed), and a validating reader whose errors name the
 * file and the field. Uses only Gson API present in Gson 2.8.5, which notebook kernels bundle.
 */
public final class Json {

    private static final Gson GSON =
            new GsonBuilder()
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
                throw new InputException(
                        file
                                + ": expected a JSON object, found "
                                + (e == null || e.isJsonNull() ? "nothing" : shown(e)));
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
        return required(o, field, field, file);
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
        return asNumber(required(o, field, file), field, file);
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
        return asLong(required(o, field, file), field, file);
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
        return asString(required(o, field, file), field, file);
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
        return asBool(required(o, field, file), field, file);
    }

    /**
     * Returns a required field, naming it by its path inside the file (e.g. {@code
     * layers[2].kernel}).
     *
     * @param o the object holding the field
     * @param field the field's name in {@code o}
     * @param path the field's path from the file's root, for the message
     * @param file the file, for the message
     * @return the element
     * @throws InputException if the field is missing or null
     */
    public static JsonElement required(JsonObject o, String field, String path, Path file) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new InputException(file + ": missing field '" + path + "'");
        }
        return e;
    }

    /**
     * Returns an optional field, or null where it is absent or JSON null.
     *
     * @param o the object
     * @param field the field
     * @return the element or null
     */
    public static JsonElement optional(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e;
    }

    /**
     * The error for a field whose value is of the wrong kind: one line naming the file, the field
     * and the value found.
     *
     * @param file the file
     * @param path the field's path from the file's root
     * @param what what it must be, e.g. {@code "a string"}
     * @param found the value found
     * @return the exception, to throw
     */
    public static InputException wrong(Path file, String path, String what, JsonElement found) {
        return new InputException(
                file + ": field '" + path + "' must be " + what + ", found " + shown(found));
    }

    /**
     * Reads a value as a whole number in the int range.
     *
     * @param e the value
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @return the value
     * @throws InputException if it is not a whole number in [-2^31, 2^31)
     */
    public static int asInt(JsonElement e, String path, Path file) {
        long v = asLong(e, path, file, "a whole number in the int range");
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw wrong(file, path, "a whole number in the int range", e);
        }
        return (int) v;
    }

    /**
     * Reads a value as a whole number.
     *
     * @param e the value
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @return the value
     * @throws InputException if it is not a whole number in the long range
     */
    public static long asLong(JsonElement e, String path, Path file) {
        return asLong(e, path, file, "a whole number");
    }

    private static long asLong(JsonElement e, String path, Path file, String what) {
        if (e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber()) {
            try {
                return e.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException ex) {
                // a fraction, or out of the long range: reported below
            }
        }
        throw wrong(file, path, what, e);
    }

    /**
     * Reads a value as a number; the bare tokens NaN, Infinity and -Infinity that {@link #write}
     * produces are numbers.
     *
     * @param e the value
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @return the value
     * @throws InputException if it is not a number
     */
    public static double asNumber(JsonElement e, String path, Path file) {
        if (!e.isJsonPrimitive() || !(((JsonPrimitive) e).isNumber() || isSpecial(e))) {
            throw wrong(file, path, "a number", e);
        }
        return e.getAsDouble();
    }

    /**
     * Reads a value as a string.
     *
     * @param e the value
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @return the value
     * @throws InputException if it is not a string
     */
    public static String asString(JsonElement e, String path, Path file) {
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
            throw wrong(file, path, "a string", e);
        }
        return e.getAsString();
    }

    /**
     * Reads a value as a boolean.
     *
     * @param e the value
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @return the value
     * @throws InputException if it is not true or false
     */
    public static boolean asBool(JsonElement e, String path, Path file) {
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isBoolean()) {
            throw wrong(file, path, "true or false", e);
        }
        return e.getAsBoolean();
    }

    /**
     * Reads an optional object field; absent or null reads as an empty object.
     *
     * @param o the object
     * @param field the field
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @return the object, never null
     * @throws InputException if the field is present but not an object
     */
    public static JsonObject optObject(JsonObject o, String field, String path, Path file) {
        JsonElement e = optional(o, field);
        if (e == null) {
            return new JsonObject();
        }
        if (!e.isJsonObject()) {
            throw wrong(file, path, "an object", e);
        }
        return e.getAsJsonObject();
    }

    /**
     * Reads an optional string field.
     *
     * @param o the object
     * @param field the field
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @return the value, or null where absent
     */
    public static String optString(JsonObject o, String field, String path, Path file) {
        JsonElement e = optional(o, field);
        return e == null ? null : asString(e, path, file);
    }

    /**
     * Reads an optional number field.
     *
     * @param o the object
     * @param field the field
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @return the value, or NaN where absent
     */
    public static double optNumber(JsonObject o, String field, String path, Path file) {
        JsonElement e = optional(o, field);
        return e == null ? Double.NaN : asNumber(e, path, file);
    }

    /**
     * Reads an optional int field.
     *
     * @param o the object
     * @param field the field
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @param absent the value where the field is absent
     * @return the value
     */
    public static int optInt(JsonObject o, String field, String path, Path file, int absent) {
        JsonElement e = optional(o, field);
        return e == null ? absent : asInt(e, path, file);
    }

    /**
     * Reads an optional whole-number field.
     *
     * @param o the object
     * @param field the field
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @param absent the value where the field is absent
     * @return the value
     */
    public static long optLong(JsonObject o, String field, String path, Path file, long absent) {
        JsonElement e = optional(o, field);
        return e == null ? absent : asLong(e, path, file);
    }

    /**
     * Reads an optional boolean field.
     *
     * @param o the object
     * @param field the field
     * @param path the field's path, for the message
     * @param file the file, for the message
     * @param absent the value where the field is absent
     * @return the value
     */
    public static boolean optBool(
            JsonObject o, String field, String path, Path file, boolean absent) {
        JsonElement e = optional(o, field);
        return e == null ? absent : asBool(e, path, file);
    }

    /**
     * A found value for a message: short, and on one line of printable characters.
     *
     * @param e the value
     * @return its JSON text, cut at 60 characters
     */
    public static String shown(JsonElement e) {
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
