package io.opsgate.config;

import java.util.List;

/** Maps a composed YAML document onto {@link OpsGateConfig}, one section reader per top-level key. */
final class ConfigMapper {
    static final List<String> SECTIONS = List.of("server", "collection", "aws", "accounts", "route", "receivers",
            "alerts", "discovery");

    private ConfigMapper() {
    }

    /** @param root the document, or null for an empty one */
    static OpsGateConfig map(ConfigNode root) throws ConfigException {
        if (root == null || root.isNull()) {
            return Defaults.config();
        }
        ConfigMap top = root.map(SECTIONS);
        ConfigMap serverSection = top.section("server", ServerSection.KEYS);
        OpsGateConfig.Server server = ServerSection.read(serverSection);
        OpsGateConfig.Collection collection = CollectionSection.read(top.section("collection", CollectionSection.KEYS));
        OpsGateConfig.Aws aws = AwsSection.read(top.section("aws", AwsSection.KEYS));
        List<OpsGateConfig.Account> accounts = AccountsSection.read(top.find("accounts"), aws.regions());
        List<OpsGateConfig.Receiver> receivers = ReceiversSection.read(top.find("receivers"));
        RouteConfig route = RouteSection.read(top, receivers);
        OpsGateConfig.Alerts alerts = AlertsSection.read(top.find("alerts"));
        ServerSection.checkAgainstBodySize(serverSection, server, alerts, top.find("alerts"));
        OpsGateConfig.Discovery discovery = DiscoverySection.read(top.section("discovery", DiscoverySection.KEYS));
        return new OpsGateConfig(server, collection, aws, accounts, route, receivers, alerts, discovery,
                root.context().warnings());
    }
}
