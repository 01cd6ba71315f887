package io.opsgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hardening figures of issue #7 against the packaged service as users run it ({@code java -jar
 * target/opsgate.jar run}, the shipped JVM options, {@code ulimit -n 1024}, the server limits' defaults except a
 * shorter {@code idle_timeout} to keep the run short): latency of a fresh-connection webhook post (10 alerts, 2xx
 * expected) and of {@code /-/healthy}, quiet and then under each attack, with the ratio to quiet; and when the server
 * closes idle, silent, byte-a-second and keep-alive connections. The attacks keep themselves up: a socket the server
 * closes is reopened at once.
 * <p>
 * Run: {@code bench/hardening [--idle-sockets 1100] [--partial-bodies 28] [--samples 30] [--idle-timeout 15s]}
 */
public final class HardeningBench {
    private static final String TOKEN = "bench-hardening-token";
    private static final int BODY_DECLARED = 4 << 20;
    private static final int BODY_SENT = 3_900_000;

    private final int idleSockets;
    private final int partialBodies;
    private final int samples;
    private final String idleTimeout;
    private final int port;
    private final String webhookRequest;

    private HardeningBench(Map<String, String> args) {
        idleSockets = Integer.parseInt(args.getOrDefault("idle-sockets", "1100"));
        partialBodies = Integer.parseInt(args.getOrDefault("partial-bodies", "28"));
        samples = Integer.parseInt(args.getOrDefault("samples", "30"));
        idleTimeout = args.getOrDefault("idle-timeout", "15s");
        port = freePort();
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            alerts.append(i == 0 ? "" : ",").append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"Bench\","
                    + "\"instance\":\"host-").append(i).append("\"},\"startsAt\":\"2026-11-23T10:00:00Z\"}");
        }
        String body = "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"opsgate\",\"groupKey\":\"bench\","
                + "\"alerts\":[" + alerts + "]}";
        webhookRequest = "POST /hooks/alertmanager HTTP/1.1\r\nHost: opsgate\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        if (args.containsKey("help") || Arrays.asList(argv).contains("--help")) {
            System.out.println("bench/hardening [--idle-sockets 1100] [--partial-bodies 28] [--samples 30] [--idle-timeout 15s]");
            return;
        }
        new HardeningBench(args).run();
        System.exit(0);
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Latencies(long[] webhookNanos, long[] healthyNanos, int webhookNon2xx, int healthyNon200) {
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("opsgate-bench-hardening");
        Path config = dir.resolve("opsgate.yml");
        Files.writeString(config, """
                server:
                  idle_timeout: %s
                aws:
                  regions: [us-east-1]
                  endpoints: {ec2: "http://127.0.0.1:9", cloudwatch: "http://127.0.0.1:9", sts: "http://127.0.0.1:9", servicequotas: "http://127.0.0.1:9"}
                  credentials: {access_key_id: AKIAOPSGATEBENCH0000, secret_access_key: not-a-secret}
                  retry: {max_attempts: 1}
                accounts: [{name: bench, id: "123456789012"}]
                alerts:
                  auth: {bearer_token: %s}
                  store: {path: alerts.db}
                receivers: [{name: log}]
                """.formatted(idleTimeout, TOKEN));
        Path log = dir.resolve("opsgate.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n 1024 && exec " + java + " " + String.join(" ", BenchOptions.SHIPPED_JVM_ARGS)
                + " -jar " + Path.of("target", "opsgate.jar").toAbsolutePath() + " run -c " + config
                + " --listen 127.0.0.1:" + port;
        Process service = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            awaitHealthy(service, log);
            Instant started = Instant.now();
            Machine machine = Machine.current();
            Latencies quiet = measure();
            Flood held = new Flood(idleSockets, false);
            held.start();
            held.awaitOpened();
            Latencies underIdle = measure();
            long evictions = held.closedWithin(1_000_000_000L);
            held.finish();
            awaitHealthy(service, log);
            Flood flood = new Flood(idleSockets, true);
            flood.start();
            flood.awaitOpened();
            Latencies underReopening = measure();
            int heldDuringIdle = flood.open();
            flood.finish();
            awaitHealthy(service, log);
            PartialBodies bodies = new PartialBodies(partialBodies);
            bodies.start();
            Thread.sleep(3000); // attack pace: let the 28 bodies reach 3.9 MB before measuring
            Latencies underBodies = measure();
            bodies.stop();
            CloseTimes silent = closeTimes(50, Mode.SILENT);
            CloseTimes slow = closeTimes(50, Mode.BYTE_PER_SECOND);
            CloseTimes keepAlive = closeTimes(20, Mode.KEEP_ALIVE);
            String serviceLog = Files.readString(log);
            long ooms = serviceLog.lines().filter(l -> l.contains("OutOfMemoryError")).count();
            print(started, machine, quiet, underIdle, underReopening, heldDuringIdle, evictions, underBodies, bodies, silent,
                    slow, keepAlive, ooms);
        } finally {
            service.destroy();
            service.waitFor(15, TimeUnit.SECONDS);
            service.destroyForcibly();
        }
    }

    private void awaitHealthy(Process service, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("service exited: " + Files.readString(log));
            }
            try {
                if (exchange("GET /-/healthy HTTP/1.1\r\nHost: opsgate\r\nConnection: close\r\n\r\n") == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("service not healthy within 60 s: " + Files.readString(log));
    }

    /** One request on a fresh connection; returns the status code once the status line is in (or -1). */
    private int exchange(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            byte[] status = new byte[12];
            int n = 0;
            while (n < 12) {
                int r = in.read(status, n, 12 - n);
                if (r < 0) {
                    return -1;
                }
                n += r;
            }
            return Integer.parseInt(new String(status, 9, 3, StandardCharsets.US_ASCII));
        } catch (SocketTimeoutException e) {
            return -2;
        }
    }

    private Latencies measure() throws IOException {
        long[] webhook = new long[samples];
        long[] healthy = new long[samples * 2];
        int webhookBad = 0;
        int healthyBad = 0;
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            int code = safeExchange(webhookRequest);
            webhook[i] = System.nanoTime() - t0;
            webhookBad += code >= 200 && code < 300 ? 0 : 1;
            for (int j = 0; j < 2; j++) {
                t0 = System.nanoTime();
                code = safeExchange("GET /-/healthy HTTP/1.1\r\nHost: opsgate\r\nConnection: close\r\n\r\n");
                healthy[i * 2 + j] = System.nanoTime() - t0;
                healthyBad += code == 200 ? 0 : 1;
            }
        }
        return new Latencies(webhook, healthy, webhookBad, healthyBad);
    }

    private int safeExchange(String request) {
        try {
            return exchange(request);
        } catch (IOException e) {
            return -3;
        }
    }

    /** Sockets that connect and send nothing; each one the server closes is reopened while the flood lasts. */
    private final class Flood extends Thread {
        private final int size;
        private final Selector selector;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<long[]> closes = new CopyOnWriteArrayList<>(); // {closedAtNanos, ageNanos}
        private final AtomicLong opened = new AtomicLong();
        private final AtomicLong reopenFailures = new AtomicLong();
        private volatile int openNow;

        private final boolean reopen;

        Flood(int size, boolean reopen) throws IOException {
            super("idle-flood");
            setDaemon(true);
            this.size = size;
            this.reopen = reopen;
            this.selector = Selector.open();
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < size; i++) {
                    openOne();
                }
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (running.get()) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel ch = (SocketChannel) key.channel();
                        int n;
                        try {
                            buf.clear();
                            n = ch.read(buf);
                        } catch (IOException reset) {
                            n = -1;
                        }
                        if (n < 0) {
                            long now = System.nanoTime();
                            closes.add(new long[] {now, now - (Long) key.attachment()});
                            key.cancel();
                            ch.close();
                            if (running.get() && reopen) {
                                openOne();
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                    openNow = selector.keys().size();
                }
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
                selector.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void openOne() {
            try {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, System.nanoTime());
                opened.incrementAndGet();
            } catch (IOException e) {
                reopenFailures.incrementAndGet();
            }
        }

        void awaitOpened() throws InterruptedException {
            while (opened.get() < size) {
                Thread.sleep(10); // the flood's own progress, not a wait on the server
            }
            Thread.sleep(500);
        }

        int open() {
            return openNow;
        }

        /** Sockets the server closed within {@code nanos} of their opening: evicted for newer ones. */
        long closedWithin(long nanos) {
            return closes.stream().filter(c -> c[1] < nanos).count();
        }

        void finish() throws InterruptedException {
            running.set(false);
            join(10_000);
        }
    }

    /** Authenticated posts declaring 4 MiB, sending 3.9 MB, then holding; reopened when the server ends them. */
    private final class PartialBodies {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        final AtomicLong maxHeldBytes = new AtomicLong();

        PartialBodies(int count) {
            for (int i = 0; i < count; i++) {
                Thread t = new Thread(this::attack, "partial-body-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        private void attack() {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            String head = "POST /hooks/alertmanager HTTP/1.1\r\nHost: opsgate\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY_DECLARED + "\r\n\r\n";
            while (running.get()) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(500);
                    OutputStream out = s.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    int sent = 0;
                    try {
                        while (sent < BODY_SENT && running.get()) {
                            int n = Math.min(chunk.length, BODY_SENT - sent);
                            out.write(chunk, 0, n);
                            sent += n;
                        }
                    } catch (IOException closedOnUs) {
                        // the server answered early (503) and closed
                    }
                    String answer = readAnswer(s);
                    String outcome = answer.isEmpty() ? "closed without answer"
                            : answer.startsWith("held") ? answer
                            : answer.substring(0, Math.min(12, answer.length())).trim();
                    outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
                } catch (IOException e) {
                    outcomes.computeIfAbsent("connect failed", k -> new AtomicLong()).incrementAndGet();
                }
                pause(1000); // a retrying client's pace
            }
        }

        private void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private String readAnswer(Socket s) {
            byte[] buf = new byte[256];
            while (running.get()) {
                try {
                    int n = s.getInputStream().read(buf);
                    return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                } catch (SocketTimeoutException holding) {
                    // still held by the server: keep holding
                } catch (IOException reset) {
                    return "";
                }
            }
            return "held until the end of the phase";
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    private enum Mode { SILENT, BYTE_PER_SECOND, KEEP_ALIVE }

    private record CloseTimes(int sockets, long[] agesNanos, int neverClosed) {
    }

    /** Opens sockets that behave as {@code mode} says and measures when the server closes each. */
    private CloseTimes closeTimes(int count, Mode mode) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        long[] ages = new long[count];
        Arrays.fill(ages, -1);
        long[] opened = new long[count];
        byte[] head = "GET /metrics HTTP/1.1\r\nHost: opsgate\r\nUser-Agent: slow\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(1);
            opened[i] = System.nanoTime();
            if (mode == Mode.KEEP_ALIVE) {
                s.getOutputStream().write("GET /-/healthy HTTP/1.1\r\nHost: opsgate\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            sockets.add(s);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        int step = 0;
        long nextByte = System.nanoTime();
        byte[] buf = new byte[4096];
        while (System.nanoTime() < deadline && Arrays.stream(ages).anyMatch(a -> a < 0)) {
            boolean drip = mode == Mode.BYTE_PER_SECOND && System.nanoTime() >= nextByte;
            for (int i = 0; i < count; i++) {
                if (ages[i] >= 0) {
                    continue;
                }
                Socket s = sockets.get(i);
                try {
                    if (drip) {
                        s.getOutputStream().write(head[step % head.length]);
                    }
                    int n = s.getInputStream().read(buf);
                    if (n < 0) {
                        ages[i] = System.nanoTime() - opened[i];
                        s.close();
                    }
                } catch (SocketTimeoutException open) {
                    // still open
                } catch (IOException reset) {
                    ages[i] = System.nanoTime() - opened[i];
                    s.close();
                }
            }
            if (drip) {
                step++;
                nextByte += TimeUnit.SECONDS.toNanos(1);
            }
        }
        int never = 0;
        for (int i = 0; i < count; i++) {
            if (ages[i] < 0) {
                never++;
                sockets.get(i).close();
            }
        }
        return new CloseTimes(count, Arrays.stream(ages).filter(a -> a >= 0).toArray(), never);
    }

    private static String ms(double nanos) {
        double ms = nanos / 1e6;
        return ms < 10 ? String.format("%.2f ms", ms) : String.format("%.0f ms", ms);
    }

    private static String s(double nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }

    private static String ratio(long[] a, long[] quiet) {
        return String.format("%.1f×", Stats.median(a) / Stats.median(quiet));
    }

    private void print(Instant started, Machine machine, Latencies quiet, Latencies idle, Latencies reopening,
                       int heldDuringIdle, long evictions, Latencies bodies, PartialBodies partial, CloseTimes silent,
                       CloseTimes slow, CloseTimes keepAlive, long ooms) {
        StringBuilder out = new StringBuilder();
        out.append("### bench/hardening, run of ").append(started).append("\n\n");
        out.append("Machine: ").append(machine.summary()).append("; load average ").append(machine.loadAverage())
                .append(". Service: `ulimit -n 1024; java ").append(String.join(" ", BenchOptions.SHIPPED_JVM_ARGS))
                .append(" -jar target/opsgate.jar run`, server limits at their defaults (request_header_timeout 10s, "
                        + "request_body_timeout 30s, max_connections 512, lowered to 768 by the file limit only if "
                        + "higher, max_inflight_body_bytes 16MiB) except idle_timeout ").append(idleTimeout)
                .append(". Each request on a fresh connection; ").append(samples).append(" webhook posts (10 alerts) and ")
                .append(samples * 2).append(" `/-/healthy` per phase.\n\n");
        out.append("| phase | webhook p50 | webhook max | webhook non-2xx | healthy p50 | healthy max | healthy non-200 | webhook p50 vs quiet |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        row(out, "quiet (baseline)", quiet, quiet);
        row(out, idleSockets + " idle sockets", idle, quiet);
        row(out, idleSockets + " idle sockets, each reopened at once when closed", reopening, quiet);
        row(out, partialBodies + " × 3.9 MB of 4 MiB bodies in flight (reopened 1 s after they end)", bodies, quiet);
        out.append("\n");
        out.append("Idle flood: ").append(evictions).append(" of the ").append(idleSockets)
                .append(" sockets closed by the server within 1 s of opening (evicted for newer connections beyond "
                        + "max_connections); with reopening, ").append(heldDuringIdle)
                .append(" sockets open from the client's side at the end of the phase.\n\n");
        out.append("Partial bodies, outcomes: ").append(new java.util.TreeMap<>(partial.outcomes)).append(". ")
                .append("OutOfMemoryError lines in the service log: ").append(ooms).append(".\n\n");
        out.append("| connections | count | closed by the server after (p50) | min | max | still open after 180 s |\n");
        out.append("|---|---|---|---|---|---|\n");
        closeRow(out, "silent (connect, send nothing): request_header_timeout 10s", silent);
        closeRow(out, "request head at 1 byte/s: request_header_timeout 10s", slow);
        closeRow(out, "keep-alive after one request: idle_timeout " + idleTimeout, keepAlive);
        System.out.println(out);
    }

    private static void row(StringBuilder out, String name, Latencies l, Latencies quiet) {
        out.append("| ").append(name).append(" | ").append(ms(Stats.median(l.webhookNanos()))).append(" | ")
                .append(ms(Arrays.stream(l.webhookNanos()).max().orElse(0))).append(" | ").append(l.webhookNon2xx())
                .append(" | ").append(ms(Stats.median(l.healthyNanos()))).append(" | ")
                .append(ms(Arrays.stream(l.healthyNanos()).max().orElse(0))).append(" | ").append(l.healthyNon200())
                .append(" | ").append(ratio(l.webhookNanos(), quiet.webhookNanos())).append(" |\n");
    }

    private static void closeRow(StringBuilder out, String name, CloseTimes c) {
        long[] a = c.agesNanos();
        out.append("| ").append(name).append(" | ").append(c.sockets()).append(" | ")
                .append(a.length == 0 ? "-" : s(Stats.median(a))).append(" | ")
                .append(a.length == 0 ? "-" : s(Arrays.stream(a).min().orElse(0))).append(" | ")
                .append(a.length == 0 ? "-" : s(Arrays.stream(a).max().orElse(0))).append(" | ")
                .append(c.neverClosed()).append(" |\n");
    }
}
