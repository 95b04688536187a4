package io.pers.chain;

import java.math.BigInteger;
import java.util.List;
import java.util.function.Function;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * One ledger movement as a token contract's {@code settleBatch} reproduces it: {@code from} null
 * mints, {@code to} null burns, both set moves (the settlement key needs no allowance).
 * {@code id} is the ERC-1155 id, null on an ERC-20.
 */
public record Movement(String from, String to, BigInteger id, BigInteger amount) {

    static DynamicArray<Address> addresses(List<Movement> movements, Function<Movement, String> side) {
        return new DynamicArray<>(
                Address.class,
                movements.stream()
                        .map(m -> new Address(side.apply(m) == null ? ChainEvents.ZERO_ADDRESS : side.apply(m)))
                        .toList());
    }

    static DynamicArray<Uint256> amounts(List<Movement> movements) {
        return new DynamicArray<>(
                Uint256.class,
                movements.stream().map(m -> new Uint256(m.amount())).toList());
    }
}
