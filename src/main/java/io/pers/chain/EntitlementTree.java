package io.pers.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** PROVISIONAL: replaced by the contract branch's tree. */
public final class EntitlementTree {

    private final List<List<byte[]>> layers = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    private EntitlementTree(Map<String, BigInteger> entitlements) {
        List<byte[]> leaves = new ArrayList<>();
        Map<String, byte[]> byAddress = new HashMap<>();
        entitlements.forEach((a, c) -> byAddress.put(a.toLowerCase(), leaf(a, c)));
        leaves.addAll(byAddress.values());
        leaves.sort(Comparator.comparing(b -> b, Arrays::compareUnsigned));
        byAddress.forEach((a, l) -> {
            for (int i = 0; i < leaves.size(); i++) {
                if (Arrays.equals(leaves.get(i), l)) {
                    index.put(a, i);
                }
            }
        });
        layers.add(leaves);
        List<byte[]> layer = leaves;
        while (layer.size() > 1) {
            List<byte[]> next = new ArrayList<>();
            for (int i = 0; i < layer.size(); i += 2) {
                next.add(i + 1 < layer.size() ? pair(layer.get(i), layer.get(i + 1)) : layer.get(i));
            }
            layers.add(next);
            layer = next;
        }
    }

    public static EntitlementTree of(Map<String, BigInteger> entitlements) {
        return new EntitlementTree(entitlements);
    }

    public byte[] root() {
        List<byte[]> top = layers.get(layers.size() - 1);
        return top.isEmpty() ? new byte[32] : top.get(0);
    }

    public List<byte[]> proof(String address) {
        int i = index.get(address.toLowerCase());
        List<byte[]> proof = new ArrayList<>();
        for (int l = 0; l < layers.size() - 1; l++) {
            List<byte[]> layer = layers.get(l);
            int sibling = i ^ 1;
            if (sibling < layer.size()) {
                proof.add(layer.get(sibling));
            }
            i /= 2;
        }
        return proof;
    }

    static byte[] leaf(String address, BigInteger cumulative) {
        String encoded = TypeEncoder.encode(new Address(address)) + TypeEncoder.encode(new Uint256(cumulative));
        return Hash.sha3(Hash.sha3(Numeric.hexStringToByteArray(encoded)));
    }

    private static byte[] pair(byte[] a, byte[] b) {
        byte[] joined = new byte[64];
        boolean ordered = Arrays.compareUnsigned(a, b) <= 0;
        System.arraycopy(ordered ? a : b, 0, joined, 0, 32);
        System.arraycopy(ordered ? b : a, 0, joined, 32, 32);
        return Hash.sha3(joined);
    }
}
