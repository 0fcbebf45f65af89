package io.tribute.payout.repository;

import io.smallrye.mutiny.Uni;
import io.tribute.payout.Journal;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Posts revenue journals and claims their request ids, a whole batch in one statement (the hot path of
 * RecordRevenue), on the reactive pool directly: no ORM session, one round trip and one commit per batch.
 *
 * <p>Claims (with their responses), journals and entries are one INSERT of fixed text with one array parameter per
 * column ({@code unnest}), so the statement is prepared once per connection whatever the batch size. It runs outside
 * an explicit transaction because one statement is one transaction: it commits whole or not at all, and the deferred
 * balance check runs at its commit. A journal and its entries are written only for the claims this statement made; a
 * request id claimed by a concurrent statement is waited for on the claim's primary key and then left to replay.
 * Claims are inserted in request-id order, so two concurrent batches wait on each other's claims in one order and
 * cannot deadlock. Amounts travel as digit strings cast to numeric: exact.
 */
@ApplicationScoped
public class RevenueJournalRepository {

    private static final String CLAIM_AND_POST = """
            WITH revenue AS (
                SELECT * FROM unnest($2::text[], $3::bytea[], $4::bytea[], $5::uuid[], $6::uuid[],
                                     $7::timestamptz[], $8::text[], $9::text[], $10::text[])
                    AS r(request_id, request_sha256, response, journal_id, attribution_id, created_at, currency,
                         output_sha256, external_ref)),
            claim AS (
                INSERT INTO idempotent_request (request_id, rpc, request_sha256, response)
                SELECT request_id, $1::text, request_sha256, response FROM revenue ORDER BY request_id
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id),
            posted AS (
                INSERT INTO journal (id, kind, request_id, attribution_id, settlement_id, created_at, currency,
                                     output_sha256, external_ref, batch_id, tx_hash)
                SELECT r.journal_id, 'REVENUE', r.request_id, r.attribution_id, NULL, r.created_at, r.currency,
                       r.output_sha256, r.external_ref, NULL, NULL
                FROM revenue r JOIN claim c ON c.request_id = r.request_id
                RETURNING id, currency),
            entries AS (
                INSERT INTO journal_entry (id, journal_id, account_type, contributor_id, currency, debit, credit)
                SELECT e.id, e.journal_id, e.account, e.contributor, p.currency, e.debit::numeric, e.credit::numeric
                FROM unnest($11::uuid[], $12::uuid[], $13::text[], $14::uuid[], $15::text[], $16::text[])
                    AS e(id, journal_id, account, contributor, debit, credit)
                    JOIN posted p ON p.id = e.journal_id
                RETURNING 1)
            SELECT request_id FROM claim""";
    private static final String FIND = """
            SELECT rpc, request_sha256, response FROM idempotent_request WHERE request_id = $1""";

    private final Pool pool;

    public RevenueJournalRepository(Pool pool) {
        this.pool = pool;
    }

    /** A revenue journal ready to post: its request's digest and the response stored with its claim. */
    public record Posting(byte[] requestDigest, byte[] response, Journal journal) {

        public String requestId() {
            return journal.references().requestId();
        }
    }

    /**
     * Claims each posting's request id with its response and, where this statement made the claim, posts the
     * journal (every balance checked at commit); returns the request ids it claimed. The postings' request ids must
     * be distinct.
     */
    public Uni<Set<String>> claimAndPost(String rpc, List<Posting> postings) {
        int journals = postings.size();
        int entries = postings.stream().mapToInt(posting -> posting.journal().entries().size()).sum();
        String[] requestIds = new String[journals];
        Buffer[] digests = new Buffer[journals];
        Buffer[] responses = new Buffer[journals];
        UUID[] journalIds = new UUID[journals];
        UUID[] attributionIds = new UUID[journals];
        OffsetDateTime[] createdAt = new OffsetDateTime[journals];
        String[] currencies = new String[journals];
        String[] outputs = new String[journals];
        String[] externalRefs = new String[journals];
        UUID[] entryIds = new UUID[entries];
        UUID[] entryJournals = new UUID[entries];
        String[] accounts = new String[entries];
        UUID[] contributors = new UUID[entries];
        String[] debits = new String[entries];
        String[] credits = new String[entries];
        int e = 0;
        for (int j = 0; j < journals; j++) {
            Posting posting = postings.get(j);
            Journal journal = posting.journal();
            Journal.References refs = journal.references();
            requestIds[j] = refs.requestId();
            digests[j] = Buffer.buffer(posting.requestDigest());
            responses[j] = Buffer.buffer(posting.response());
            journalIds[j] = journal.id();
            attributionIds[j] = refs.attributionId();
            createdAt[j] = journal.createdAt();
            currencies[j] = journal.currency();
            outputs[j] = refs.outputSha256();
            externalRefs[j] = refs.externalRef();
            for (Journal.Entry entry : journal.entries()) {
                entryIds[e] = entry.id();
                entryJournals[e] = journal.id();
                accounts[e] = entry.account().name();
                contributors[e] = entry.contributorId();
                debits[e] = entry.debit().toString();
                credits[e] = entry.credit().toString();
                e++;
            }
        }
        Tuple parameters = Tuple.tuple(List.<Object>of(rpc, requestIds, digests, responses, journalIds,
                attributionIds, createdAt, currencies, outputs, externalRefs, entryIds, entryJournals, accounts,
                contributors, debits, credits));
        return pool.preparedQuery(CLAIM_AND_POST).execute(parameters).map(rows -> {
            Set<String> claimed = new HashSet<>();
            rows.forEach(row -> claimed.add(row.getString(0)));
            return claimed;
        });
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
}
