package io.pers.ledger;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import java.math.BigInteger;

/** Amounts are integers in a token's base units, in (0, 2^256 - 1]: what an ERC-20 can hold. */
public final class Amounts {

    public static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    private Amounts() {}

    public static BigInteger requirePositive(BigInteger amount) {
        if (amount == null || amount.signum() <= 0 || amount.compareTo(UINT256_MAX) > 0) {
            throw new PersException(
                    ErrorCode.INVALID_AMOUNT,
                    "amount must be an integer between 1 and 2^256-1 base units, got " + amount);
        }
        return amount;
    }
}
