package io.opsgate.collect;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import software.amazon.awssdk.services.ec2.model.CpuOptions;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * Usage of the quotas OpsGate counts from the inventory, in the quota's own unit: vCPUs for the EC2 instance quotas
 * (not instances: an m5.xlarge counts 4), TiB for EBS storage (GiB / 1024), addresses, snapshots. These counts win
 * over the quota's AWS/Usage metric where both exist: they are exact at collection time, cost no GetMetricData
 * metric, and come from reads other collectors make anyway.
 */
final class QuotaUsage {
    /** What a count reads. */
    enum Source { INSTANCES, VOLUMES, ADDRESSES, SNAPSHOTS }

    /** One countable quota. */
    record Counter(Source source, ToDoubleFunction<List<?>> count) {
    }

    /** Instance-family classes of the vCPU quotas (AWS: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z)"). */
    enum VcpuClass { STANDARD, G, P, X, F, INF }

    private static final double GIB_PER_TIB = 1024.0;

    private static final Map<String, Counter> COUNTERS = Map.ofEntries(
            vcpus("L-1216C47A", VcpuClass.STANDARD, false), vcpus("L-34B43A08", VcpuClass.STANDARD, true),
            vcpus("L-DB2E81BA", VcpuClass.G, false), vcpus("L-3819A6DF", VcpuClass.G, true),
            vcpus("L-417A185B", VcpuClass.P, false), vcpus("L-7212CCBC", VcpuClass.P, true),
            vcpus("L-7295265B", VcpuClass.X, false), vcpus("L-E3A00192", VcpuClass.X, true),
            vcpus("L-74FC7D96", VcpuClass.F, false), vcpus("L-88CF9481", VcpuClass.F, true),
            vcpus("L-1945791B", VcpuClass.INF, false), vcpus("L-B5D1601B", VcpuClass.INF, true),
            storage("L-D18FCD1D", "gp2"), storage("L-7A658B76", "gp3"), storage("L-FD252861", "io1"),
            storage("L-09BD8365", "io2"), storage("L-82ACEF56", "st1"), storage("L-17AF77E8", "sc1"),
            storage("L-9CF3C2EB", "standard"),
            Map.entry("L-0263D0A3", new Counter(Source.ADDRESSES, List::size)),
            Map.entry("L-309BACF6", new Counter(Source.SNAPSHOTS, List::size)));

    private QuotaUsage() {
    }

    /** The inventory count of a quota, or null when OpsGate does not count it (its usage metric is used, if any). */
    static Counter counter(String serviceCode, String quotaCode) {
        return "ec2".equals(serviceCode) || "ebs".equals(serviceCode) ? COUNTERS.get(quotaCode) : null;
    }

    /**
     * The class of an instance type's family: the letters before its generation digit (m5 → m, inf2 → inf,
     * vt1 → vt, u-6tb1 → u); null for families no vCPU quota here counts (high memory, mac, hpc, dl, trn).
     */
    static VcpuClass vcpuClass(String instanceType) {
        int dot = instanceType.indexOf('.');
        String family = (dot < 0 ? instanceType : instanceType.substring(0, dot)).toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < family.length() && Character.isLetter(family.charAt(end))) {
            end++;
        }
        String letters = family.substring(0, end);
        if (letters.isEmpty() || family.startsWith("u-") || letters.startsWith("mac") || letters.startsWith("hpc")
                || letters.startsWith("dl") || letters.startsWith("trn")) {
            return null;
        }
        if (letters.startsWith("inf")) {
            return VcpuClass.INF;
        }
        if (letters.startsWith("vt")) {
            return VcpuClass.G;
        }
        return switch (letters.charAt(0)) {
            case 'a', 'c', 'd', 'h', 'i', 'm', 'r', 't', 'z' -> VcpuClass.STANDARD;
            case 'g' -> VcpuClass.G;
            case 'p' -> VcpuClass.P;
            case 'x' -> VcpuClass.X;
            case 'f' -> VcpuClass.F;
            default -> null;
        };
    }

    /** vCPUs of one instance: cores × threads per core as DescribeInstances reports them. */
    static int vcpus(Instance instance) {
        CpuOptions cpu = instance.cpuOptions();
        if (cpu == null || cpu.coreCount() == null) {
            return 0;
        }
        return cpu.coreCount() * (cpu.threadsPerCore() == null ? 1 : cpu.threadsPerCore());
    }

    /** Pending and running instances hold vCPUs against the quota; stopped ones do not. */
    static boolean holdsCapacity(Instance instance) {
        String state = instance.state() == null ? null : instance.state().nameAsString();
        return "running".equals(state) || "pending".equals(state);
    }

    private static Map.Entry<String, Counter> vcpus(String code, VcpuClass vcpuClass, boolean spot) {
        return Map.entry(code, new Counter(Source.INSTANCES, items -> {
            double sum = 0;
            for (Object o : items) {
                Instance i = (Instance) o;
                boolean isSpot = "spot".equals(i.instanceLifecycleAsString());
                if (isSpot == spot && holdsCapacity(i) && vcpuClass(i.instanceTypeAsString()) == vcpuClass) {
                    sum += vcpus(i);
                }
            }
            return sum;
        }));
    }

    private static Map.Entry<String, Counter> storage(String code, String volumeType) {
        return Map.entry(code, new Counter(Source.VOLUMES, items -> {
            long gib = 0;
            for (Object o : items) {
                Volume v = (Volume) o;
                if (volumeType.equals(v.volumeTypeAsString()) && v.size() != null) {
                    gib += v.size();
                }
            }
            return gib / GIB_PER_TIB;
        }));
    }
}
