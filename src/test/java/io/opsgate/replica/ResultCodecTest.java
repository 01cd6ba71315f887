package io.opsgate.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsgate.collect.MetricFamily;
import io.opsgate.collect.TargetKey;
import io.opsgate.config.CollectorName;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A collection result survives its row unchanged: the samples a replica renders are the collecting replica's. */
class ResultCodecTest {
    @Test
    void familiesRoundTripWithTheirLabelsInOrderAndExactValues() {
        MetricFamily info = new MetricFamily("aws_ebs_volume_info", "info", MetricFamily.Type.INFO, List.of(
                new MetricFamily.Sample(Labels.of("volume_id", "vol-1", "account_id", "1", "tag_Name", "a \"b\"\n"), 1),
                new MetricFamily.Sample(Labels.of("volume_id", "vol-2", "account_id", "1"), 1)));
        MetricFamily ratio = new MetricFamily("aws_ebs_burst_balance_ratio", "burst", MetricFamily.Type.GAUGE, List.of(
                new MetricFamily.Sample(Labels.of("volume_id", "vol-1"), 0.9925400000000001),
                new MetricFamily.Sample(Labels.EMPTY, Double.NaN)));
        TargetResult result = new TargetResult(new TargetKey("111111111111", "us-east-1"),
                Map.of(CollectorName.EBS, List.of(info, ratio)), Map.of(), Map.of(CollectorName.EBS, true),
                Map.of(CollectorName.EBS, 1.7e9), Map.of(CollectorName.EBS, 0.25));

        TargetResult decoded = ResultCodec.decode(ResultCodec.encode(result));

        assertThat(decoded.families()).isEqualTo(result.families());
        MetricFamily.Sample first = decoded.families().get(CollectorName.EBS).get(0).samples().get(0);
        assertThat((Object) first.labels()).isEqualTo(Labels.of("account_id", "1", "tag_Name", "a \"b\"\n", "volume_id", "vol-1"));
        assertThat(first.labelName(0)).isEqualTo("account_id");
        assertThat(decoded.families().get(CollectorName.EBS).get(1).samples().get(0).value()).isEqualTo(0.9925400000000001);
        assertThat(decoded.up()).isEqualTo(result.up());
        assertThat(decoded.lastSuccess()).isEqualTo(result.lastSuccess());
        assertThat(decoded.took()).isEqualTo(result.took());
    }

    @Test
    void aDamagedRowIsRefused() {
        assertThatThrownBy(() -> ResultCodec.decode(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }
}
