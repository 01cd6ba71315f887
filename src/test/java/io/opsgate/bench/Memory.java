package io.opsgate.bench;

/**
 * Memory of one service process at one moment, in KiB as the kernel (VmRSS, VmHWM) and the JVM (GC.heap_info
 * after a forced GC) report it. {@code rssKiB} is read before the forced GC.
 */
record Memory(long rssKiB, long rssPeakKiB, long heapUsedAfterGcKiB, long heapCommittedKiB, long rssAfterGcKiB) {

    static Memory measure(JvmProcess service) throws Exception {
        long[] beforeGc = service.residentKiB();
        long[] heap = service.heapAfterGcKiB();
        long[] afterGc = service.residentKiB();
        return new Memory(beforeGc[0], afterGc[1], heap[1], heap[0], afterGc[0]);
    }
}
