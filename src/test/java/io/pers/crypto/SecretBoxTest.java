package io.pers.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    private static final String KEY_A = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
    private static final String KEY_B = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));

    @TempDir
    Path home;

    private SecretBox box(Map<String, String> ring, String current) {
        return new SecretBox(ring, null, current, home);
    }

    @Test
    void aValueNamesItsKeyAndOpensAfterTheKeyIsRotatedAndReSealed() {
        SecretBox onlyA = box(Map.of("a", KEY_A), "a");
        byte[] underA = onlyA.seal("whsec_one".getBytes(StandardCharsets.UTF_8));
        assertThat(SecretBox.keyIdOf(underA)).isEqualTo("a");

        SecretBox rotated = box(Map.of("a", KEY_A, "b", KEY_B), "b");
        byte[] underB = rotated.seal("whsec_two".getBytes(StandardCharsets.UTF_8));
        assertThat(SecretBox.keyIdOf(underB)).isEqualTo("b");
        assertThat(rotated.open(underA)).asString(StandardCharsets.UTF_8).isEqualTo("whsec_one");
        assertThat(rotated.open(underB)).asString(StandardCharsets.UTF_8).isEqualTo("whsec_two");

        byte[] resealed = rotated.reseal(underA);
        assertThat(SecretBox.keyIdOf(resealed)).isEqualTo("b");
        assertThat(rotated.reseal(underB)).isSameAs(underB); // already under the current key

        SecretBox onlyB = box(Map.of("b", KEY_B), "b");
        assertThat(onlyB.open(resealed)).asString(StandardCharsets.UTF_8).isEqualTo("whsec_one");
        assertThatThrownBy(() -> onlyB.open(underA))
                .isInstanceOf(UnknownMasterKeyException.class)
                .hasMessageContaining("'a'")
                .hasMessageContaining("pers.secrets.master-keys.a")
                .hasMessageNotContaining(KEY_A);
    }

    @Test
    void theSingleKeyPropertyIsTheDefaultKeyAndTheLocalFileToo() throws Exception {
        SecretBox single = new SecretBox(Map.of(), KEY_A, "default", home);
        byte[] sealed = single.seal(new byte[] {1, 2, 3});
        assertThat(SecretBox.keyIdOf(sealed)).isEqualTo(SecretBox.DEFAULT_ID);
        assertThat(box(Map.of("default", KEY_A), "default").open(sealed)).containsExactly(1, 2, 3);
        assertThat(Files.exists(home.resolve("master.key"))).isFalse();

        SecretBox local = box(Map.of(), "default"); // nothing configured: the local file is made
        byte[] underFile = local.seal(new byte[] {4});
        SecretBox localPlusNew = box(Map.of("b", KEY_B), "b"); // the file stays readable beside a new key
        assertThat(localPlusNew.open(underFile)).containsExactly(4);
    }

    @Test
    void aCurrentKeyThatIsNotConfiguredOrAMalformedKeyStopsTheStart() {
        assertThatThrownBy(() -> box(Map.of("a", KEY_A), "b"))
                .hasMessageContaining("pers.secrets.current-key-id")
                .hasMessageContaining("pers.secrets.master-keys.b");
        assertThatThrownBy(() -> box(Map.of("a", "c2hvcnQ="), "a"))
                .hasMessageContaining("pers.secrets.master-keys.a must be 32 bytes")
                .hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> box(Map.of("bad id", KEY_A), "bad id")).hasMessageContaining("master key id");
    }

    @Test
    void derivedKeysFollowTheCurrentKeyAndKeepTheOthersForVerifying() {
        SecretBox a = box(Map.of("a", KEY_A), "a");
        SecretBox rotated = box(Map.of("a", KEY_A, "b", KEY_B), "b");
        assertThat(rotated.derivedKeys("p")).containsKeys("b", "a");
        assertThat(rotated.derivedKeys("p").get("a")).isEqualTo(a.deriveKey("p"));
        assertThat(rotated.deriveKey("p")).isNotEqualTo(a.deriveKey("p"));
    }
}
