package io.tribute.registry.mapping;

import com.google.protobuf.Timestamp;
import io.tribute.registry.Contributor;
import java.time.OffsetDateTime;

/** Maps contributors between their stored and their wire form. */
public final class ContributorMapper {

    private ContributorMapper() {
    }

    public static io.tribute.registry.v1.Contributor toProto(Contributor contributor) {
        var proto = io.tribute.registry.v1.Contributor.newBuilder()
                .setId(contributor.id.toString())
                .setDisplayName(contributor.displayName)
                .setExternalRef(contributor.externalRef)
                .setCreatedAt(timestamp(contributor.createdAt));
        if (contributor.payoutAccount != null) {
            proto.setPayoutAccount(contributor.payoutAccount);
        }
        return proto.build();
    }

    static Timestamp timestamp(OffsetDateTime time) {
        return Timestamp.newBuilder().setSeconds(time.toEpochSecond()).setNanos(time.getNano()).build();
    }
}
