package io.opsgate.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * awsQuery's reply: {@code <OpResponse xmlns=...><OpResult>...</OpResult><ResponseMetadata>...}, list items
 * as {@code <member>}, timestamps in ISO 8601.
 */
final class XmlOutput implements OperationOutput {

    private final XmlWriter xml;
    private final String operation;
    private final Deque<String> open = new ArrayDeque<>();

    XmlOutput(String operation, String namespace, int capacity) {
        this.operation = operation;
        this.xml = new XmlWriter(capacity);
        xml.openNs(operation + "Response", namespace).open(operation + "Result");
    }

    @Override
    public OperationOutput string(String member, String value) {
        xml.elem(member, value);
        return this;
    }

    @Override
    public OperationOutput number(String member, double value) {
        xml.elem(member, value);
        return this;
    }

    @Override
    public OperationOutput timestamp(String member, long epochSecond) {
        xml.elem(member, Instant.ofEpochSecond(epochSecond));
        return this;
    }

    @Override
    public OperationOutput startStruct(String member) {
        xml.open(member);
        open.push(member);
        return this;
    }

    @Override
    public OperationOutput endStruct() {
        xml.close(open.pop());
        return this;
    }

    @Override
    public OperationOutput startList(String member, int size) {
        return startStruct(member);
    }

    @Override
    public OperationOutput endList() {
        return endStruct();
    }

    @Override
    public OperationOutput startItem() {
        return startStruct("member");
    }

    @Override
    public OperationOutput startMap(String member, int size) {
        return startStruct(member);
    }

    @Override
    public OperationOutput entry(String key, double value) {
        xml.open("entry").elem("key", key).elem("value", value).close("entry");
        return this;
    }

    @Override
    public OperationOutput endMap() {
        return endStruct();
    }

    @Override
    public OperationOutput stringItem(String value) {
        xml.elem("member", value);
        return this;
    }

    @Override
    public OperationOutput numberItem(double value) {
        xml.elem("member", value);
        return this;
    }

    @Override
    public OperationOutput timestampItem(long epochSecond) {
        xml.elem("member", Instant.ofEpochSecond(epochSecond));
        return this;
    }

    @Override
    public byte[] finish(String requestId) {
        xml.close(operation + "Result");
        return xml.endQuery(operation + "Response", requestId).getBytes(StandardCharsets.UTF_8);
    }
}
