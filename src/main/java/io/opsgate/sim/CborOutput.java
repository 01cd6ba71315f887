package io.opsgate.sim;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Smithy RPC v2 CBOR's reply: one map of the output members, lists as definite-length arrays, timestamps as tag 1
 * (epoch seconds), doubles as CBOR floats. Streamed through Jackson's CBOR generator.
 */
final class CborOutput implements OperationOutput {

    private static final CBORFactory FACTORY = new CBORFactory();
    private static final int EPOCH_TAG = 1;

    private final ByteArrayOutputStream bytes;
    private final CBORGenerator gen;

    CborOutput(int capacity) {
        bytes = new ByteArrayOutputStream(capacity);
        try {
            gen = FACTORY.createGenerator(bytes);
            gen.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reply of just these string members (errors: {@code __type}, {@code message}). */
    static byte[] map(String... keysAndValues) {
        CborOutput out = new CborOutput(64 + keysAndValues.length * 32);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.string(keysAndValues[i], keysAndValues[i + 1]);
        }
        return out.finish(null);
    }

    @Override
    public OperationOutput string(String member, String value) {
        if (value != null) {
            io(() -> gen.writeStringField(member, value));
        }
        return this;
    }

    @Override
    public OperationOutput number(String member, double value) {
        io(() -> gen.writeNumberField(member, value));
        return this;
    }

    @Override
    public OperationOutput timestamp(String member, long epochSecond) {
        io(() -> {
            gen.writeFieldName(member);
            gen.writeTag(EPOCH_TAG);
            gen.writeNumber(epochSecond);
        });
        return this;
    }

    @Override
    public OperationOutput startStruct(String member) {
        io(() -> gen.writeObjectFieldStart(member));
        return this;
    }

    @Override
    public OperationOutput endStruct() {
        io(gen::writeEndObject);
        return this;
    }

    @Override
    public OperationOutput startList(String member, int size) {
        io(() -> {
            gen.writeFieldName(member);
            gen.writeStartArray(null, size);
        });
        return this;
    }

    @Override
    public OperationOutput endList() {
        io(gen::writeEndArray);
        return this;
    }

    @Override
    public OperationOutput startItem() {
        io(gen::writeStartObject);
        return this;
    }

    @Override
    public OperationOutput startMap(String member, int size) {
        io(() -> {
            gen.writeFieldName(member);
            gen.writeStartObject(null, size);
        });
        return this;
    }

    @Override
    public OperationOutput entry(String key, double value) {
        return number(key, value);
    }

    @Override
    public OperationOutput endMap() {
        return endStruct();
    }

    @Override
    public OperationOutput stringItem(String value) {
        io(() -> gen.writeString(value));
        return this;
    }

    @Override
    public OperationOutput numberItem(double value) {
        io(() -> gen.writeNumber(value));
        return this;
    }

    @Override
    public OperationOutput timestampItem(long epochSecond) {
        io(() -> {
            gen.writeTag(EPOCH_TAG);
            gen.writeNumber(epochSecond);
        });
        return this;
    }

    @Override
    public byte[] finish(String requestId) {
        io(() -> {
            gen.writeEndObject();
            gen.close();
        });
        return bytes.toByteArray();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
