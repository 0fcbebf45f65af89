package io.tribute.payout.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tribute.payout.Journal;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Posts a revenue journal and claims its request id in one statement (the hot path of RecordRevenue).
 *
 * <p>Claim (with the response), journal and entries are one INSERT of fixed text: the entries travel as one JSON
 * parameter, so the statement is parsed and prepared once per connection instead of once per call with a parameter
 * list that grows with the entries, and a call costs one round trip besides BEGIN and COMMIT. The journal and its
 * entries are written only when the claim succeeds; a concurrent duplicate waits on the claim's primary key, as
 * with {@code IdempotentRequests}. Amounts are JSON strings of digits read as numeric: exact. (The JSON is bound
 * as text: the reactive driver would encode a String bound to jsonb as a JSON string.)
 */
@ApplicationScoped
public class RevenueJournalRepository {

    private static final String CLAIM_AND_POST = """
            WITH claim AS (
                INSERT INTO idempotent_request (request_id, rpc, request_sha256, response)
                VALUES (:requestId, :rpc, :hash, :response)
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id),
            posted AS (
                INSERT INTO journal (id, kind, request_id, attribution_id, settlement_id, created_at, currency,
                                     output_sha256, external_ref, batch_id, tx_hash)
                SELECT cast(:id AS uuid), cast(:kind AS text), cast(:requestId AS text),
                       cast(:attributionId AS uuid), NULL, cast(:createdAt AS timestamptz), cast(:currency AS text),
                       cast(:outputSha256 AS text), cast(:externalRef AS text), NULL, NULL
                FROM claim
                RETURNING id),
            entries AS (
                INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency, debit, credit)
                SELECT e.id, posted.id, e.account, e.contributor, cast(:currency AS text), e.debit, e.credit
                FROM posted CROSS JOIN jsonb_to_recordset(cast(cast(:entries AS text) AS jsonb))
                    AS e(id uuid, account text, contributor uuid, debit numeric, credit numeric)
                RETURNING 1)
            SELECT count(*) FROM claim""";
    private static final String FIND = """
            SELECT rpc, request_sha256, response FROM idempotent_request WHERE request_id = :requestId""";

    /**
     * Claims {@code journal}'s request id with {@code response} and, if this call made the claim, posts the
     * journal (the balance check runs at commit); true when it did.
     */
    public Uni<Boolean> claimAndPost(String rpc, byte[] requestDigest, byte[] response, Journal journal) {
        Journal.References refs = journal.references();
        return Panache.getSession().chain(session -> session.createNativeQuery(CLAIM_AND_POST, Long.class)
                .setParameter("requestId", refs.requestId())
                .setParameter("rpc", rpc)
                .setParameter("hash", requestDigest)
                .setParameter("response", response)
                .setParameter("id", journal.id())
                .setParameter("kind", journal.kind().name())
                .setParameter("attributionId", refs.attributionId())
                .setParameter("createdAt", journal.createdAt())
                .setParameter("currency", journal.currency())
                .setParameter("outputSha256", refs.outputSha256())
                .setParameter("externalRef", refs.externalRef())
                .setParameter("entries", entriesJson(journal))
                .getSingleResult())
                .map(claimed -> claimed == 1L);
    }

    /** The stored (rpc, request digest, response) of a claimed request id. */
    public Uni<Object[]> findClaim(String requestId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(FIND, Object[].class)
                .setParameter("requestId", requestId)
                .getSingleResult());
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
