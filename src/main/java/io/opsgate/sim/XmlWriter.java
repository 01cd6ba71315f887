package io.opsgate.sim;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Minimal streaming XML builder: replies are built in one StringBuilder, no DOM. */
final class XmlWriter {

    private final StringBuilder sb;

    XmlWriter(int capacity) {
        sb = new StringBuilder(capacity);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    XmlWriter open(String name) {
        sb.append('<').append(name).append('>');
        return this;
    }

    XmlWriter openNs(String name, String namespace) {
        sb.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
        return this;
    }

    XmlWriter close(String name) {
        sb.append("</").append(name).append('>');
        return this;
    }

    /** Writes {@code <name>value</name>}; a null value writes nothing, as AWS omits absent members. */
    XmlWriter elem(String name, String value) {
        if (value != null) {
            sb.append('<').append(name).append('>');
            escape(value);
            sb.append("</").append(name).append('>');
        }
        return this;
    }

    XmlWriter elem(String name, long value) {
        sb.append('<').append(name).append('>').append(value).append("</").append(name).append('>');
        return this;
    }

    XmlWriter elem(String name, boolean value) {
        sb.append('<').append(name).append('>').append(value).append("</").append(name).append('>');
        return this;
    }

    XmlWriter elem(String name, double value) {
        sb.append('<').append(name).append('>').append(value).append("</").append(name).append('>');
        return this;
    }

    XmlWriter elem(String name, Instant value) {
        return value == null ? this : elem(name, timestamp(value));
    }

    /** Closes an awsQuery reply: {@code <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></root>}. */
    String endQuery(String root, String requestId) {
        return open("ResponseMetadata").elem("RequestId", requestId).close("ResponseMetadata").close(root).toString();
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private void escape(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
