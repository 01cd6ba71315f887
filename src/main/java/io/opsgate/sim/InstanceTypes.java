package io.opsgate.sim;

import java.util.Map;

/** Facts about the instance types the fleet uses: vCPUs and, for burstable types, the credit bucket size. */
final class InstanceTypes {

    /** vCPUs, credits earned per hour (0 = not burstable), architecture. */
    record Spec(int vcpus, int creditsPerHour, String architecture) {
        /** AWS caps the accrued balance at 24 hours of earnings. */
        int maxCredits() {
            return creditsPerHour * 24;
        }
    }

    static final String[] BURSTABLE = {
        "t2.micro", "t2.small", "t2.medium", "t3.micro", "t3.small", "t3.medium", "t3.large",
        "t3a.micro", "t3a.small", "t3a.medium", "t4g.micro", "t4g.small", "t4g.medium",
    };
    static final String[] FIXED = {"m5.large", "m5.xlarge", "c5.large", "c5.xlarge", "r5.large"};

    private static final Map<String, Spec> SPECS = Map.ofEntries(
            Map.entry("t2.micro", new Spec(1, 6, "x86_64")),
            Map.entry("t2.small", new Spec(1, 12, "x86_64")),
            Map.entry("t2.medium", new Spec(2, 24, "x86_64")),
            Map.entry("t3.micro", new Spec(2, 12, "x86_64")),
            Map.entry("t3.small", new Spec(2, 24, "x86_64")),
            Map.entry("t3.medium", new Spec(2, 24, "x86_64")),
            Map.entry("t3.large", new Spec(2, 36, "x86_64")),
            Map.entry("t3a.micro", new Spec(2, 12, "x86_64")),
            Map.entry("t3a.small", new Spec(2, 24, "x86_64")),
            Map.entry("t3a.medium", new Spec(2, 24, "x86_64")),
            Map.entry("t4g.micro", new Spec(2, 12, "arm64")),
            Map.entry("t4g.small", new Spec(2, 24, "arm64")),
            Map.entry("t4g.medium", new Spec(2, 24, "arm64")),
            Map.entry("m5.large", new Spec(2, 0, "x86_64")),
            Map.entry("m5.xlarge", new Spec(4, 0, "x86_64")),
            Map.entry("c5.large", new Spec(2, 0, "x86_64")),
            Map.entry("c5.xlarge", new Spec(4, 0, "x86_64")),
            Map.entry("r5.large", new Spec(2, 0, "x86_64")));

    private InstanceTypes() {
    }

    static Spec spec(String type) {
        Spec spec = SPECS.get(type);
        return spec != null ? spec : new Spec(2, 0, "x86_64");
    }

    static boolean burstable(String type) {
        return type.startsWith("t2.") || type.startsWith("t3.") || type.startsWith("t3a.") || type.startsWith("t4g.");
    }

    /** T2 launches in standard mode by default, T3/T3a/T4g in unlimited. */
    static String defaultCreditMode(String type) {
        return type.startsWith("t2.") ? "standard" : "unlimited";
    }
}
