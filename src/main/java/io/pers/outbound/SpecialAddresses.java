package io.pers.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The address blocks no tenant-set URL may reach, from IANA's IPv4 and IPv6 Special-Purpose
 * Address Registries (iana.org/assignments/iana-ipv4-special-registry and
 * iana-ipv6-special-registry, plus the multicast blocks of the address space registries). No
 * served library carries these registries (Guava's InetAddresses and commons-net have helpers for
 * single kinds only), so the table is here; blocks the registries mark globally reachable (AS112,
 * AMT) are left out. LOCAL blocks are what a receiver on a developer's machine or a private
 * network uses, and may be opened (globally for benches and tests, or per tenant in local
 * development); REFUSED blocks never.
 */
final class SpecialAddresses {

    enum Kind {
        LOCAL,
        REFUSED
    }

    record Block(byte[] network, int bits, String name, Kind kind) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            if (!Arrays.equals(address, 0, whole, network, 0, whole)) {
                return false;
            }
            int rest = bits % 8;
            return rest == 0 || ((address[whole] ^ network[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }

    private static final List<Block> BLOCKS = List.of(
            // IPv4 Special-Purpose Address Registry
            block("0.0.0.0/8", "a this-network", Kind.REFUSED),
            block("10.0.0.0/8", "a private", Kind.LOCAL),
            block("100.64.0.0/10", "a shared (carrier-grade NAT)", Kind.LOCAL),
            block("127.0.0.0/8", "a loopback", Kind.LOCAL),
            block("169.254.0.0/16", "a link-local", Kind.LOCAL),
            block("172.16.0.0/12", "a private", Kind.LOCAL),
            block("192.0.0.0/24", "an IETF protocol assignment", Kind.REFUSED),
            block("192.0.2.0/24", "a documentation (TEST-NET-1)", Kind.REFUSED),
            block("192.88.99.0/24", "a 6to4 relay anycast", Kind.REFUSED),
            block("192.168.0.0/16", "a private", Kind.LOCAL),
            block("198.18.0.0/15", "a benchmarking", Kind.REFUSED),
            block("198.51.100.0/24", "a documentation (TEST-NET-2)", Kind.REFUSED),
            block("203.0.113.0/24", "a documentation (TEST-NET-3)", Kind.REFUSED),
            block("224.0.0.0/4", "a multicast", Kind.REFUSED),
            block("240.0.0.0/4", "a reserved (or broadcast)", Kind.REFUSED),
            // IPv6 Special-Purpose Address Registry; ::ffff:0:0/96 (IPv4-mapped) is judged by the
            // IPv4 address it carries, see of().
            block("::1/128", "a loopback", Kind.LOCAL),
            block("64:ff9b::/96", "a NAT64 (IPv4-IPv6 translation)", Kind.REFUSED),
            block("64:ff9b:1::/48", "a local-use IPv4-IPv6 translation", Kind.REFUSED),
            block("100::/64", "a discard-only", Kind.REFUSED),
            block("2001::/23", "an IETF protocol assignment (Teredo, benchmarking, ORCHID)", Kind.REFUSED),
            block("2001:db8::/32", "a documentation", Kind.REFUSED),
            block("2002::/16", "a 6to4", Kind.REFUSED),
            block("3fff::/20", "a documentation", Kind.REFUSED),
            block("5f00::/16", "a segment-routing", Kind.REFUSED),
            block("fc00::/7", "a unique-local (private)", Kind.LOCAL),
            block("fec0::/10", "a site-local (private)", Kind.LOCAL),
            block("fe80::/10", "a link-local", Kind.LOCAL),
            block("ff00::/8", "a multicast", Kind.REFUSED));

    /** Global unicast: every IPv6 address outside it is unassigned or special (IPv6 Address Space registry). */
    private static final Block IPV6_GLOBAL_UNICAST = block("2000::/3", "a global unicast", null);

    private static final Block IPV6_RESERVED = new Block(new byte[16], 0, "a reserved IPv6", Kind.REFUSED);

    private SpecialAddresses() {}

    /** The special block an address is in, or null for an ordinary public address. */
    static Block of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && mappedIpv4(bytes)) {
            return of(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
        }
        for (Block block : BLOCKS) {
            if (block.contains(bytes)) {
                return block;
            }
        }
        return address instanceof Inet6Address && !IPV6_GLOBAL_UNICAST.contains(bytes) ? IPV6_RESERVED : null;
    }

    /** ::ffff:0:0/96; the JDK turns most of these into Inet4Address, but not every path does. */
    private static boolean mappedIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Block block(String cidr, String name, Kind kind) {
        String[] parts = cidr.split("/");
        try {
            // Literals only: getByName does no lookup for them.
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            return new Block(network, Integer.parseInt(parts[1]), name, kind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
    }
}
