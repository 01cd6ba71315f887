package io.opsgate.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a secret given either inline ({@code key}) or as a file ({@code key_file}), the form Docker and Kubernetes
 * secrets are mounted in. Errors name the key and the file, never the secret.
 */
public final class SecretValues {
    private SecretValues() {
    }

    /** The secret, or null when neither {@code key} nor {@code key_file} is set. */
    static String read(ConfigMap map, String key) throws ConfigException {
        String fileKey = key + "_file";
        ConfigNode inline = map.find(key);
        ConfigNode file = map.find(fileKey);
        if (inline != null && file != null) {
            throw file.error("set either " + key + " or " + fileKey + ", not both");
        }
        if (inline != null) {
            return inline.text();
        }
        return file == null ? null : readFile(file);
    }

    /** The node that set {@code key} or {@code key_file}, for errors about the secret as a whole. */
    static ConfigNode source(ConfigMap map, String key) throws ConfigException {
        ConfigNode inline = map.find(key);
        return inline != null ? inline : map.find(key + "_file");
    }

    private static String readFile(ConfigNode node) throws ConfigException {
        try {
            return readSecretFile(node.context().baseDir().resolve(node.text()));
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /**
     * A secret file's content without its final newline, as Prometheus and Alertmanager read {@code *_file}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static String readSecretFile(Path path) {
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + path + ": permission denied");
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("cannot read " + path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getClass().getSimpleName());
        }
        // Editors and `echo` add a final newline that is never part of the secret.
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            throw new IllegalArgumentException(path + " is empty");
        }
        return content.substring(0, end);
    }
}
