package io.opsgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM started with the same {@code java} as the bench, its output going to a log file, and the
 * few things the benchmark asks of it: resident memory from /proc and a forced GC through jcmd.
 */
final class JvmProcess implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    /** USER_HZ, the unit of /proc/PID/stat times: 100 on every mainstream Linux build. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final Path log;

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static JvmProcess start(String name, List<String> jvmArgs, List<String> mainAndArgs, Path log) throws IOException {
        return start(name, jvmArgs, mainAndArgs, java.util.Map.of(), log);
    }

    /** As {@link #start(String, List, List, Path)}, with these environment variables set (and no other AWS_*). */
    static JvmProcess start(String name, List<String> jvmArgs, List<String> mainAndArgs,
            java.util.Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.addAll(mainAndArgs);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (!env.isEmpty()) {
            builder.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
            builder.environment().putAll(env);
        }
        return new JvmProcess(name, builder.start(), log);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for a line of the log to contain {@code marker}; returns that line. */
    String awaitLog(String marker, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.contains(marker)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + log);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " did not print '" + marker + "' within " + timeoutMillis + " ms; log: " + log);
    }

    /** CPU time (user + system, all threads) the process has used so far, in nanoseconds. */
    long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
        // Fields after the command name, which is in parentheses and may contain spaces: state is field 3.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /** VmRSS and VmHWM (peak) of the process, in KiB. */
    long[] residentKiB() throws IOException {
        long rss = -1;
        long peak = -1;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmHWM:")) {
                peak = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] {rss, peak};
    }

    /** Forces a full GC with jcmd, then returns {committed, used} heap in KiB as GC.heap_info reports it. */
    long[] heapAfterGcKiB() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        // G1 prints one "garbage-first heap total ..K, used ..K" line; Serial and Parallel one per generation.
        Matcher m = HEAP_USED.matcher(info);
        long committed = 0;
        long used = 0;
        boolean found = false;
        while (m.find()) {
            committed += Long.parseLong(m.group(1));
            used += Long.parseLong(m.group(2));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("unexpected GC.heap_info output:\n" + info);
        }
        return new long[] {committed, used};
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(pid()), command)
                .redirectErrorStream(true).start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = String.join("\n", r.lines().toList());
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed:\n" + out);
        }
        return out;
    }

    /** SIGKILL: no shutdown hook runs, as in a crash or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
