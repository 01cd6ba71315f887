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

    private Path alertsConfig(String storePath) throws Exception {
        return config("alerts:\n  store: {path: \"" + storePath + "\"}\n");
    }

    @Test
    void checkConfigSaysWhichStepOfTheStoreFailsAndWhy() throws Exception {
        Files.writeString(dir.resolve("plain-file"), "x");
        Files.writeString(dir.resolve("garbage.db"), "this is not an SQLite database, it is text ".repeat(100));
        String[][] cases = {
                {dir.resolve("plain-file/sub/alerts.db").toString(), "cannot be created", "plain-file is not a directory"},
                {"/sys/kernel/alerts.db", "/sys/kernel cannot be written", "permission denied"},
                {dir.resolve("garbage.db").toString(), "cannot be opened as an SQLite database", "not a database"},
                {dir.toString(), "is a directory", "names the database file"}};
        for (String[] c : cases) {
            Result r = run("check-config", "-c", alertsConfig(c[0]).toString());
            assertThat(r.exitCode()).as(c[0]).isEqualTo(1);
            assertThat(r.err().strip().lines()).as(c[0]).singleElement().satisfies(line -> assertThat(line)
                    .contains("alerts.store.path: store error:", c[1], c[2]));
        }
        Result fine = run("check-config", "-c", alertsConfig(dir.resolve("new/dir/alerts.db").toString()).toString());
        assertThat(fine.exitCode()).as(fine.err()).isZero();
        assertThat(dir.resolve("new")).as("checking creates nothing").doesNotExist();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".opsgate-store-check"));
    }

    @Test
    void checkConfigFindsAStoreLockedByAnotherGateway() throws Exception {
        Path db = dir.resolve("held.db");
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try (var held = io.opsgate.alerts.store.JdbcAlertStore.sqlite(vertx, db)) {
            Result r = run("check-config", "-c", alertsConfig(db.toString()).toString());
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("store error:", "is locked by another process");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        Result after = run("check-config", "-c", alertsConfig(db.toString()).toString());
        assertThat(after.exitCode()).as(after.err()).isZero();
    }

    @Test
    void aStoreThatCannotBeOpenedAtStartIsAStoreErrorNotAListenError() throws Exception {
        Files.writeString(dir.resolve("plain-file"), "x");
        Path file = config("""
                alerts:
                  store: {path: "%s"}
                """.formatted(dir.resolve("plain-file/alerts.db")));
        Result r = run("run", "-c", file.toString(), "--listen", "127.0.0.1:0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                .contains("alert store error", "plain-file is not a directory").doesNotContain("cannot listen"));
    }
}
