package io.pers.stack;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Chain RPC URLs as they may be shown: providers put their key in the path, the query or the
 * user info ({@code https://eth-mainnet.g.alchemy.com/v2/KEY}, {@code https://mainnet.infura.io/v3/KEY},
 * {@code https://user:pass@node.example}), so only {@code scheme://host[:port]} ever leaves PERS in
 * health output, API answers and logs. The full URL is used only to connect.
 */
public final class RpcUrls {

    private RpcUrls() {}

    /** {@code scheme://host[:port]}; a string that is not a URL becomes {@code [redacted]}. */
    public static String redact(String rpcUrl) {
        if (rpcUrl == null) {
            return null;
        }
        try {
            URI uri = new URI(rpcUrl.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "[redacted]";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        } catch (URISyntaxException e) {
            return "[redacted]";
        }
    }

    /** {@code text} with every occurrence of the URL, or of its path and query, replaced by the redacted form. */
    public static String scrub(String text, String rpcUrl) {
        if (text == null || rpcUrl == null || rpcUrl.isBlank()) {
            return text;
        }
        String scrubbed = text.replace(rpcUrl, redact(rpcUrl));
        try {
            URI uri = new URI(rpcUrl.strip());
            for (String part : new String[] {uri.getRawUserInfo(), uri.getRawQuery(), uri.getRawPath()}) {
                if (part != null && part.length() > 1) {
                    scrubbed = scrubbed.replace(part, "[redacted]");
                }
            }
        } catch (URISyntaxException e) {
            // redact() already replaced what could be matched
        }
        return scrubbed;
    }
}
