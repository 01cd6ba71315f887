package io.opsgate.sim;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * CloudWatch over awsQuery, as SDKs before 2.40.6 (and cloudwatch_exporter 0.16.0's SDK 2.27) send it: a form
 * POST to {@code /} with {@code Action}, {@code Version=2010-08-01} and the flattened members, signed with SigV4
 * by the SDK's own signer; the XML reply parsed with the JDK's DOM.
 */
public final class AwsQueryClient {

    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect");

    /** One reply: HTTP status and the parsed document. */
    public record Reply(int status, Document xml) {
        public String text(String tag) {
            NodeList nodes = xml.getElementsByTagName(tag);
            return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
        }

        /** The {@code <Code>} of an error reply. */
        public String errorCode() {
            return text("Code");
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI endpoint;
    private final String region;

    public AwsQueryClient(URI endpoint, String region) {
        this.endpoint = endpoint.resolve("/");
        this.region = region;
    }

    public Reply call(String action, Map<String, String> params) throws Exception {
        HttpResponse<byte[]> response = raw(action, params);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
        return new Reply(response.statusCode(), doc);
    }

    /** The reply as bytes, unparsed (to measure it). */
    public HttpResponse<byte[]> raw(String action, Map<String, String> params) throws Exception {
        StringBuilder form = new StringBuilder("Action=").append(action).append("&Version=2010-08-01");
        params.forEach((k, v) -> form.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return post(endpoint, form.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"));
    }

    /** A signed Smithy RPC v2 CBOR request for {@code operation} (optionally without the smithy-protocol header). */
    public HttpResponse<byte[]> cbor(String operation, byte[] body, boolean protocolHeader) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type", "application/cbor",
                "Accept", "application/cbor"));
        if (protocolHeader) {
            headers.put("smithy-protocol", "rpc-v2-cbor");
        }
        return post(endpoint.resolve("/service/GraniteServiceVersion20100801/operation/" + operation), body, headers);
    }

    private HttpResponse<byte[]> post(URI uri, byte[] body, Map<String, String> headers) throws Exception {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        headers.forEach(unsigned::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create("AKIASIMULATOR0000001", "secret"))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "monitoring")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The direct children of {@code parent} named {@code tag}. */
    static List<Element> children(Node parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    static Element child(Node parent, String tag) {
        List<Element> all = children(parent, tag);
        return all.isEmpty() ? null : all.get(0);
    }

    static String childText(Node parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? null : e.getTextContent();
    }

    /** The texts of {@code <tag><member>..</member>...</tag>} under {@code parent}. */
    static List<String> members(Node parent, String tag) {
        List<String> out = new ArrayList<>();
        Element list = child(parent, tag);
        if (list != null) {
            for (Element m : children(list, "member")) {
                out.add(m.getTextContent());
            }
        }
        return out;
    }
}
