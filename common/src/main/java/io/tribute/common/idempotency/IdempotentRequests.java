package io.tribute.common.idempotency;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tribute.common.grpc.ApiErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * AIP-155 request ids: the first request with an id takes effect and its response is kept; a replay
 * gets that response back; the same id with a different request is refused and changes nothing.
 *
 * <p>Runs inside the caller's transaction, on the service's {@code idempotent_request} table. Two
 * concurrent requests with one id meet on its primary key: the second waits for the first to commit,
 * then replays its response.
 */
@ApplicationScoped
public class IdempotentRequests {

    private static final String CLAIM = """
            INSERT INTO idempotent_request (request_id, rpc, request_sha256)
            VALUES (:requestId, :rpc, :hash) ON CONFLICT (request_id) DO NOTHING""";
    private static final String FIND = """
            SELECT rpc, request_sha256, response FROM idempotent_request WHERE request_id = :requestId""";
    private static final String REMEMBER = """
            UPDATE idempotent_request SET response = :response WHERE request_id = :requestId""";

    /**
     * Runs {@code effect} once for {@code requestId}, which the caller has validated as present.
     *
     * @param request the whole request, whose digest tells a replay from a reuse of the id
     */
    public <T extends Message> Uni<T> once(ApiErrors errors, String rpc, String requestId, Message request,
            Parser<T> responseParser, Supplier<Uni<T>> effect) {
        byte[] digest = digest(rpc, request);
        return Panache.getSession().chain(session -> session.createNativeQuery(CLAIM)
                .setParameter("requestId", requestId)
                .setParameter("rpc", rpc)
                .setParameter("hash", digest)
                .executeUpdate()
                .chain(claimed -> claimed == 1
                        ? effect.get().call(response -> session.createNativeQuery(REMEMBER)
                                .setParameter("response", response.toByteArray())
                                .setParameter("requestId", requestId)
                                .executeUpdate())
                        : session.createNativeQuery(FIND, Object[].class)
                                .setParameter("requestId", requestId)
                                .getSingleResult()
                                .map(row -> replay(errors, rpc, requestId, digest, row, responseParser))));
    }

    /**
     * The answer to a request whose id was already claimed, given the stored row (rpc, request digest,
     * response): the stored response, or REQUEST_ID_REUSED when the request differs.
     */
    public static <T extends Message> T replay(ApiErrors errors, String rpc, String requestId, byte[] digest,
            Object[] row, Parser<T> responseParser) {
        if (!rpc.equals(row[0]) || !Arrays.equals(digest, (byte[]) row[1]) || row[2] == null) {
            throw errors.requestIdReused(requestId);
        }
        try {
            return responseParser.parseFrom((byte[]) row[2]);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored response of request " + requestId + " is unreadable", e);
        }
    }

    /** The digest that tells a replay (same rpc and request) from a reuse of the request id. */
    public static byte[] digest(String rpc, Message request) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream output = CodedOutputStream.newInstance(bytes);
            output.useDeterministicSerialization();
            output.writeStringNoTag(rpc);
            request.writeTo(output);
            output.flush();
            return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
