package io.opsgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** bench/run measures the service with the JVM options it ships with, and the README says the same. */
class ShippedJvmOptionsTest {
    @Test
    void benchUsesTheDockerfilesJvmOptions() throws Exception {
        Matcher env = Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(env.find()).as("Dockerfile sets JAVA_TOOL_OPTIONS").isTrue();
        String shipped = String.join(" ", BenchOptions.SHIPPED_JVM_ARGS);
        assertThat(env.group(1)).isEqualTo(shipped);
        assertThat(BenchOptions.parse(new String[0]).serviceJvmArgs()).isEqualTo(BenchOptions.SHIPPED_JVM_ARGS);
        assertThat(Files.readString(Path.of("README.md"))).contains("JAVA_TOOL_OPTIONS=\"" + shipped + "\"");
    }
}
