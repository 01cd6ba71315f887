package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsgate.collect.CollectorKey;
import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.Snapshot;
import io.opsgate.collect.TargetKey;
import io.opsgate.config.CollectorName;
import io.prometheus.metrics.model.snapshots.Labels;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The chunked, family-by-family rendering against the library's writer given the whole snapshot at once. */
class SnapshotRendererTest {
    private static final TargetKey TARGET = new TargetKey("111111111111", "us-east-1");
    private final ExpositionWriter writer = new ExpositionWriter();
    private final SnapshotRenderer renderer = new SnapshotRenderer(writer);

    @Test
    void chunkedRenderingHasTheBytesOfTheWholeSnapshotWrittenAtOnce() throws Exception {
        Snapshot snapshot = largeSnapshot();
        RenderedMetrics rendered = renderer.render(snapshot, EnumSet.allOf(RenderedMetrics.Format.class));

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        writer.writeText(SnapshotRenderer.toMetricSnapshots(snapshot), text);
        byte[] openMetrics = writer.openMetricsWithoutEof(SnapshotRenderer.toMetricSnapshots(snapshot));

        // Only the gzip is rendered with the snapshot; the plain bytes are inflated from it on first request.
        assertThat(rendered.bytes(RenderedMetrics.Format.TEXT, false)).isNull();
        assertThat(rendered.bytes(RenderedMetrics.Format.OPENMETRICS, false)).isNull();
        assertThat(rendered.renderMissing(RenderedMetrics.Format.TEXT, false, renderer)).isTrue();
        assertThat(rendered.renderMissing(RenderedMetrics.Format.OPENMETRICS, false, renderer)).isTrue();

        RenderedMetrics.Encodings textEncodings = rendered.encodings(RenderedMetrics.Format.TEXT);
        RenderedMetrics.Encodings omEncodings = rendered.encodings(RenderedMetrics.Format.OPENMETRICS);
        assertThat(textEncodings.plain().chunkCount()).isGreaterThan(2);
        assertThat(read(textEncodings.plain())).isEqualTo(text.toByteArray());
        assertThat(gunzip(read(textEncodings.gzip()))).isEqualTo(text.toByteArray());
        assertThat(read(omEncodings.plain())).isEqualTo(openMetrics);
        assertThat(gunzip(read(omEncodings.gzip()))).isEqualTo(openMetrics);
        assertThat(new String(openMetrics, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("# EOF");

        rendered.retire();
        assertThat(textEncodings.plain().freed()).isTrue();
        assertThat(textEncodings.gzip().freed()).isTrue();
        assertThat(omEncodings.plain().freed()).isTrue();
        assertThat(omEncodings.gzip().freed()).isTrue();
    }

    /**
     * Families from two collector keys under one name, info families whose name without _info sorts elsewhere
     * than with it, an empty family, and enough samples for several chunks.
     */
    private static Snapshot largeSnapshot() {
        List<MetricFamily.Sample> volumes = new ArrayList<>();
        List<MetricFamily.Sample> sizes = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            String id = String.format("vol-%017d", i);
            volumes.add(new MetricFamily.Sample(Labels.of("volume_id", id, "volume_type", "gp2",
                    "tag_Name", "a volume with a long name \"quoted\" \\ and\nnewline " + i), 1));
            sizes.add(new MetricFamily.Sample(Labels.of("volume_id", id), i * 1073741824.0));
        }
        MetricFamily info = new MetricFamily("aws_x_info", "info", MetricFamily.Type.INFO, volumes);
        MetricFamily a = new MetricFamily("aws_x_a", "sorts before aws_x_info, after aws_x", MetricFamily.Type.GAUGE,
                sizes);
        MetricFamily ratio = new MetricFamily("aws_ebs_burst_balance_ratio", "burst", MetricFamily.Type.GAUGE,
                List.of(new MetricFamily.Sample(Labels.of("volume_id", "vol-1"), 0.99254)));
        MetricFamily ratioElsewhere = new MetricFamily("aws_ebs_burst_balance_ratio", "burst", MetricFamily.Type.GAUGE,
                List.of(new MetricFamily.Sample(Labels.of("volume_id", "vol-2"), Double.NaN)));
        MetricFamily empty = new MetricFamily("aws_empty", "nothing", MetricFamily.Type.GAUGE, List.of());
        return new Snapshot(1, Map.of(
                new CollectorKey(CollectorName.EBS, TARGET), List.of(info, a, ratio, empty),
                new CollectorKey(CollectorName.EBS, new TargetKey("222222222222", "eu-west-1")), List.of(ratioElsewhere)));
    }

    private static byte[] read(SharedBytes bytes) {
        Buffer view = bytes.borrow();
        try {
            return view.getBytes();
        } finally {
            bytes.release();
        }
    }

    private static byte[] gunzip(byte[] gzip) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }
}
