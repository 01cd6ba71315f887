package io.opsgate.cli;

import io.opsgate.config.ListenAddress;
import io.opsgate.config.OpsGateConfig;
import picocli.CommandLine;

/** {@code --listen HOST:PORT}, parsed by the same rules as {@code server.listen} in the config file. */
final class ListenAddressConverter implements CommandLine.ITypeConverter<OpsGateConfig.Server> {
    @Override
    public OpsGateConfig.Server convert(String value) {
        try {
            return ListenAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
