package io.opsgate.discovery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Renders http_sd responses from the current {@link Inventory} and keeps them, per query, ready to send. A query is
 * rendered on its first request; from then on it is re-rendered in the background whenever the inventory changes
 * (bursts of changes from one collection round coalesce into one pass), so the Prometheus servers refreshing the same
 * URLs are always answered with bytes that already exist. Never calls AWS.
 */
public final class TargetLists {
    /** Distinct queries kept; beyond this they are all dropped and re-learnt (queries come from configs, so few). */
    private static final int MAX_REMEMBERED = 128;

    private final InventoryStore store;
    private final Executor background;
    private final Map<String, Entry> remembered = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshScheduled = new AtomicBoolean();

    /** @param background runs the re-renders (a worker pool: a large inventory takes tens of milliseconds) */
    public TargetLists(InventoryStore store, Executor background) {
        this.store = store;
        this.background = background;
    }

    private record Entry(SdQuery query, Rendered rendered) {
    }

    /** One rendered response: the JSON array and its gzip form (made on first demand). */
    public static final class Rendered {
        private final long version;
        private final byte[] json;
        private final java.nio.ByteBuffer direct;
        private volatile byte[] gzip;

        Rendered(long version, byte[] json) {
            this.version = version;
            this.json = json;
            // Off-heap once, so each response is written to the socket without first copying megabytes from the
            // heap; the JDK frees it with this object.
            this.direct = java.nio.ByteBuffer.allocateDirect(json.length).put(json).flip();
        }

        /** The JSON as a read-only off-heap view of its own (independent position), for writing to a socket. */
        public java.nio.ByteBuffer directJson() {
            return direct.asReadOnlyBuffer();
        }

        public long version() {
            return version;
        }

        public byte[] json() {
            return json;
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

    /**
     * The response kept for this key, or null if the query was never asked. Right after an inventory change it may be
     * the previous list for the few milliseconds its re-render takes; Prometheus keeps each list for a whole refresh
     * interval anyway.
     */
    public Rendered remembered(String key) {
        Entry e = remembered.get(key);
        return e == null ? null : e.rendered();
    }

    /** Renders now (blocking: call off the event loop) and keeps the query for background re-renders. */
    public Rendered render(String key, SdQuery query) {
        Rendered r = render(store.current(), query);
        if (remembered.size() >= MAX_REMEMBERED && !remembered.containsKey(key)) {
            remembered.clear();
        }
        remembered.put(key, new Entry(query, r));
        return r;
    }

    /** Thread-safe; called after every inventory change. Schedules one re-render pass of every kept query. */
    public void onInventory() {
        if (remembered.isEmpty() || !refreshScheduled.compareAndSet(false, true)) {
            return;
        }
        background.execute(() -> {
            refreshScheduled.set(false);
            Inventory inventory = store.current();
            for (Map.Entry<String, Entry> e : remembered.entrySet()) {
                Entry old = e.getValue();
                if (old.rendered().version() >= inventory.version()) {
                    continue;
                }
                Rendered fresh = render(inventory, old.query());
                if (old.rendered().gzipReady()) {
                    fresh.gzip();
                }
                // A concurrent first-request render of a newer inventory wins over this one.
                remembered.computeIfPresent(e.getKey(), (k, cur) ->
                        cur.rendered().version() >= fresh.version() ? cur : new Entry(cur.query(), fresh));
            }
        });
    }

    static Rendered render(Inventory inventory, SdQuery query) {
        List<Discovered> items = inventory.items(query.kind());
        // Two passes: select and size, then copy into one array of the exact length (a full list is megabytes).
        List<Discovered> selected = new ArrayList<>(items.size());
        List<byte[]> targets = new ArrayList<>(items.size());
        int size = 2;
        for (Discovered d : items) {
            if (!query.matches(d)) {
                continue;
            }
            List<Integer> ports = query.ports(d);
            if (ports.isEmpty()) {
                continue;
            }
            StringBuilder sb = new StringBuilder(selected.isEmpty() ? "{\"targets\":[" : ",{\"targets\":[");
            String host = d.host().indexOf(':') >= 0 ? "[" + d.host() + "]" : d.host();
            for (int p = 0; p < ports.size(); p++) {
                if (p > 0) {
                    sb.append(',');
                }
                SdJson.string(sb, host + ":" + ports.get(p));
            }
            byte[] head = sb.append("],\"labels\":").toString().getBytes(StandardCharsets.UTF_8);
            selected.add(d);
            targets.add(head);
            size += head.length + d.labelsJson().length + 1;
        }
        byte[] json = new byte[size];
        int at = 0;
        json[at++] = '[';
        for (int i = 0; i < selected.size(); i++) {
            byte[] head = targets.get(i);
            byte[] labels = selected.get(i).labelsJson();
            System.arraycopy(head, 0, json, at, head.length);
            at += head.length;
            System.arraycopy(labels, 0, json, at, labels.length);
            at += labels.length;
            json[at++] = '}';
        }
        json[at] = ']';
        return new Rendered(inventory.version(), json);
    }

    private static byte[] compress(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 8));
        // Fastest level: these lists still compress >10x, and a new inventory arrives every cycle.
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
