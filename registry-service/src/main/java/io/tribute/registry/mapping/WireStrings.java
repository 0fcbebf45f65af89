package io.tribute.registry.mapping;

import io.tribute.common.v1.CreatorShare;
import io.tribute.registry.v1.Asset;
import io.tribute.registry.v1.AssetParent;
import io.tribute.registry.v1.DatasetItemCreator;
import io.tribute.registry.v1.GetLineageResponse;
import io.tribute.registry.v1.LineageEdge;
import io.tribute.registry.v1.LineageNode;

/**
 * Turns the strings of a message that is kept and sent many times into their UTF-8 bytes, once. A protobuf
 * message holds a string field as a {@code String} (also after parsing) and encodes it again on every write; its
 * generated {@code get…Bytes()} replaces the field with the encoded bytes, which later writes copy. Map fields
 * (an asset's attributes) keep their strings.
 */
public final class WireStrings {

    private WireStrings() {
    }

    /** The same asset, its strings now held as UTF-8 bytes. */
    public static Asset encoded(Asset asset) {
        asset.getIdBytes();
        asset.getSha256Bytes();
        asset.getMediaTypeBytes();
        asset.getUriBytes();
        asset.getLicenseBytes();
        asset.getDisplayNameBytes();
        for (CreatorShare creator : asset.getCreatorsList()) {
            creator.getContributorIdBytes();
        }
        for (AssetParent parent : asset.getParentsList()) {
            parent.getParentAssetIdBytes();
            parent.getParentSha256Bytes();
        }
        return asset;
    }

    /** The same lineage answer, the strings of its nodes and edges now held as UTF-8 bytes. */
    public static GetLineageResponse encoded(GetLineageResponse response) {
        response.getAssetIdBytes();
        for (LineageNode node : response.getNodesList()) {
            encoded(node.getAsset());
            for (DatasetItemCreator creator : node.getDatasetItemCreatorsList()) {
                creator.getContributorIdBytes();
            }
        }
        for (LineageEdge edge : response.getEdgesList()) {
            edge.getChildAssetIdBytes();
            edge.getParentAssetIdBytes();
        }
        return response;
    }
}
