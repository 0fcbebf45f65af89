package io.tribute.common.grpc;

import com.google.rpc.BadRequest;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a request before answering, so a caller learns all of them at once. */
public final class FieldViolations {

    private final List<BadRequest.FieldViolation> violations = new ArrayList<>();

    public static BadRequest.FieldViolation violation(String field, String description) {
        return BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description).build();
    }

    public FieldViolations add(String field, String description) {
        violations.add(violation(field, description));
        return this;
    }

    /** Records a violation of {@code field} unless {@code valid} holds. */
    public FieldViolations require(boolean valid, String field, String description) {
        if (!valid) {
            add(field, description);
        }
        return this;
    }

    public boolean isEmpty() {
        return violations.isEmpty();
    }

    public List<BadRequest.FieldViolation> asList() {
        return List.copyOf(violations);
    }

    /** Throws {@code INVALID_ARGUMENT} listing every violation, if there is any. */
    public void throwIfAny(ApiErrors errors) {
        if (!violations.isEmpty()) {
            throw errors.invalidArgument(violations);
        }
    }
}
