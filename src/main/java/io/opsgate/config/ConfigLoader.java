package io.opsgate.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Loads the YAML configuration file into a validated {@link OpsGateConfig}.
 *
 * <p>The document is composed into SnakeYAML's node tree rather than bound to objects, because the nodes keep
 * their line and column: every error, down to a semantic one such as "timeout longer than interval", names the
 * exact place and key path. Errors are one line each:
 * {@code <source>:<line>:<col>: <key.path[0].like_this>: <what is wrong>}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Loads {@code file}, expanding {@code ${VAR}} from the process environment. */
    public static OpsGateConfig load(Path file) throws ConfigException {
        return load(file, System::getenv);
    }

    /** Loads {@code file}; relative {@code *_file} paths are resolved against the file's directory. */
    public static OpsGateConfig load(Path file, Function<String, String> env) throws ConfigException {
        return parse(read(file), file.toString(), env, file.toAbsolutePath().getParent());
    }

    /**
     * Parses a configuration document.
     *
     * @param sourceName names the document in error messages, usually its path
     * @param env        looks up variables for {@code ${VAR}}; returns null for an unset variable
     * @param baseDir    where relative {@code *_file} paths start; null for the working directory
     */
    public static OpsGateConfig parse(String yaml, String sourceName, Function<String, String> env, Path baseDir)
            throws ConfigException {
        Node root = compose(yaml, sourceName);
        ReadContext context = new ReadContext(sourceName, new EnvInterpolator(env),
                baseDir == null ? Path.of("").toAbsolutePath() : baseDir);
        return ConfigMapper.map(root == null ? null : new ConfigNode(root, "", context));
    }

    /** Every default: one account using the SDK's default credential chain, id unknown, in us-east-1. */
    public static OpsGateConfig defaults() {
        return Defaults.config();
    }

    private static String read(Path file) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + ": is a directory, expected a YAML file");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": permission denied", e);
        } catch (MalformedInputException e) {
            throw new ConfigException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(ReadContext.oneLine(file + ": cannot read: " + e), e);
        }
    }

    private static Node compose(String yaml, String sourceName) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        try {
            // Composing stops before construction: no object is instantiated from tags, whatever the file says.
            return new Composer(new ParserImpl(new StreamReader(yaml), options), new DigitsAreNumbers(), options)
                    .getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? sourceName
                    : sourceName + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            throw new ConfigException(ReadContext.oneLine(where + ": invalid YAML: " + describe(e)), e);
        } catch (YAMLException e) {
            throw new ConfigException(ReadContext.oneLine(sourceName + ": invalid YAML: " + e.getMessage()), e);
        }
    }

    /**
     * Reads every unquoted digit string as a number, as YAML 1.2 tools do; SnakeYAML's YAML 1.1 rules keep some
     * (such as {@code 012345678901}) as strings, which would let an unquoted account id pass here and break
     * elsewhere.
     */
    private static final class DigitsAreNumbers extends Resolver {
        private static final Pattern DIGITS = Pattern.compile("[-+]?[0-9][0-9_]*");

        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            if (kind == NodeId.scalar && implicit && DIGITS.matcher(value).matches()) {
                return Tag.INT;
            }
            return super.resolve(kind, value, implicit);
        }
    }

    /** SnakeYAML splits its messages into a context ("while parsing a flow sequence") and the problem proper. */
    private static String describe(MarkedYAMLException e) {
        String context = e.getContext();
        String problem = e.getProblem();
        if (context == null || problem == null) {
            return problem != null ? problem : context;
        }
        // "expected a single document in the stream" + "but found another document" reads as one sentence.
        return problem.startsWith("but ") ? context + ", " + problem : problem + " (" + context + ")";
    }
}
