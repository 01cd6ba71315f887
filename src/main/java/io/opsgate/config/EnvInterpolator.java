package io.opsgate.config;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} in one scalar value; {@code $$} is a literal {@code $}.
 *
 * <p>It runs on values after YAML parsing, so an environment variable can never change the document's structure
 * and line numbers in errors stay those of the file. Expansion is not recursive: a {@code $} inside a variable's
 * value or a default is kept as is. {@code :-} follows the shell: the default also applies when the variable is
 * set but empty.
 */
final class EnvInterpolator {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Why a value could not be expanded; the message never contains the value, which may be a secret. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private final Function<String, String> env;

    EnvInterpolator(Function<String, String> env) {
        this.env = env;
    }

    String expand(String text) throws Failure {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new Failure("unterminated \"${\"; write ${NAME} or ${NAME:-default}, or $$ for a literal $");
                }
                out.append(resolve(text.substring(i + 2, end)));
                i = end + 1;
            } else {
                // A lone "$" is kept, so values such as "pa$word" need no escaping.
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String resolve(String reference) throws Failure {
        int sep = reference.indexOf(":-");
        String name = sep < 0 ? reference : reference.substring(0, sep);
        if (!NAME.matcher(name).matches()) {
            throw new Failure("malformed variable reference; write ${NAME} or ${NAME:-default}"
                    + " (NAME: letters, digits and _), or $$ for a literal $");
        }
        String value = env.apply(name);
        if (sep >= 0 && (value == null || value.isEmpty())) {
            return reference.substring(sep + 2);
        }
        if (value == null) {
            throw new Failure("environment variable " + name + " is not set"
                    + " (write ${" + name + ":-default} to give a default)");
        }
        return value;
    }
}
