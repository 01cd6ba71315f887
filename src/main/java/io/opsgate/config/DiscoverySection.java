package io.opsgate.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code discovery} section: which inventories to serve as http_sd, the credentials the endpoints require,
 * and named jobs. A job's keys are the URL query parameters of {@code /sd/<kind>} ({@code tags} and
 * {@code tag_regex} being mappings of tag key to value), kept with their positions: {@code io.opsgate.discovery}
 * parses them with the parser the endpoint uses, so a job that passes the check is a query that runs.
 */
final class DiscoverySection {
    static final List<String> KEYS = List.of("kinds", "auth", "jobs");
    static final List<String> JOB_KEYS = List.of("name", "kind", "port", "port_tag", "state", "account", "region",
            "instance_type", "engine", "instance_class", "target_group", "load_balancer", "tags", "tag_regex");
    private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private DiscoverySection() {
    }

    static OpsGateConfig.Discovery read(ConfigMap m) throws ConfigException {
        ConfigNode kindsNode = m.find("kinds");
        Set<DiscoveryKind> kinds = kindsNode == null ? OpsGateConfig.Discovery.DEFAULT.kinds() : kinds(kindsNode);
        AuthConfig auth = AuthSection.read(m, true);
        ConfigNode jobsNode = m.find("jobs");
        Map<String, SdJob> jobs = jobsNode == null ? Map.of() : jobs(jobsNode, kinds);
        return new OpsGateConfig.Discovery(kinds, jobs, auth);
    }

    private static Set<DiscoveryKind> kinds(ConfigNode node) throws ConfigException {
        List<String> known = DiscoveryKind.keys();
        EnumSet<DiscoveryKind> kinds = EnumSet.noneOf(DiscoveryKind.class);
        for (ConfigNode item : node.list("discovery kinds (" + String.join(", ", known) + "); [] turns discovery off")) {
            String key = item.text();
            DiscoveryKind kind = DiscoveryKind.fromKey(key).orElseThrow(() ->
                    item.error("unknown kind " + ConfigNode.quote(key) + Suggestions.hint(key, known)));
            if (!kinds.add(kind)) {
                throw item.error("kind " + ConfigNode.quote(key) + " is listed twice");
            }
        }
        return Collections.unmodifiableSet(kinds);
    }

    private static Map<String, SdJob> jobs(ConfigNode node, Set<DiscoveryKind> kinds) throws ConfigException {
        Map<String, SdJob> jobs = new LinkedHashMap<>();
        for (ConfigNode item : node.list("jobs (mappings with keys " + String.join(", ", JOB_KEYS) + ")")) {
            ConfigMap job = item.map(JOB_KEYS);
            ConfigNode nameNode = job.find("name");
            if (nameNode == null) {
                throw job.node().absentChild("name").error("every job needs a name; it is served at /sd/jobs/<name>");
            }
            String name = nameNode.text();
            if (!JOB_NAME.matcher(name).matches()) {
                throw nameNode.error("job names are 1-64 letters, digits, '_', '.' or '-' (they go in the URL), got "
                        + ConfigNode.quote(name));
            }
            if (jobs.containsKey(name)) {
                throw nameNode.error("job name " + ConfigNode.quote(name) + " is used twice");
            }
            jobs.put(name, job(name, job, kinds));
        }
        return Collections.unmodifiableMap(jobs);
    }

    private static SdJob job(String name, ConfigMap job, Set<DiscoveryKind> kinds) throws ConfigException {
        ConfigNode kindNode = job.find("kind");
        if (kindNode == null) {
            throw job.node().absentChild("kind").error("every job needs a kind (" + String.join(", ", DiscoveryKind.keys()) + ")");
        }
        String key = kindNode.text();
        DiscoveryKind kind = DiscoveryKind.fromKey(key).orElseThrow(() ->
                kindNode.error("unknown kind " + ConfigNode.quote(key) + Suggestions.hint(key, DiscoveryKind.keys())));
        if (!kinds.contains(kind)) {
            throw kindNode.error("kind " + key + " is not read: add it to discovery.kinds");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        Map<String, ConfigOrigin> sources = new LinkedHashMap<>();
        for (String param : JOB_KEYS) {
            ConfigNode value = job.find(param);
            if (value == null || param.equals("name") || param.equals("kind")) {
                continue;
            }
            if (param.equals("tags") || param.equals("tag_regex")) {
                String prefix = param.equals("tags") ? "tag." : "tag_regex.";
                for (Map.Entry<String, ConfigNode> tag : value.freeMap("tag keys to values").entrySet()) {
                    params.put(prefix + tag.getKey(), values(tag.getValue()));
                    sources.put(prefix + tag.getKey(), tag.getValue().origin());
                }
            } else {
                params.put(param, values(value));
                sources.put(param, value.origin());
            }
        }
        return new SdJob(name, kind, params, new Origins(job.node().origin(), sources));
    }

    private static List<String> values(ConfigNode node) throws ConfigException {
        if (node.isScalar()) {
            return List.of(node.text());
        }
        List<String> out = new ArrayList<>();
        for (ConfigNode item : node.list("values")) {
            out.add(item.text());
        }
        return out;
    }
}
