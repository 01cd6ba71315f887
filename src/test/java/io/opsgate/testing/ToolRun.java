package io.opsgate.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a command-line tool (promtool, amtool, ...) to completion: its exit code and its combined
 * stdout/stderr, which tests put into their failure messages so a red build shows the tool's complaint.
 */
public record ToolRun(List<String> command, int exitCode, String output) {

    public static ToolRun run(Path workDir, Path binary, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // Read before waiting: a tool that fills the pipe buffer would otherwise never exit.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 60s:\n" + output);
        }
        return new ToolRun(List.copyOf(command), process.exitValue(), output);
    }

    /** For assertion messages: the command line and everything it printed. */
    public String describe() {
        return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
    }
}
