package io.tribute.attribution.mapping;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.tribute.attribution.log.SignedCheckpoint;
import io.tribute.attribution.service.TransparencyLog;
import io.tribute.attribution.v1.Checkpoint;
import io.tribute.attribution.v1.GetConsistencyProofResponse;
import io.tribute.common.v1.MerkleInclusionProof;
import java.util.HexFormat;

/** Transparency-log results ⇄ proto. */
public final class LogMapper {

    private static final HexFormat HEX = HexFormat.of();

    private LogMapper() {
    }

    public static Checkpoint toProto(SignedCheckpoint checkpoint, String origin) {
        return Checkpoint.newBuilder()
                .setOrigin(origin)
                .setTreeSize(checkpoint.treeSize())
                .setRootHash(HEX.formatHex(checkpoint.rootHash()))
                .setTimestamp(Timestamp.newBuilder()
                        .setSeconds(checkpoint.timestamp().getEpochSecond())
                        .setNanos(checkpoint.timestamp().getNano()))
                .setNote(checkpoint.note())
                .setSignature(ByteString.copyFrom(checkpoint.signature()))
                .setKeyName(checkpoint.keyName())
                .setKeyId(checkpoint.keyId())
                .setVerifierKey(checkpoint.verifierKey())
                .build();
    }

    public static MerkleInclusionProof toProto(TransparencyLog.InclusionProof proof) {
        MerkleInclusionProof.Builder builder = MerkleInclusionProof.newBuilder()
                .setLeafIndex(proof.leafIndex())
                .setTreeSize(proof.treeSize())
                .setLeafHash(HEX.formatHex(proof.leafHash()))
                .setRootHash(HEX.formatHex(proof.root()));
        proof.path().forEach(hash -> builder.addAuditPath(HEX.formatHex(hash)));
        return builder.build();
    }

    public static GetConsistencyProofResponse toProto(TransparencyLog.ConsistencyProof proof, String origin) {
        GetConsistencyProofResponse.Builder builder = GetConsistencyProofResponse.newBuilder()
                .setFirstTreeSize(proof.firstSize())
                .setSecondTreeSize(proof.secondSize())
                .setFirstRootHash(HEX.formatHex(proof.firstRoot()))
                .setSecondRootHash(HEX.formatHex(proof.secondRoot()));
        proof.proof().forEach(hash -> builder.addProof(HEX.formatHex(hash)));
        if (proof.checkpoint() != null) {
            builder.setCheckpoint(toProto(proof.checkpoint(), origin));
        }
        return builder.build();
    }
}
