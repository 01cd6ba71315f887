package io.opsgate.cli;

import io.opsgate.ConfigCheck;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the exporter against AWS with a configuration file; with an alerts section, also the "
                + "Alertmanager webhook gateway (POST /hooks/alertmanager).")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = ListenAddressConverter.class,
            description = "Address to serve HTTP on; overrides server.listen (default 0.0.0.0:9108).")
    OpsGateConfig.Server listen;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OpsGateConfig loaded;
        try {
            loaded = ConfigCheck.check(ConfigLoader.load(config));
        } catch (io.opsgate.config.ConfigException e) {
            spec.commandLine().getErr().println("opsgate: " + e.getMessage());
            return 1;
        }
        loaded.warnings().forEach(w -> LOG.warn("{}", w));
        OpsGateConfig effective = ServiceRunner.withListen(loaded, listen);
        return ServiceRunner.runUntilStopped(vertx -> io.vertx.core.Future.succeededFuture(effective),
                port -> LOG.info("listening on http://{}:{}/metrics", effective.server().urlHost(), port),
                spec.commandLine().getErr());
    }
}
