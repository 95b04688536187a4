package io.pers.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;

/**
 * When a token's earned lots expire (io.pers.expiry): {@code DAYS_AFTER_EARN} with {@code days}
 * (1..36500), or {@code END_OF_MONTH} with {@code months} (0..1200: the end of the month of
 * earning, plus that many months, UTC). {@code NONE} in an update removes the policy. The dates
 * themselves are computed by the database's {@code lot_expires_at}, the one place they are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExpiryPolicy(Type type, Integer days, Integer months) {

    public enum Type {
        NONE,
        DAYS_AFTER_EARN,
        END_OF_MONTH
    }

    static final int MAX_DAYS = 36_500;
    static final int MAX_MONTHS = 1_200;

    /** The policy as stored, or null for none; INVALID_EXPIRY_POLICY when it does not fit its type. */
    ExpiryPolicy validated() {
        if (type == null) {
            throw invalid("type is required: NONE, DAYS_AFTER_EARN or END_OF_MONTH");
        }
        return switch (type) {
            case NONE -> {
                if (days != null || months != null) {
                    throw invalid("NONE takes neither days nor months");
                }
                yield null;
            }
            case DAYS_AFTER_EARN -> {
                if (months != null || days == null || days < 1 || days > MAX_DAYS) {
                    throw invalid("DAYS_AFTER_EARN takes days between 1 and " + MAX_DAYS + ", and no months");
                }
                yield this;
            }
            case END_OF_MONTH -> {
                if (days != null || months == null || months < 0 || months > MAX_MONTHS) {
                    throw invalid("END_OF_MONTH takes months between 0 and " + MAX_MONTHS + ", and no days");
                }
                yield this;
            }
        };
    }

    /** The stored period: days or months. */
    int period() {
        return type == Type.DAYS_AFTER_EARN ? days : months;
    }

    static ExpiryPolicy of(String storedType, int period) {
        Type type = Type.valueOf(storedType);
        return type == Type.DAYS_AFTER_EARN
                ? new ExpiryPolicy(type, period, null)
                : new ExpiryPolicy(type, null, period);
    }

    private static PersException invalid(String message) {
        return new PersException(ErrorCode.INVALID_EXPIRY_POLICY, message);
    }
}
