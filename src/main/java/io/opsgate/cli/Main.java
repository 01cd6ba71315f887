package io.opsgate.cli;

import io.opsgate.build.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "opsgate",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Exports AWS metrics (EBS burst balance, EC2 CPU credits and status checks) to Prometheus "
                + "from a background-collected snapshot, across accounts and regions.",
        subcommands = {RunCommand.class, DemoCommand.class, CheckConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, demo or check-config");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("opsgate: " + e.getMessage());
            return 1;
        });
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"opsgate " + BuildInfo.load().version()};
        }
    }
}
