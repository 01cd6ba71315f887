package io.opsgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path config(String yaml) throws Exception {
        Path file = dir.resolve("opsgate.yml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void unknownKeyFailsWithOneLineNamingKeyLineAndSuggestion() throws Exception {
        Path file = config("collection:\n  intreval: 5m\n");
        for (String command : new String[] {"check-config", "run"}) {
            Result r = run(command, "-c", file.toString());
            assertThat(r.exitCode()).as(command).isNotZero();
            assertThat(r.err().strip().lines()).as(command).singleElement().satisfies(line -> assertThat(line)
                    .contains("opsgate.yml:2:").contains("intreval").contains("interval"));
        }
    }

    @Test
    void wrongTypeFailsNamingTheKeyPath() throws Exception {
        Result r = run("check-config", "-c", config("collection:\n  concurrency: lots\n").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                .contains("opsgate.yml:2:").contains("collection.concurrency"));
    }

    @Test
    void missingFileFailsNamingTheFile() {
        Path missing = dir.resolve("nope.yml");
        Result r = run("run", "-c", missing.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().strip().lines()).singleElement().satisfies(line -> assertThat(line).contains("nope.yml"));
    }

    @Test
    void validConfigIsSummarised() throws Exception {
        Path file = config("""
                aws:
                  regions: [us-east-1, eu-west-1]
                accounts:
                  - name: prod
                    role_arn: arn:aws:iam::123456789012:role/opsgate
                """);
        Result r = run("check-config", "-c", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("OK: 1 account(s), 2 account/region target(s)");
    }

    @Test
    void checkConfigShowsWhereAnAlertIsRouted() throws Exception {
        Path file = config("""
                route:
                  receiver: ops
                  group_by: [alertname]
                  routes:
                    - matchers: ['severity=~"critical|page"']
                      receiver: pager
                      continue: true
                      repeat_interval: 1h
                    - matchers: ['team="db"']
                      receiver: db
                receivers: [{name: ops}, {name: pager}, {name: db}]
                """);
        Result r = run("check-config", "-c", file.toString(), "--route", "severity=page, team=\"db\"");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("route 0.0 -> pager (group_by [alertname], group_wait 5s, repeat_interval 1h)\n"
                + "route 0.1 -> db (group_by [alertname], group_wait 5s, repeat_interval 4h)");
        Result bad = run("check-config", "-c", file.toString(), "--route", "severity=~page");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("--route: severity=~\"page\": give label values with =, not =~");
    }

    @Test
    void shippedExampleConfigIsValid() {
        Result r = run("check-config", "-c", Path.of("opsgate.example.yml").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void badListenAddressIsAUsageError() {
        Result r = run("demo", "--listen", "localhost");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("HOST:PORT");
    }

    @Test
    void demoRequiresTheWebhookTokenFromItsFile() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "s3cret\n");
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--webhook-token-file", token.toString());
        assertThat(demo.demoConfig("http://127.0.0.1:1").alerts().bearerToken()).isEqualTo("s3cret");

        DemoCommand missing = new DemoCommand();
        new CommandLine(missing).parseArgs("--webhook-token-file", dir.resolve("absent").toString());
        assertThatThrownBy(() -> missing.demoConfig("http://127.0.0.1:1"))
                .hasMessageContaining("--webhook-token-file: cannot read").hasMessageContaining("no such file");

        DemoCommand open = new DemoCommand();
        new CommandLine(open).parseArgs();
        assertThat(open.demoConfig("http://127.0.0.1:1").alerts().bearerToken()).isNull();
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version").out()).startsWith("opsgate ");
        Result help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("run").contains("demo").contains("check-config");
        assertThat(run().exitCode()).isEqualTo(2);
    }
}
