package io.pers.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSRF guard's address table (IANA special-purpose registries), as in production. */
class OutboundGuardTest {

    private final OutboundGuard strict = new OutboundGuard(false, () -> false);

    /** Local blocks: opened by the global switch or a tenant's opt-in. */
    private static final List<String> LOCAL = List.of(
            "127.0.0.1",
            "::1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "fe80::1",
            "fd12:3456::1",
            "100.64.0.1");

    /** Blocks refused whatever is switched on. */
    private static final List<String> ALWAYS_REFUSED = List.of(
            "169.254.169.254",
            "fd00:ec2::254",
            "0.0.0.0",
            "224.0.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.1",
            "203.0.113.1",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "3fff::1",
            "ff02::1");

    @Test
    void refusesEverySpecialPurposeBlockAndNoPublicAddress() throws Exception {
        for (String address : concat(LOCAL, ALWAYS_REFUSED)) {
            assertThat(strict.refusal(InetAddress.getByName(address)))
                    .as(address)
                    .isNotNull();
        }
        for (String address : List.of("93.184.216.34", "198.20.0.1", "2606:2800:220:1:248:1893:25c8:1946")) {
            assertThat(strict.refusal(InetAddress.getByName(address)))
                    .as(address)
                    .isNull();
        }
    }

    /** The JDK turns most IPv4-mapped addresses into IPv4 ones, but an Inet6Address can still carry one. */
    @Test
    void judgesAnIpv4MappedAddressByItsIpv4Address() throws Exception {
        byte[] mappedMetadata = new byte[16];
        mappedMetadata[10] = (byte) 0xff;
        mappedMetadata[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName("198.18.0.1").getAddress(), 0, mappedMetadata, 12, 4);
        assertThat(strict.refusal(Inet6Address.getByAddress(null, mappedMetadata, null)))
                .isEqualTo("a benchmarking");
    }

    @Test
    void theGlobalSwitchAndATenantsOptInOpenLocalBlocksOnly() throws Exception {
        for (OutboundGuard open : List.of(new OutboundGuard(true, () -> false), new OutboundGuard(false, () -> true))) {
            for (String address : LOCAL) {
                assertThat(open.refusal(InetAddress.getByName(address)))
                        .as(address)
                        .isNull();
            }
            for (String address : ALWAYS_REFUSED) {
                assertThat(open.refusal(InetAddress.getByName(address)))
                        .as(address)
                        .isNotNull();
            }
        }
    }

    @Test
    void refusesWithTheCallersStableCode() {
        assertThatThrownBy(() -> strict.check("http://localhost:8080/hook", ErrorCode.OUTBOUND_TARGET_REFUSED))
                .isInstanceOfSatisfying(
                        PersException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTBOUND_TARGET_REFUSED));
        assertThatThrownBy(() -> strict.check("ftp://example.com/", ErrorCode.OUTBOUND_TARGET_REFUSED))
                .isInstanceOfSatisfying(
                        PersException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThat(strict.check("https://93.184.216.34/hook", ErrorCode.OUTBOUND_TARGET_REFUSED)
                        .getHost())
                .isEqualTo("93.184.216.34");
    }

    @Test
    void anExcerptIsBoundedAndCarriesNoControlCharacters() {
        String answer = "\u001b[31mFAKE\r\n2026-01-01 INFO forged log line\u202e\u0000" + "x".repeat(1000);
        String excerpt = Excerpts.of(answer, 64);
        assertThat(excerpt)
                .hasSize(64)
                .doesNotContainPattern("[\\p{Cntrl}\\p{Cf}]")
                .startsWith(" [31mFAKE  2026");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
