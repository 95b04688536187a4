package io.pers.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link EntitlementTree} against vectors from OpenZeppelin's JS reference library
 * ({@code @openzeppelin/merkle-tree}, {@code StandardMerkleTree.of(values, ["address",
 * "uint256"])}, made by {@code merkle/make-vectors.mjs}) for 1, 2, 3, 5 and 100 entitlements: the
 * same root, the same leaf, the same proof for every account, and each proof verifies.
 */
class EntitlementTreeTest {

    private static final String VECTORS = "merkle/standard-merkle-tree-vectors.json";

    record Vector(int size, String root, List<JsonNode> entitlements) {
        @Override
        public String toString() {
            return size + " entitlements";
        }
    }

    static Stream<Vector> vectors() throws IOException {
        try (InputStream in = EntitlementTreeTest.class.getClassLoader().getResourceAsStream(VECTORS)) {
            JsonNode sets = JsonMapper.builder().build().readTree(in).path("sets");
            List<Vector> vectors = new ArrayList<>();
            for (JsonNode set : sets) {
                vectors.add(new Vector(
                        set.path("size").asInt(),
                        set.path("root").asString(),
                        set.path("entitlements").valueStream().toList()));
            }
            return vectors.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void rootsLeavesAndProofsAreTheReferenceLibrarys(Vector vector) {
        List<EntitlementTree.Entitlement> entitlements = vector.entitlements().stream()
                .map(e -> new EntitlementTree.Entitlement(
                        e.path("account").asString(),
                        new BigInteger(e.path("cumulative").asString())))
                .toList();
        assertThat(entitlements).hasSize(vector.size());

        EntitlementTree tree = EntitlementTree.of(entitlements);

        assertThat(Numeric.toHexString(tree.root())).isEqualTo(vector.root());
        assertThat(tree.size()).isEqualTo(vector.size());
        for (JsonNode e : vector.entitlements()) {
            String account = e.path("account").asString();
            BigInteger cumulative = new BigInteger(e.path("cumulative").asString());
            List<byte[]> proof = tree.proof(account);
            assertThat(Numeric.toHexString(EntitlementTree.leaf(account, cumulative)))
                    .isEqualTo(e.path("leaf").asString());
            assertThat(proof.stream().map(Numeric::toHexString).toList())
                    .isEqualTo(e.path("proof")
                            .valueStream()
                            .map(JsonNode::asString)
                            .toList());
            assertThat(EntitlementTree.verify(Numeric.hexStringToByteArray(vector.root()), account, cumulative, proof))
                    .isTrue();
            // One unit more than earned does not verify, nor does the proof under another root.
            assertThat(EntitlementTree.verify(tree.root(), account, cumulative.add(BigInteger.ONE), proof))
                    .isFalse();
            assertThat(EntitlementTree.verify(new byte[32], account, cumulative, proof))
                    .isFalse();
        }
    }

    @Test
    void theOrderOfTheEntitlementsAndTheAddressCaseDoNotMatter() {
        List<EntitlementTree.Entitlement> entitlements = List.of(
                new EntitlementTree.Entitlement("0x00000000000000000000000000000000000000aa", BigInteger.ONE),
                new EntitlementTree.Entitlement("0x00000000000000000000000000000000000000Bb", BigInteger.TWO),
                new EntitlementTree.Entitlement("0x00000000000000000000000000000000000000cc", BigInteger.TEN));
        EntitlementTree tree = EntitlementTree.of(entitlements);

        assertThat(EntitlementTree.of(List.of(entitlements.get(2), entitlements.get(0), entitlements.get(1)))
                        .root())
                .isEqualTo(tree.root());
        assertThat(tree.proof("0x00000000000000000000000000000000000000BB"))
                .isNotEmpty()
                .allSatisfy(node -> assertThat(node).hasSize(32));
        assertThat(tree.contains("0x00000000000000000000000000000000000000AA")).isTrue();
    }

    @Test
    void noEntitlementsGiveAZeroRootAndOneGivesItsLeaf() {
        EntitlementTree empty = EntitlementTree.of(List.of());
        String account = "0x1111111111111111111111111111111111111111";

        assertThat(empty.root()).isEqualTo(new byte[32]);
        assertThat(empty.size()).isZero();
        assertThatThrownBy(() -> empty.proof(account)).isInstanceOf(IllegalArgumentException.class);

        EntitlementTree one = EntitlementTree.of(List.of(new EntitlementTree.Entitlement(account, BigInteger.TEN)));
        assertThat(one.root()).isEqualTo(EntitlementTree.leaf(account, BigInteger.TEN));
        assertThat(one.proof(account)).isEmpty();
        assertThat(EntitlementTree.verify(one.root(), account, BigInteger.TEN, List.of()))
                .isTrue();
    }

    @Test
    void anAccountListedTwiceOrAnAmountOutsideUint256IsRefused() {
        String account = "0x1111111111111111111111111111111111111111";

        assertThatThrownBy(() -> EntitlementTree.of(List.of(
                        new EntitlementTree.Entitlement(account, BigInteger.ONE),
                        new EntitlementTree.Entitlement(account.toUpperCase().replace("0X", "0x"), BigInteger.TWO))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() ->
                        EntitlementTree.of(List.of(new EntitlementTree.Entitlement(account, BigInteger.ONE.negate()))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntitlementTree.of(
                        List.of(new EntitlementTree.Entitlement(account, BigInteger.ONE.shiftLeft(256)))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntitlementTree.of(List.of(new EntitlementTree.Entitlement("0x12", BigInteger.ONE))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handedOutBytesAreCopies() {
        String account = "0x1111111111111111111111111111111111111111";
        EntitlementTree tree = EntitlementTree.of(List.of(
                new EntitlementTree.Entitlement(account, BigInteger.ONE),
                new EntitlementTree.Entitlement("0x2222222222222222222222222222222222222222", BigInteger.ONE)));
        byte[] root = tree.root();

        tree.root()[0] ^= 1;
        tree.proof(account).get(0)[0] ^= 1;

        assertThat(tree.root()).isEqualTo(root);
        assertThat(EntitlementTree.verify(root, account, BigInteger.ONE, tree.proof(account)))
                .isTrue();
    }
}
