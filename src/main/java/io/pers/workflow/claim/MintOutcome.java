package io.pers.workflow.claim;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** The result of the mint step: a rejection code, or minted (and whether the chain must settle it). */
public record MintOutcome(String rejectionCode, boolean settlementRequired) {

    public static MintOutcome rejected(String code) {
        return new MintOutcome(code, false);
    }

    public static MintOutcome minted(boolean settlementRequired) {
        return new MintOutcome(null, settlementRequired);
    }

    @JsonIgnore // derived, not part of the activity's result payload
    public boolean isRejected() {
        return rejectionCode != null;
    }
}
