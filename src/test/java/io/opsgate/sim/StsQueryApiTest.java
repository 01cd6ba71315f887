package io.opsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StsQueryApiTest {

    private static final String OTHER = "210987654321";

    private SimHarness harness;
    private StsClient sts;

    @BeforeAll
    void start() {
        harness = SimHarness.withFixedClock();
        sts = harness.sts(SimHarness.STATIC, 1);
    }

    @AfterAll
    void stop() throws Exception {
        sts.close();
        harness.close();
    }

    @Test
    void staticKeysBelongToTheDefaultAccount() {
        GetCallerIdentityResponse me = sts.getCallerIdentity();
        assertThat(me.account()).isEqualTo("123456789012");
        assertThat(me.arn()).startsWith("arn:aws:iam::123456789012:");
    }

    @Test
    void assumedRoleCredentialsSeeThatAccountsFleet() {
        AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + OTHER + ":role/OpsGateReader")
                .roleSessionName("opsgate").durationSeconds(900));
        assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA" + OTHER).hasSize(20);
        assertThat(assumed.credentials().expiration()).isAfter(Instant.now());
        assertThat(assumed.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::" + OTHER + ":assumed-role/OpsGateReader/opsgate");

        AwsCredentialsProvider roleCreds = SimHarness.provider(assumed.credentials());
        try (StsClient asRole = harness.sts(roleCreds, 1); Ec2Client ec2 = harness.ec2(roleCreds, 1);
             Ec2Client ec2Default = harness.ec2()) {
            GetCallerIdentityResponse who = asRole.getCallerIdentity();
            assertThat(who.account()).isEqualTo(OTHER);
            assertThat(who.arn()).isEqualTo(assumed.assumedRoleUser().arn());

            List<String> seen = ec2.describeVolumes().volumes().stream().map(Volume::volumeId).toList();
            List<String> expected = harness.sim.fleet().volumes(OTHER, "us-east-1").stream().map(SimVolume::id).toList();
            List<String> defaults = ec2Default.describeVolumes().volumes().stream().map(Volume::volumeId).toList();
            assertThat(seen).isEqualTo(expected);
            assertThat(seen).doesNotContainAnyElementsOf(defaults);
        }
    }

    @Test
    void requiredExternalIdIsEnforced() {
        harness.sim.requireExternalId("333344445555", "s3cr3t");
        try {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::333344445555:role/R")
                    .roleSessionName("s1").externalId("wrong")))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("sts:AssumeRole");
                    });
            assertThat(sts.assumeRole(r -> r.roleArn("arn:aws:iam::333344445555:role/R")
                    .roleSessionName("s1").externalId("s3cr3t")).credentials().accessKeyId())
                    .startsWith("ASIA333344445555");
        } finally {
            harness.sim.requireExternalId("333344445555", null);
        }
    }

    @Test
    void invalidRoleArnAndDurationAreValidationErrors() {
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("not-an-arn").roleSessionName("s1")))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::111122223333:role/R")
                .roleSessionName("s1").durationSeconds(60)))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    }
}
