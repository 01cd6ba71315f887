package io.opsgate.sim;

/**
 * An operation's reply, written once and encoded by the wire protocol of the request: awsQuery XML
 * ({@link XmlOutput}) or Smithy RPC v2 CBOR ({@link CborOutput}). Members are written in model order; a null
 * string is omitted, as AWS omits absent members. Lists are written with their size, items between
 * {@link #startList} and {@link #endList}.
 */
interface OperationOutput {

    OperationOutput string(String member, String value);

    OperationOutput number(String member, double value);

    OperationOutput timestamp(String member, long epochSecond);

    OperationOutput startStruct(String member);

    OperationOutput endStruct();

    OperationOutput startList(String member, int size);

    OperationOutput endList();

    /** A structure item of the current list; close it with {@link #endStruct}. */
    OperationOutput startItem();

    /** A map of string keys to numbers (awsQuery: {@code <entry><key/><value/></entry>}); close it with {@link #endMap}. */
    OperationOutput startMap(String member, int size);

    OperationOutput entry(String key, double value);

    OperationOutput endMap();

    OperationOutput stringItem(String value);

    OperationOutput numberItem(double value);

    OperationOutput timestampItem(long epochSecond);

    /** Ends the reply and returns its bytes. */
    byte[] finish(String requestId);
}
