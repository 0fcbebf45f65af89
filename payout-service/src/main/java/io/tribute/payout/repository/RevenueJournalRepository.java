package io.tribute.payout.repository;

import io.smallrye.mutiny.Uni;
import io.tribute.payout.Journal;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Posts revenue journals and claims their request ids, a whole batch in one statement (the hot path of
 * RecordRevenue), on the reactive pool directly: no ORM session, one round trip and one commit per batch.
 *
 * <p>Claims, journals and entries are one INSERT of fixed text with one array parameter per
 * column ({@code unnest}), so the statement is prepared once per connection whatever the batch size. It runs outside
 * an explicit transaction because one statement is one transaction: it commits whole or not at all, and the deferred
 * balance check runs at its commit. A journal and its entries are written only for the claims this statement made; a
 * request id claimed by a concurrent statement is waited for on the claim's primary key and then left to replay.
 * Claims are inserted in request-id order, so two concurrent batches wait on each other's claims in one order and
 * cannot deadlock. Amounts travel as digit strings cast to numeric: exact.
 *
 * <p>A claim stores no response: the journal it posted is the response, and a replay reads it back
 * ({@link #findClaim}). Claims of RecordRevenue stored before this hold their response, which a replay returns as is.
 */
@ApplicationScoped
public class RevenueJournalRepository {

    private static final String CLAIM_AND_POST = """
            WITH revenue AS (
                SELECT * FROM unnest($2::text[], $3::bytea[], $4::uuid[], $5::uuid[], $6::timestamptz[], $7::text[],
                                     $8::text[], $9::text[])
                    AS r(request_id, request_sha256, journal_id, attribution_id, created_at, currency, output_sha256,
                         external_ref)),
            claim AS (
                INSERT INTO idempotent_request (request_id, rpc, request_sha256)
                SELECT request_id, $1::text, request_sha256 FROM revenue ORDER BY request_id
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
                FROM unnest($10::uuid[], $11::uuid[], $12::text[], $13::uuid[], $14::text[], $15::text[])
                    AS e(id, journal_id, account, contributor, debit, credit)
                    JOIN posted p ON p.id = e.journal_id
                RETURNING 1)
            SELECT request_id FROM claim""";
    // The claim and, when it posted a revenue journal, that journal with its entries (one row per entry). The
    // service writes a revenue journal's entries only in the statement that posts it.
    private static final String FIND = """
            SELECT r.rpc, r.request_sha256, r.response, j.id AS journal_id, j.currency, j.created_at,
                   j.attribution_id, j.output_sha256, j.external_ref, j.settlement_id, j.batch_id, j.tx_hash,
                   e.id AS entry_id, e.account_type, e.contributor_id, e.debit::text AS debit, e.credit::text AS credit
            FROM idempotent_request r
                LEFT JOIN journal j ON j.request_id = r.request_id AND j.kind = 'REVENUE'
                LEFT JOIN journal_entry e ON e.journal_id = j.id
            WHERE r.request_id = $1""";

    private final Pool pool;

    public RevenueJournalRepository(Pool pool) {
        this.pool = pool;
    }

    /** A revenue journal ready to post and its request's digest. */
    public record Posting(byte[] requestDigest, Journal journal) {

        public String requestId() {
            return journal.references().requestId();
        }
    }

    /**
     * Claims each posting's request id and, where this statement made the claim, posts the
     * journal (every balance checked at commit); returns the request ids it claimed. The postings' request ids must
     * be distinct.
     */
    public Uni<Set<String>> claimAndPost(String rpc, List<Posting> postings) {
        int journals = postings.size();
        int entries = postings.stream().mapToInt(posting -> posting.journal().entries().size()).sum();
        String[] requestIds = new String[journals];
        Buffer[] digests = new Buffer[journals];
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
        Tuple parameters = Tuple.tuple(List.<Object>of(rpc, requestIds, digests, journalIds,
                attributionIds, createdAt, currencies, outputs, externalRefs, entryIds, entryJournals, accounts,
                contributors, debits, credits));
        return pool.preparedQuery(CLAIM_AND_POST).execute(parameters).map(rows -> {
            Set<String> claimed = new HashSet<>();
            rows.forEach(row -> claimed.add(row.getString(0)));
            return claimed;
        });
    }

    /**
     * The stored claim of a request id: its rpc, request digest and stored response (null unless stored before
     * responses were rebuilt), and the revenue journal it posted (null if none).
     */
    public record StoredClaim(String rpc, byte[] requestDigest, byte[] response, Journal journal) {
    }

    /** The claim of a request id, with the revenue journal it posted read back as it was posted. */
    public Uni<StoredClaim> findClaim(String requestId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(requestId)).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                throw new IllegalStateException("request " + requestId + " lost its claim");
            }
            Row row = found.next();
            var response = row.getBuffer("response");
            return new StoredClaim(row.getString("rpc"), row.getBuffer("request_sha256").getBytes(),
                    response == null ? null : response.getBytes(),
                    row.getUUID("journal_id") == null ? null : postedJournal(requestId, row, found));
        });
    }

    /** The revenue journal of the claim's rows: the first row and the rest each hold one of its entries. */
    private static Journal postedJournal(String requestId, Row first, RowIterator<Row> rest) {
        Journal.References references = new Journal.References(first.getUUID("attribution_id"),
                first.getString("output_sha256"), requestId, first.getString("external_ref"),
                first.getUUID("settlement_id"), first.getString("batch_id"), first.getString("tx_hash"));
        List<Journal.Entry> entries = new ArrayList<>();
        for (Row entry = first; entry != null; entry = rest.hasNext() ? rest.next() : null) {
            entries.add(new Journal.Entry(entry.getUUID("entry_id"),
                    Journal.Account.valueOf(entry.getString("account_type")), entry.getUUID("contributor_id"),
                    new BigInteger(entry.getString("debit")), new BigInteger(entry.getString("credit"))));
        }
        return new Journal(first.getUUID("journal_id"), Journal.Kind.REVENUE, first.getString("currency"),
                first.getOffsetDateTime("created_at"), references, entries);
    }
}
