package io.opsgate.assets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The files of the docker-compose stack refer to each other by hostname, port and container path; no
 * tool checks those references across files (and no Docker engine runs in CI), so this test does: every
 * host a config names is a compose service listening there, every file a config reads is mounted, and
 * the dashboard is well-formed for Grafana (ids, grid, data source).
 */
class StackFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private static JsonNode yaml(String path) throws Exception {
        return YAML.readTree(ROOT.resolve(path).toFile());
    }

    private static JsonNode services() throws Exception {
        return yaml("docker-compose.yml").path("services");
    }

    /** Container path to repository path, for the bind mounts of one service. */
    private static Map<String, Path> bindMounts(String service) throws Exception {
        Map<String, Path> mounts = new HashMap<>();
        for (JsonNode volume : services().path(service).path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts[0].startsWith("./")) {
                mounts.put(parts[1], ROOT.resolve(parts[0]).normalize());
            }
        }
        return mounts;
    }

    /** Where a container path comes from in the repository, through the service's bind mounts. */
    private static Path repoPathOf(String service, String containerPath) throws Exception {
        for (Map.Entry<String, Path> mount : bindMounts(service).entrySet()) {
            if (containerPath.equals(mount.getKey()) || containerPath.startsWith(mount.getKey() + "/")) {
                return mount.getValue().resolve(containerPath.substring(mount.getKey().length()).replaceFirst("^/", ""));
            }
        }
        throw new AssertionError(containerPath + " is not mounted into the " + service + " service: " + bindMounts(service).keySet());
    }

    @Test
    void everyBindMountSourceExistsAndImagesArePinned() throws Exception {
        List<String> services = new ArrayList<>();
        services().fieldNames().forEachRemaining(services::add);
        assertThat(services).containsExactlyInAnyOrder("opsgate", "prometheus", "alertmanager", "grafana");
        for (String service : services) {
            for (Path source : bindMounts(service).values()) {
                assertThat(source).as(service + " mounts it").exists();
            }
            String image = services().path(service).path("image").asText();
            if (!services().path(service).has("build")) {
                assertThat(image).as(service + " image pinned to a version").matches("[\\w./-]+:v?\\d+\\.\\d+\\.\\d+");
            }
        }
        assertThat(Files.readString(ROOT.resolve("Dockerfile"))).containsPattern("(?m)^FROM eclipse-temurin:17\\.\\d+\\.\\d+_\\d+-jre$")
                .contains("COPY target/opsgate.jar");
    }

    @Test
    void prometheusScrapesAndAlertsTheComposeServices() throws Exception {
        JsonNode config = yaml("prometheus/prometheus.yml");
        JsonNode scrape = config.path("scrape_configs").get(0);
        assertThat(scrape.path("job_name").asText()).as("the rules select job=\"opsgate\"").isEqualTo("opsgate");
        assertThat(scrape.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo("opsgate:" + opsgatePort());
        assertThat(config.path("alerting").path("alertmanagers").get(0).path("static_configs").get(0).path("targets").get(0).asText())
                .isEqualTo("alertmanager:9093");
        // rule_files are relative to prometheus.yml; in the container they must land on the rules.
        assertThat(repoPathOf("prometheus", "/etc/prometheus/prometheus.yml")).isEqualTo(ROOT.resolve("prometheus/prometheus.yml"));
        String ruleGlob = config.path("rule_files").get(0).asText();
        assertThat(repoPathOf("prometheus", "/etc/prometheus/" + ruleGlob.substring(0, ruleGlob.lastIndexOf('/'))))
                .isEqualTo(ROOT.resolve("prometheus/rules"));
    }

    private static int opsgatePort() throws Exception {
        List<String> command = new ArrayList<>();
        services().path("opsgate").path("command").forEach(c -> command.add(c.asText()));
        String listen = command.get(command.indexOf("--listen") + 1);
        assertThat(listen).startsWith("0.0.0.0:");
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    @Test
    void alertmanagerReachesTheGatewayWithAMountedToken() throws Exception {
        JsonNode webhook = yaml("prometheus/alertmanager.yml").path("receivers").get(0).path("webhook_configs").get(0);
        URI url = URI.create(webhook.path("url").asText());
        assertThat(url.getHost()).isEqualTo("opsgate");
        assertThat(url.getPort()).isEqualTo(opsgatePort());
        assertThat(url.getPath()).isEqualTo("/hooks/alertmanager");
        assertThat(webhook.path("send_resolved").asBoolean()).isTrue();
        String tokenFile = webhook.path("http_config").path("authorization").path("credentials_file").asText();
        Path token = repoPathOf("alertmanager", tokenFile);
        assertThat(token).exists();
        assertThat(Files.readString(token).strip()).as("a token, on one line").isNotBlank().doesNotContain("\n");
        assertThat(repoPathOf("alertmanager", "/etc/alertmanager/alertmanager.yml")).isEqualTo(ROOT.resolve("prometheus/alertmanager.yml"));

        // The gateway must demand exactly the token Alertmanager sends, or every webhook is a 401.
        List<String> command = new ArrayList<>();
        services().path("opsgate").path("command").forEach(c -> command.add(c.asText()));
        assertThat(command).contains("--webhook-token-file");
        String gatewayTokenFile = command.get(command.indexOf("--webhook-token-file") + 1);
        assertThat(repoPathOf("opsgate", gatewayTokenFile)).isEqualTo(token);
    }

    @Test
    void grafanaProvisioningPointsAtPrometheusAndTheDashboards() throws Exception {
        JsonNode datasource = yaml("grafana/provisioning/datasources/prometheus.yml").path("datasources").get(0);
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(datasource.path("jsonData").path("timeInterval").asText())
                .as("Grafana's minimum step = the scrape interval").isEqualTo(yaml("prometheus/prometheus.yml").path("global").path("scrape_interval").asText());
        assertThat(repoPathOf("grafana", "/etc/grafana/provisioning/datasources")).isEqualTo(ROOT.resolve("grafana/provisioning/datasources"));

        String dashboardsPath = yaml("grafana/provisioning/dashboards/opsgate.yml").path("providers").get(0).path("options").path("path").asText();
        assertThat(repoPathOf("grafana", dashboardsPath).resolve("opsgate-aws.json")).exists();

        JsonNode dashboard = JSON.readTree(ROOT.resolve("grafana/dashboards/opsgate-aws.json").toFile());
        JsonNode dsVariable = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("datasource".equals(variable.path("type").asText())) {
                dsVariable = variable;
            }
        }
        assertThat(dsVariable).as("a data source variable").isNotNull();
        assertThat(dsVariable.path("current").path("value").asText()).isEqualTo(datasource.path("uid").asText());
    }

    @Test
    void dashboardPanelsHaveUniqueIdsTheSharedDataSourceAndDoNotOverlap() throws Exception {
        JsonNode dashboard = JSON.readTree(ROOT.resolve("grafana/dashboards/opsgate-aws.json").toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("opsgate-aws");
        assertThat(dashboard.path("title").asText()).isEqualTo("OpsGate — AWS");
        Set<Integer> ids = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
            JsonNode grid = panel.path("gridPos");
            int x = grid.path("x").asInt();
            int w = grid.path("w").asInt();
            assertThat(x + w).as("fits the 24 columns: " + title).isLessThanOrEqualTo(24);
            assertThat(grid.path("h").asInt()).as("height of " + title).isPositive();
            for (int cx = x; cx < x + w; cx++) {
                for (int cy = grid.path("y").asInt(); cy < grid.path("y").asInt() + grid.path("h").asInt(); cy++) {
                    assertThat(cells.add(cx + "," + cy)).as(title + " overlaps another panel at " + cx + "," + cy).isTrue();
                }
            }
            if (!"row".equals(panel.path("type").asText())) {
                assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
                assertThat(panel.path("targets")).as(title).isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
                    assertThat(target.path("expr").asText()).as(title).isNotBlank();
                }
            }
        }
    }
}
