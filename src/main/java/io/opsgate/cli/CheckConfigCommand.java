package io.opsgate.cli;

import io.opsgate.ConfigCheck;
import io.opsgate.alerts.store.StoreCheck;
import io.opsgate.config.CollectorName;
import io.opsgate.config.ConfigException;
import io.opsgate.config.ConfigLoader;
import io.opsgate.config.OpsGateConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration file and exit: 0 if valid, 1 with a one-line reason if not. With an"
                + " alerts section, also check that the store's directory can be created, written and locked.")
final class CheckConfigCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Option(names = "--route", paramLabel = "LABELS",
            description = {"Also print which routes and receivers take an alert with these labels, like amtool's"
                    + " 'config routes test', e.g. --route 'severity=critical,team=db' (values may be quoted)."})
    String routeLabels;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            OpsGateConfig loaded = ConfigCheck.check(ConfigLoader.load(config));
            for (String warning : loaded.warnings()) {
                spec.commandLine().getErr().println("opsgate: warning: " + warning);
            }
            if (loaded.alerts().enabled() && loaded.alerts().store().type() == OpsGateConfig.StoreType.SQLITE) {
                java.util.Optional<String> store = StoreCheck.problem(loaded.alerts().storePath());
                if (store.isPresent()) {
                    spec.commandLine().getErr().println("opsgate: " + config + ": alerts.store.path: store error: "
                            + store.get());
                    return 1;
                }
            }
            int targets = loaded.accounts().stream().mapToInt(a -> a.regions().size()).sum();
            spec.commandLine().getOut().printf("%s: OK: %d account(s), %d account/region target(s), collectors [%s], every %ds%n",
                    config, loaded.accounts().size(), targets,
                    loaded.collection().collectors().stream().map(CollectorName::key).sorted().collect(Collectors.joining(", ")),
                    loaded.collection().interval().toSeconds());
            return routeLabels == null ? 0 : RouteReport.print(loaded, routeLabels, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("opsgate: " + e.getMessage());
            return 1;
        }
    }
}
