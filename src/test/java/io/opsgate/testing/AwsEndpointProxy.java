package io.opsgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An HTTPS proxy that answers for AWS's own endpoints: it accepts {@code CONNECT monitoring.<region>.amazonaws.com:443},
 * terminates TLS with a certificate made for that host (trusted by the client through the keystore {@link #trustStore}),
 * and passes the decrypted HTTP/1.1 stream to the simulator. This is how an unmodified client that has no endpoint
 * setting (cloudwatch_exporter 0.16.0: its SDK 2.27.7 predates {@code AWS_ENDPOINT_URL_*} support, added in 2.28)
 * reaches the simulator, with standard JVM options only: {@code https.proxyHost}/{@code https.proxyPort} and
 * {@code javax.net.ssl.trustStore} (see {@link #clientJvmArgs}).
 */
public final class AwsEndpointProxy implements AutoCloseable {

    private static final String PASSWORD = "simulator";

    private final ServerSocket server;
    private final SSLContext tls;
    private final InetSocketAddress target;
    private final Path trustStore;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "aws-endpoint-proxy");
        t.setDaemon(true);
        return t;
    });

    private AwsEndpointProxy(ServerSocket server, SSLContext tls, InetSocketAddress target, Path trustStore) {
        this.server = server;
        this.tls = tls;
        this.target = target;
        this.trustStore = trustStore;
    }

    /**
     * @param targetPort the simulator's loopback port
     * @param hosts      host names to make a certificate for, e.g. {@code monitoring.us-east-1.amazonaws.com}
     * @param work       where the keystore goes
     */
    public static AwsEndpointProxy start(int targetPort, List<String> hosts, Path work) throws Exception {
        Files.createDirectories(work);
        Path keystore = work.resolve("aws-endpoint-proxy.p12");
        Files.deleteIfExists(keystore);
        List<String> keytool = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "aws",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=" + hosts.get(0),
                "-ext", "SAN=" + String.join(",", hosts.stream().map(h -> "dns:" + h).toList()),
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        Process p = new ProcessBuilder(keytool).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AwsEndpointProxy proxy = new AwsEndpointProxy(server, tls,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), keystore);
        proxy.pool.execute(proxy::acceptLoop);
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    public Path trustStore() {
        return trustStore;
    }

    /** JVM options that send a client's HTTPS requests through this proxy and make it trust the certificate. */
    public List<String> clientJvmArgs() {
        return List.of("-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + port(),
                "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + port(), "-Dhttp.nonProxyHosts=",
                "-Djavax.net.ssl.trustStore=" + trustStore.toAbsolutePath(),
                "-Djavax.net.ssl.trustStorePassword=" + PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.execute(() -> tunnel(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client) {
            // Unbuffered: the TLS handshake must find the client's first bytes still in the socket.
            InputStream in = client.getInputStream();
            String head = readHead(in);
            OutputStream out = client.getOutputStream();
            if (!head.startsWith("CONNECT ")) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            SSLSocket tlsSocket = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), true);
            tlsSocket.setUseClientMode(false);
            tlsSocket.startHandshake();
            try (tlsSocket; Socket upstream = new Socket()) {
                upstream.connect(target, 10_000);
                upstream.setTcpNoDelay(true);
                var back = pool.submit(() -> copy(upstream.getInputStream(), tlsSocket.getOutputStream()));
                copy(tlsSocket.getInputStream(), upstream.getOutputStream());
                upstream.shutdownOutput();
                back.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception dropped) {
            // the client or the simulator closed the connection
        }
    }

    private static Void copy(InputStream from, OutputStream to) throws IOException {
        byte[] buf = new byte[16384];
        for (int n; (n = from.read(buf)) >= 0; ) {
            to.write(buf, 0, n);
            to.flush();
        }
        return null;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == '\r' || b == '\n') ? (matched + 1) : 0;
            if (matched == 4 || head.size() > 16384) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
