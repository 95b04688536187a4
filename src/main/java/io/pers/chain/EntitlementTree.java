package io.pers.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The Merkle tree of a settlement window's cumulative entitlements, as {@code PersCredit.anchor}
 * takes its root and {@code PersCredit.withdraw} checks a proof against it (contracts/README.md,
 * anchored mode). Built exactly as OpenZeppelin's {@code StandardMerkleTree.of(values, ["address",
 * "uint256"])} (the JS reference library holders and auditors may use), so its roots and proofs are
 * the library's:
 *
 * <ul>
 *   <li>leaf = keccak256(keccak256(abi.encode(account, cumulative))): hashed twice, so no inner node
 *       passes for a leaf;
 *   <li>a pair hashes commutatively, keccak256 of the smaller then the larger (unsigned bytes), as
 *       OpenZeppelin's {@code MerkleProof} checks it;
 *   <li>leaves sorted by their hash (unsigned bytes), laid out as the library does: a complete
 *       binary tree in an array of 2n-1 nodes, the i-th sorted leaf at index 2n-2-i, node k the pair
 *       of nodes 2k+1 and 2k+2, the root at 0. (For n not a power of two this differs from a
 *       layered tree that carries an odd node up: the library's layout wins.)
 * </ul>
 *
 * No entitlements: a root of 32 zero bytes, which no proof reaches. One: the root is its leaf and
 * its proof is empty. Immutable; byte arrays handed out are copies.
 */
public final class EntitlementTree {

    private static final byte[] EMPTY_ROOT = new byte[32];
    private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

    /** What {@code account} earned up to the window, in the token's base units (uint256). */
    public record Entitlement(String account, BigInteger cumulative) {}

    private final byte[][] nodes;
    private final Map<String, Integer> indexByAccount;

    private EntitlementTree(byte[][] nodes, Map<String, Integer> indexByAccount) {
        this.nodes = nodes;
        this.indexByAccount = indexByAccount;
    }

    /**
     * The tree of these entitlements, in any order. An account listed twice is a programming error
     * (IllegalArgumentException), as are a malformed address and an amount outside uint256.
     */
    public static EntitlementTree of(List<Entitlement> entitlements) {
        int n = entitlements.size();
        record Leaf(String account, byte[] hash) {}
        List<Leaf> leaves = new ArrayList<>(n);
        Map<String, Boolean> seen = new HashMap<>();
        for (Entitlement entitlement : entitlements) {
            String account = normalized(entitlement.account());
            if (seen.put(account, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("Account " + account + " listed twice in one entitlement tree");
            }
            leaves.add(new Leaf(account, leaf(account, entitlement.cumulative())));
        }
        if (n == 0) {
            return new EntitlementTree(new byte[0][], Map.of());
        }
        leaves.sort(Comparator.comparing(Leaf::hash, Arrays::compareUnsigned));
        byte[][] nodes = new byte[2 * n - 1][];
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            int at = nodes.length - 1 - i;
            nodes[at] = leaves.get(i).hash();
            index.put(leaves.get(i).account(), at);
        }
        for (int k = nodes.length - 1 - n; k >= 0; k--) {
            nodes[k] = pair(nodes[2 * k + 1], nodes[2 * k + 2]);
        }
        return new EntitlementTree(nodes, Map.copyOf(index));
    }

    /** The tree of holders' entitlements keyed by account. */
    public static EntitlementTree of(Map<String, BigInteger> entitlements) {
        return of(entitlements.entrySet().stream()
                .map(e -> new Entitlement(e.getKey(), e.getValue()))
                .toList());
    }

    /** The root to anchor: bytes32; 32 zero bytes for no entitlements. */
    public byte[] root() {
        return nodes.length == 0 ? EMPTY_ROOT.clone() : nodes[0].clone();
    }

    /** How many entitlements the tree holds. */
    public int size() {
        return indexByAccount.size();
    }

    public boolean contains(String account) {
        return indexByAccount.containsKey(normalized(account));
    }

    /**
     * The proof of {@code account}'s entitlement: its siblings from the leaf up (bytes32 each), as
     * {@code withdraw} and {@code verifyEntitlement} take them. IllegalArgumentException when the
     * account is not in the tree.
     */
    public List<byte[]> proof(String account) {
        Integer at = indexByAccount.get(normalized(account));
        if (at == null) {
            throw new IllegalArgumentException("Account " + account + " is not in this entitlement tree");
        }
        List<byte[]> proof = new ArrayList<>();
        for (int i = at; i > 0; i = (i - 1) / 2) {
            proof.add(nodes[i % 2 == 1 ? i + 1 : i - 1].clone());
        }
        return List.copyOf(proof);
    }

    /** Whether {@code proof} shows ({@code account}, {@code cumulative}) under {@code root}, as the contract checks it. */
    public static boolean verify(byte[] root, String account, BigInteger cumulative, List<byte[]> proof) {
        byte[] node = leaf(normalized(account), cumulative);
        for (byte[] sibling : proof) {
            if (sibling.length != 32) {
                return false;
            }
            node = pair(node, sibling);
        }
        return Arrays.equals(node, root);
    }

    /** The leaf of ({@code account}, {@code cumulative}): keccak256(keccak256(abi.encode(account, cumulative))). */
    public static byte[] leaf(String account, BigInteger cumulative) {
        if (cumulative.signum() < 0 || cumulative.compareTo(UINT256_LIMIT) >= 0) {
            throw new IllegalArgumentException("Cumulative entitlement outside uint256: " + cumulative);
        }
        byte[] encoded = new byte[64];
        byte[] address = Numeric.hexStringToByteArray(normalized(account));
        System.arraycopy(address, 0, encoded, 12, 20);
        byte[] amount = Numeric.toBytesPadded(cumulative, 32);
        System.arraycopy(amount, 0, encoded, 32, 32);
        return Hash.sha3(Hash.sha3(encoded));
    }

    private static byte[] pair(byte[] a, byte[] b) {
        byte[] joined = new byte[64];
        boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
        System.arraycopy(aFirst ? a : b, 0, joined, 0, 32);
        System.arraycopy(aFirst ? b : a, 0, joined, 32, 32);
        return Hash.sha3(joined);
    }

    /** 0x and 40 lower-case hex digits; IllegalArgumentException for anything else. */
    private static String normalized(String account) {
        if (account == null || !account.matches("(0x|0X)?[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("Not an address: " + account);
        }
        return "0x" + Numeric.cleanHexPrefix(account).toLowerCase(Locale.ROOT);
    }
}
