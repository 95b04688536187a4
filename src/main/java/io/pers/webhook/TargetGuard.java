package io.pers.webhook;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.client5.http.DnsResolver;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The SSRF guard. Webhook URLs are chosen by tenants, so a delivery must not reach the platform's
 * own network: loopback, private, link-local, shared (CGNAT), multicast and unspecified addresses
 * are refused unless {@code pers.webhooks.allow-private-targets} is true, and cloud metadata
 * addresses always. It is also the HTTP client's DNS resolver: the addresses it checks are the
 * ones connected to, so a name cannot resolve to a public address for the check and a private
 * one for the connection.
 */
@Component
class TargetGuard implements DnsResolver {

    /** AWS/GCP/Azure/OpenStack, AWS ECS task metadata, Alibaba, AWS IPv6 metadata. */
    private static final Set<String> METADATA =
            Set.of("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

    /** A refused target; an {@link UnknownHostException} so the HTTP client gives up on the host. */
    static final class Refused extends UnknownHostException {
        Refused(String message) {
            super(message);
        }
    }

    private final boolean allowPrivate;

    TargetGuard(@Value("${pers.webhooks.allow-private-targets:false}") boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Checks a subscription's URL before it is stored: shape, scheme, and where it resolves now. */
    URI check(String url) {
        URI uri = parse(url);
        try {
            resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw new PersException(
                    ErrorCode.WEBHOOK_TARGET_REFUSED,
                    e instanceof Refused ? e.getMessage() : "url host " + uri.getHost() + " does not resolve");
        }
        return uri;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new Refused(
                        "url host " + host + " resolves to " + refusal + " address " + address.getHostAddress());
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return resolve(host)[0].getCanonicalHostName();
    }

    /** Why an address may not be delivered to, or null when it may. */
    String refusal(InetAddress address) {
        if (METADATA.contains(address.getHostAddress())) {
            return "a cloud metadata";
        }
        if (allowPrivate) {
            return null;
        }
        if (address.isLoopbackAddress()) {
            return "a loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (address.isMulticastAddress()) {
            return "a multicast";
        }
        if (address.isSiteLocalAddress() || uniqueLocal(address)) {
            return "a private";
        }
        if (sharedOrThisNetwork(address)) {
            return "a reserved";
        }
        return null;
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new PersException(ErrorCode.VALIDATION_FAILED, "url must be http or https");
            }
            if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                throw new PersException(ErrorCode.VALIDATION_FAILED, "url must name a host, without credentials");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "url is not a valid URL");
        }
    }

    /** IPv6 unique local addresses, fc00::/7 (the JDK's site-local test only knows fec0::/10). */
    private static boolean uniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** 100.64.0.0/10 (carrier-grade NAT, shared) and 0.0.0.0/8 ("this network"). */
    private static boolean sharedOrThisNetwork(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        byte[] b = address.getAddress();
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128);
    }
}
