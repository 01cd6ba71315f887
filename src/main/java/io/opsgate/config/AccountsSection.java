package io.opsgate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code accounts} list: which accounts to watch, how to reach them, in which regions. */
final class AccountsSection {
    static final List<String> KEYS =
            List.of("name", "id", "role_arn", "external_id", "external_id_file", "regions");
    private static final String ID_EXAMPLE = "\"123456789012\"";
    private static final String ARN_EXAMPLE = "arn:aws:iam::123456789012:role/opsgate";

    private AccountsSection() {
    }

    /** @param node the {@code accounts} value, or null when absent */
    static List<OpsGateConfig.Account> read(ConfigNode node, List<String> defaultRegions) throws ConfigException {
        if (node == null) {
            return List.of(Defaults.account(defaultRegions));
        }
        List<ConfigNode> items = node.list("accounts (mappings with keys " + String.join(", ", KEYS) + ")");
        if (items.isEmpty()) {
            throw node.error("must list at least one account; leave accounts out to watch the account of the"
                    + " base credentials");
        }
        List<OpsGateConfig.Account> accounts = new ArrayList<>();
        Map<String, String> pathByName = new HashMap<>();
        for (ConfigNode item : items) {
            ConfigMap m = item.map(KEYS);
            OpsGateConfig.Account account = account(m, defaultRegions);
            String earlier = pathByName.putIfAbsent(account.name(), item.path());
            if (earlier != null) {
                ConfigNode nameNode = m.find("name");
                throw (nameNode != null ? nameNode : item).error("account name " + ConfigNode.quote(account.name())
                        + " is already used by " + earlier + (nameNode != null ? "" : "; set name to tell them apart"));
            }
            accounts.add(account);
        }
        return List.copyOf(accounts);
    }

    private static OpsGateConfig.Account account(ConfigMap m, List<String> defaultRegions) throws ConfigException {
        ConfigNode idNode = m.find("id");
        String id = idNode == null ? null : accountId(idNode);

        ConfigNode arnNode = m.find("role_arn");
        String roleArn = null;
        if (arnNode != null) {
            roleArn = arnNode.text();
            String arnAccount = AwsNames.roleArnAccount(roleArn);
            if (arnAccount == null) {
                throw arnNode.error("expected an IAM role ARN like " + ARN_EXAMPLE + ", got " + ConfigNode.quote(roleArn));
            }
            if (id != null && !id.equals(arnAccount)) {
                throw idNode.error("account " + id + " does not match role_arn, whose account is " + arnAccount);
            }
            // Consumers then need STS GetCallerIdentity only for accounts reached without a role.
            id = arnAccount;
        }

        String externalId = SecretValues.read(m, "external_id");
        if (externalId != null && roleArn == null) {
            throw SecretValues.source(m, "external_id").error("only applies with role_arn (it is sent with AssumeRole)");
        }

        ConfigNode regionsNode = m.find("regions");
        List<String> regions = regionsNode == null ? defaultRegions : RegionList.read(regionsNode);

        ConfigNode nameNode = m.find("name");
        String name = nameNode != null ? nameNode.text() : id != null ? id : Defaults.ACCOUNT_NAME;
        return new OpsGateConfig.Account(name, id, roleArn, externalId, regions);
    }

    private static String accountId(ConfigNode node) throws ConfigException {
        if (node.isUnquotedNonString()) {
            // Unquoted, YAML reads digits as a number: leading zeros vanish and some ids turn into octal or floats.
            throw node.error("must be a quoted string like " + ID_EXAMPLE + ", got the unquoted number "
                    + node.text() + " (YAML reads unquoted digits as a number and drops"
                    + " leading zeros); write it in quotes");
        }
        String id = node.text();
        if (!AwsNames.isAccountId(id)) {
            throw node.error("expected a 12-digit account id like " + ID_EXAMPLE + ", got " + ConfigNode.quote(id));
        }
        return id;
    }
}
