package io.opsgate.replica;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.TargetKey;
import io.opsgate.config.CollectorName;
import io.opsgate.config.DiscoveryKind;
import io.opsgate.discovery.Discovered;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A {@link TargetResult} as the bytes of its row: CBOR (Jackson), gzipped, with a format number first so that a
 * replica never misreads a row a newer OpsGate wrote. Values are float64 in CBOR, so a replica renders exactly the
 * numbers the collecting replica read; discovery labels travel as their pre-serialised JSON, so {@code /sd/*} is
 * byte-identical too.
 */
final class ResultCodec {
    /** 2 added each collector's last run duration ({@code took}); rows of format 1 are still read, without it. */
    static final int FORMAT = 2;
    private static final int OLDEST_READ = 1;
    private static final ObjectMapper CBOR = new CBORMapper();

    private ResultCodec() {
    }

    record Body(int format, String accountId, String region, List<Family> families, List<Kind> inventory,
                Map<String, Boolean> up, Map<String, Double> lastSuccess, Map<String, Double> took) {
    }

    record Family(String collector, String name, String help, String type, List<Sample> samples) {
    }

    record Sample(String[] names, String[] values, double value) {
    }

    record Kind(String kind, List<Item> items) {
    }

    record Item(String accountId, String region, String host, int port, Map<String, String> attributes,
                Map<String, String> tags, Map<String, String> labels, byte[] labelsJson) {
    }

    static byte[] encode(TargetResult result) {
        List<Family> families = new ArrayList<>();
        result.families().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            for (MetricFamily f : e.getValue()) {
                List<Sample> samples = new ArrayList<>(f.samples().size());
                for (MetricFamily.Sample s : f.samples()) {
                    String[] names = new String[s.labelCount()];
                    String[] values = new String[s.labelCount()];
                    for (int i = 0; i < names.length; i++) {
                        names[i] = s.labelName(i);
                        values[i] = s.labelValue(i);
                    }
                    samples.add(new Sample(names, values, s.value()));
                }
                families.add(new Family(e.getKey().name(), f.name(), f.help(), f.type().name(), samples));
            }
        });
        List<Kind> inventory = new ArrayList<>();
        result.inventory().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> inventory.add(
                new Kind(e.getKey().name(), e.getValue().stream().map(d -> new Item(d.accountId(), d.region(),
                        d.host(), d.port(), d.attributes(), d.tags(), d.labels(), d.labelsJson())).toList())));
        Map<String, Boolean> up = new java.util.TreeMap<>();
        result.up().forEach((c, v) -> up.put(c.name(), v));
        Map<String, Double> lastSuccess = new java.util.TreeMap<>();
        result.lastSuccess().forEach((c, v) -> lastSuccess.put(c.name(), v));
        Map<String, Double> took = new java.util.TreeMap<>();
        result.took().forEach((c, v) -> took.put(c.name(), v));
        Body body = new Body(FORMAT, result.target().accountId(), result.target().region(), families, inventory, up,
                lastSuccess, took);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 65536)) {
            CBOR.writeValue(gzip, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException for a row this build cannot read (a newer format, or damaged) */
    static TargetResult decode(byte[] bytes) {
        Body body;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 65536)) {
            body = CBOR.readValue(in, Body.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable collection result: " + e.getMessage(), e);
        }
        if (body.format() < OLDEST_READ || body.format() > FORMAT) {
            throw new IllegalArgumentException("collection result in format " + body.format()
                    + ", this OpsGate reads formats " + OLDEST_READ + " to " + FORMAT
                    + " (replicas of different versions share the database)");
        }
        TargetKey target = new TargetKey(body.accountId(), body.region());
        Map<CollectorName, List<MetricFamily>> families = new EnumMap<>(CollectorName.class);
        for (Family f : body.families()) {
            List<MetricFamily.Sample> samples = new ArrayList<>(f.samples().size());
            for (Sample s : f.samples()) {
                samples.add(new MetricFamily.Sample(Labels.of(s.names(), s.values()), s.value()));
            }
            families.computeIfAbsent(CollectorName.valueOf(f.collector()), k -> new ArrayList<>())
                    .add(new MetricFamily(f.name(), f.help(), MetricFamily.Type.valueOf(f.type()), samples));
        }
        families.replaceAll((k, v) -> List.copyOf(v));
        Map<DiscoveryKind, List<Discovered>> inventory = new EnumMap<>(DiscoveryKind.class);
        for (Kind k : body.inventory()) {
            inventory.put(DiscoveryKind.valueOf(k.kind()), k.items().stream().map(i -> new Discovered(i.accountId(),
                    i.region(), i.host(), i.port(), i.attributes(), i.tags(), i.labels(), i.labelsJson())).toList());
        }
        Map<CollectorName, Boolean> up = new EnumMap<>(CollectorName.class);
        body.up().forEach((c, v) -> up.put(CollectorName.valueOf(c), v));
        Map<CollectorName, Double> lastSuccess = new EnumMap<>(CollectorName.class);
        body.lastSuccess().forEach((c, v) -> lastSuccess.put(CollectorName.valueOf(c), v));
        Map<CollectorName, Double> took = new EnumMap<>(CollectorName.class);
        if (body.took() != null) {
            body.took().forEach((c, v) -> took.put(CollectorName.valueOf(c), v));
        }
        return new TargetResult(target, families, inventory, up, lastSuccess, took);
    }
}
