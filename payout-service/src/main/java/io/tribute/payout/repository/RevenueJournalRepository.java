package io.tribute.payout.repository;

import io.smallrye.mutiny.Uni;
import io.tribute.payout.Journal;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/**
 * Posts a revenue journal and claims its request id in one statement (the hot path of RecordRevenue), on the
 * reactive pool directly: no ORM session, no query plan lookup, one round trip per call.
 *
 * <p>Claim (with the response), journal and entries are one INSERT of fixed text: the entries travel as one JSON
 * parameter, so the statement is prepared once per connection and a call is one execution. It runs outside an
 * explicit transaction because one statement is one transaction: it commits whole or not at all, and the deferred
 * balance check runs at its commit, so BEGIN and COMMIT would add two round trips and no guarantee. The journal
 * and its entries are written only when the claim succeeds; a concurrent duplicate waits on the claim's primary key,
 * as with {@code IdempotentRequests}, then finds the claim committed. Amounts are JSON strings of digits read as
 * numeric: exact. (The JSON is bound as text: the driver would encode a String bound to jsonb as a JSON string.)
 */
@ApplicationScoped
public class RevenueJournalRepository {

    private static final String CLAIM_AND_POST = """
            WITH claim AS (
                INSERT INTO idempotent_request (request_id, rpc, request_sha256, response)
                VALUES ($1, $2, $3, $4)
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id),
            posted AS (
                INSERT INTO journal (id, kind, request_id, attribution_id, settlement_id, created_at, currency,
                                     output_sha256, external_ref, batch_id, tx_hash)
                SELECT $5::uuid, $6::text, claim.request_id, $7::uuid, NULL, $8::timestamptz, $9::text,
                       $10::text, $11::text, NULL, NULL
                FROM claim
                RETURNING id),
            entries AS (
                INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency, debit, credit)
                SELECT e.id, posted.id, e.account, e.contributor, $9::text, e.debit, e.credit
                FROM posted CROSS JOIN jsonb_to_recordset($12::text::jsonb)
                    AS e(id uuid, account text, contributor uuid, debit numeric, credit numeric)
                RETURNING 1)
            SELECT count(*) FROM claim""";
    private static final String FIND = """
            SELECT rpc, request_sha256, response FROM idempotent_request WHERE request_id = $1""";

    private final Pool pool;

    public RevenueJournalRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Claims {@code journal}'s request id with {@code response} and, if this call made the claim, posts the
     * journal (the balance check runs at commit); true when it did.
     */
    public Uni<Boolean> claimAndPost(String rpc, byte[] requestDigest, byte[] response, Journal journal) {
        Journal.References refs = journal.references();
        Tuple parameters = Tuple.tuple(Arrays.<Object>asList(refs.requestId(), rpc, Buffer.buffer(requestDigest),
                Buffer.buffer(response), journal.id(), journal.kind().name(), refs.attributionId(),
                journal.createdAt(), journal.currency(), refs.outputSha256(), refs.externalRef(),
                entriesJson(journal)));
        return pool.preparedQuery(CLAIM_AND_POST).execute(parameters)
                .map(rows -> rows.iterator().next().getLong(0) == 1L);
    }

    /** The stored claim of a request id as IdempotentRequests.replay expects it: {rpc, request digest, response}. */
    public Uni<Object[]> findClaim(String requestId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(requestId)).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                throw new IllegalStateException("request " + requestId + " lost its claim");
            }
            Row row = found.next();
            var response = row.getBuffer("response");
            return new Object[] {row.getString("rpc"), row.getBuffer("request_sha256").getBytes(),
                    response == null ? null : response.getBytes()};
        });
    }

    /** The entries as a JSON array; every value is a UUID, an account name or digits: nothing to escape. */
    static String entriesJson(Journal journal) {
        StringBuilder json = new StringBuilder(64 + journal.entries().size() * 160).append('[');
        for (Journal.Entry entry : journal.entries()) {
            json.append(json.length() == 1 ? "" : ",")
                    .append("{\"id\":\"").append(entry.id())
                    .append("\",\"account\":\"").append(entry.account().name())
                    .append("\",\"contributor\":")
                    .append(entry.contributorId() == null ? "null" : "\"" + entry.contributorId() + "\"")
                    .append(",\"debit\":\"").append(entry.debit())
                    .append("\",\"credit\":\"").append(entry.credit()).append("\"}");
        }
        return json.append(']').toString();
    }
}
