package io.opsgate.bench;

/** Memory of the service process after its first cycle and after the scrape load, in KiB as the kernel and the JVM report it. */
record Memory(long rssBeforeScrapesKiB, long rssAfterLoadKiB, long rssPeakKiB, long heapUsedAfterGcKiB, long heapCommittedKiB,
              long rssAfterGcKiB, long staticServerRssKiB) {

    static Memory measure(long rssBeforeScrapesKiB, JvmProcess service, JvmProcess staticServer) throws Exception {
        long[] beforeGc = service.residentKiB();
        long[] heap = service.heapAfterGcKiB();
        long[] afterGc = service.residentKiB();
        return new Memory(rssBeforeScrapesKiB, beforeGc[0], afterGc[1], heap[1], heap[0], afterGc[0], staticServer.residentKiB()[0]);
    }
}
