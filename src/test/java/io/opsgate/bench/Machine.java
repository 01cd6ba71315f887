package io.opsgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on, read from the kernel and the running JVM. */
record Machine(int cpus, String cpuModel, long memoryMiB, String java, String loadAverage) {

    static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryMiB(), javaVersion(),
                currentLoadAverage());
    }

    /** The 1, 5 and 15-minute load averages: how busy the machine was with other work. */
    static String currentLoadAverage() {
        List<String> fields = List.of(read("/proc/loadavg").trim().split("\\s+"));
        return fields.size() >= 3 ? String.join(" ", fields.subList(0, 3)) : "?";
    }

    String summary() {
        return cpus + " CPUs (" + cpuModel + "), " + memoryMiB + " MiB RAM, " + java;
    }

    private static String readCpuModel() {
        return read("/proc/cpuinfo").lines()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown CPU");
    }

    private static long readMemoryMiB() {
        return read("/proc/meminfo").lines()
                .filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
                .findFirst().orElse(-1L);
    }

    private static String javaVersion() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
