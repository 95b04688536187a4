package io.pers.outbound;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
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
 * The SSRF guard of every URL a tenant sets: webhook endpoints, a polled booking system's base
 * URL, an identity provider's JWKS URL. Addresses in IANA's special-purpose blocks
 * ({@link SpecialAddresses}) are refused; the LOCAL ones (loopback, private, link-local, shared)
 * are opened by {@code pers.outbound.allow-private-targets} (benches, tests) or for a tenant that
 * opted in ({@link LocalTargets}); cloud metadata addresses never. It is also the HTTP clients' DNS
 * resolver: the addresses it checks are the ones connected to, so a name cannot resolve to a public
 * address for the check and a private one for the connection. Clients using it follow no
 * redirects.
 */
@Component
public class OutboundGuard implements DnsResolver {

    /** AWS/GCP/Azure/OpenStack, AWS ECS task metadata, Alibaba, AWS IPv6 metadata. */
    private static final Set<String> METADATA =
            Set.of("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

    /** A refused target; an {@link UnknownHostException} so an HTTP client gives up on the host. */
    public static final class Refused extends UnknownHostException {
        Refused(String message) {
            super(message);
        }
    }

    private final boolean allowPrivate;
    private final LocalTargets localTargets;

    public OutboundGuard(
            @Value("${pers.outbound.allow-private-targets:false}") boolean allowPrivate, LocalTargets localTargets) {
        this.allowPrivate = allowPrivate;
        this.localTargets = localTargets;
    }

    /**
     * Checks a URL before it is stored: shape, scheme, and where it resolves now; refused with
     * {@code refusedCode} (the caller's stable code) or VALIDATION_FAILED for a malformed URL.
     */
    public URI check(String url, ErrorCode refusedCode) {
        URI uri = parse(url);
        try {
            resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw new PersException(
                    refusedCode,
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

    /** Why an address may not be called, or null when it may. */
    public String refusal(InetAddress address) {
        if (METADATA.contains(address.getHostAddress())) {
            return "a cloud metadata";
        }
        SpecialAddresses.Block block = SpecialAddresses.of(address);
        if (block == null) {
            return null;
        }
        if (block.kind() == SpecialAddresses.Kind.LOCAL && (allowPrivate || localTargets.allowedForCurrentTenant())) {
            return null;
        }
        return block.name();
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
}
