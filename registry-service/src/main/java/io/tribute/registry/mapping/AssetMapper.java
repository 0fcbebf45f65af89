package io.tribute.registry.mapping;

import com.google.protobuf.Timestamp;
import io.tribute.common.v1.AssetKind;
import io.tribute.common.v1.CreatorShare;
import io.tribute.common.v1.EdgeType;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Maps assets between their stored rows and their wire form. A row holds the columns of
 * {@code AssetRepository.ASSET_COLUMNS}: creators as "id:ppm,…" and parents as "id:edge:weight:sha256:kind,…",
 * already in the documented order.
 */
public final class AssetMapper {

    private AssetMapper() {
    }

    public static Asset fromRow(Row row) {
        Asset.Builder asset = Asset.newBuilder()
                .setId(row.getUUID("id").toString())
                .setKind(AssetKind.forNumber(row.getShort("kind")))
                .setSha256(row.getString("sha256_hex"))
                .setSizeBytes(row.getLong("size_bytes"))
                .setMediaType(row.getString("media_type"))
                .setUri(row.getString("uri"))
                .setLicense(row.getString("license"))
                .setDisplayName(row.getString("display_name"))
                .setItemCount(row.getLong("item_count"))
                .setRegisteredAt(timestamp(row.getOffsetDateTime("registered_at")));
        String attributes = row.getString("attributes_json");
        if (attributes != null && attributes.length() > 2) {
            for (Map.Entry<String, Object> attribute : new JsonObject(attributes)) {
                asset.putAttributes(attribute.getKey(), String.valueOf(attribute.getValue()));
            }
        }
        String creators = row.getString("creators");
        if (creators != null && !creators.isEmpty()) {
            for (String creator : creators.split(",")) {
                int colon = creator.indexOf(':');
                asset.addCreators(CreatorShare.newBuilder()
                        .setContributorId(creator.substring(0, colon))
                        .setSharePpm(Integer.parseInt(creator.substring(colon + 1))));
            }
        }
        String parents = row.getString("parents");
        if (parents != null && !parents.isEmpty()) {
            for (String parent : parents.split(",")) {
                String[] parts = parent.split(":");
                asset.addParents(AssetParent.newBuilder()
                        .setParentAssetId(parts[0])
                        .setEdgeType(EdgeType.forNumber(Integer.parseInt(parts[1])))
                        .setWeightPpm(Integer.parseInt(parts[2]))
                        .setParentSha256(parts[3])
                        .setParentKind(AssetKind.forNumber(Integer.parseInt(parts[4]))));
            }
        }
        return asset.build();
    }

    public static Timestamp timestamp(OffsetDateTime time) {
        return Timestamp.newBuilder().setSeconds(time.toEpochSecond()).setNanos(time.getNano()).build();
    }
}
