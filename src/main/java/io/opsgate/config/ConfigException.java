package io.opsgate.config;

/** A configuration problem, with a one-line message that names the key path and, where known, line and column. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
