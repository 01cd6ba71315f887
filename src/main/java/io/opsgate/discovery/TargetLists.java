package io.opsgate.discovery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Renders http_sd responses from the current {@link Inventory} and remembers them per (inventory version, query),
 * so the many Prometheus servers and refreshes asking the same question between two collection cycles are served
 * bytes that already exist. Never calls AWS.
 */
public final class TargetLists {
    /** Distinct queries remembered; beyond this the memo is cleared rather than grown (queries come from configs). */
    private static final int MAX_REMEMBERED = 128;

    private final InventoryStore store;
    private final Map<String, Rendered> remembered = new ConcurrentHashMap<>();

    public TargetLists(InventoryStore store) {
        this.store = store;
    }

    /** One rendered response: the JSON array, its gzip form made on first demand, and the number of groups. */
    public static final class Rendered {
        private final long version;
        private final byte[] json;
        private final int groups;
        private volatile byte[] gzip;

        Rendered(long version, byte[] json, int groups) {
            this.version = version;
            this.json = json;
            this.groups = groups;
        }

        public byte[] json() {
            return json;
        }

        public int groups() {
            return groups;
        }

        /** True once the gzip form exists, so serving it needs no compression on the event loop. */
        public boolean gzipReady() {
            return gzip != null;
        }

        public byte[] gzip() {
            byte[] g = gzip;
            if (g == null) {
                g = compress(json);
                gzip = g;
            }
            return g;
        }
    }

    /** The response remembered for this key if the inventory has not changed since, else null. */
    public Rendered remembered(String key) {
        Rendered r = remembered.get(key);
        return r != null && r.version == store.current().version() ? r : null;
    }

    /** Renders (blocking: call off the event loop for large inventories) and remembers the result under key. */
    public Rendered render(String key, SdQuery query) {
        Inventory inventory = store.current();
        Rendered r = render(inventory, query);
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(key, r);
        return r;
    }

    static Rendered render(Inventory inventory, SdQuery query) {
        List<Discovered> items = inventory.items(query.kind());
        StringBuilder sb = new StringBuilder(64 + items.size() * 1024);
        sb.append('[');
        int groups = 0;
        for (Discovered d : items) {
            if (!query.matches(d)) {
                continue;
            }
            List<Integer> ports = query.ports(d);
            if (ports.isEmpty()) {
                continue;
            }
            if (groups++ > 0) {
                sb.append(',');
            }
            sb.append("{\"targets\":[");
            String host = d.host().indexOf(':') >= 0 ? "[" + d.host() + "]" : d.host();
            for (int p = 0; p < ports.size(); p++) {
                if (p > 0) {
                    sb.append(',');
                }
                SdJson.string(sb, host + ":" + ports.get(p));
            }
            sb.append("],\"labels\":").append(d.labelsJson()).append('}');
        }
        sb.append(']');
        return new Rendered(inventory.version(), sb.toString().getBytes(StandardCharsets.UTF_8), groups);
    }

    private static byte[] compress(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 8));
        // Fastest level: these lists compress ~15x even so, and a new inventory arrives every cycle.
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 65536) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
