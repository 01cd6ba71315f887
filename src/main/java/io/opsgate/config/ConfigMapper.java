package io.opsgate.config;

import java.util.List;

/** Maps a composed YAML document onto {@link OpsGateConfig}, one section reader per top-level key. */
final class ConfigMapper {
    static final List<String> SECTIONS = List.of("server", "collection", "aws", "accounts", "route", "receivers",
            "alerts", "discovery");
    static final List<String> SERVER_KEYS = List.of("listen");

    private ConfigMapper() {
    }

    /** @param root the document, or null for an empty one */
    static OpsGateConfig map(ConfigNode root) throws ConfigException {
        if (root == null || root.isNull()) {
            return Defaults.config();
        }
        ConfigMap top = root.map(SECTIONS);
        OpsGateConfig.Server server = server(top.section("server", SERVER_KEYS));
        OpsGateConfig.Collection collection = CollectionSection.read(top.section("collection", CollectionSection.KEYS));
        OpsGateConfig.Aws aws = AwsSection.read(top.section("aws", AwsSection.KEYS));
        List<OpsGateConfig.Account> accounts = AccountsSection.read(top.find("accounts"), aws.regions());
        List<OpsGateConfig.Receiver> receivers = ReceiversSection.read(top.find("receivers"));
        RouteConfig route = RouteSection.read(top, receivers);
        OpsGateConfig.Alerts alerts = AlertsSection.read(top.find("alerts"));
        OpsGateConfig.Discovery discovery = DiscoverySection.read(top.section("discovery", DiscoverySection.KEYS));
        return new OpsGateConfig(server, collection, aws, accounts, route, receivers, alerts, discovery,
                root.context().warnings());
    }

    private static OpsGateConfig.Server server(ConfigMap m) throws ConfigException {
        ConfigNode listen = m.find("listen");
        if (listen == null) {
            return OpsGateConfig.Server.DEFAULT;
        }
        try {
            return ListenAddress.parse(listen.text());
        } catch (IllegalArgumentException e) {
            throw listen.error(e.getMessage());
        }
    }
}
