package io.pers.file;

import io.pers.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * AWS Signature Version 4 for S3 requests in the Authorization header, written from AWS's
 * published specification ("Authenticating Requests: Using the Authorization Header"): a
 * canonical request (method, URI-encoded path, sorted query, lower-cased sorted headers, signed
 * header names, payload hash), a string to sign over its SHA-256 and the credential scope, and
 * an HMAC-SHA256 chain from {@code "AWS4" + secret} through date, region, service and
 * {@code aws4_request}. SigV4Test checks it against AWS's documented example.
 */
final class SigV4 {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** The request as signed: path and query not yet encoded; headers include host and x-amz-*. */
    record Request(
            String method, String path, Map<String, String> query, Map<String, String> headers, String payloadSha256) {}

    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final String service;

    SigV4(String accessKey, String secretKey, String region, String service) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
        this.service = service;
    }

    /** The Authorization header's value for the request made at {@code at} (its x-amz-date). */
    String authorization(Request request, Instant at) {
        String amzDate = AMZ_DATE.format(at);
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        Map<String, String> headers = new TreeMap<>();
        request.headers()
                .forEach((name, value) ->
                        headers.put(name.toLowerCase(), value.trim().replaceAll(" +", " ")));
        String signedHeaders = String.join(";", headers.keySet());
        String canonical = String.join(
                "\n",
                request.method(),
                encodePath(request.path()),
                canonicalQuery(request.query()),
                headers.entrySet().stream()
                        .map(h -> h.getKey() + ":" + h.getValue() + "\n")
                        .collect(Collectors.joining()),
                signedHeaders,
                request.payloadSha256());
        String stringToSign = String.join("\n", ALGORITHM, amzDate, scope, hex(Secrets.sha256(canonical)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));
        return ALGORITHM + " Credential=" + accessKey + "/" + scope + ",SignedHeaders=" + signedHeaders + ",Signature="
                + signature;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Each segment URI-encoded (RFC 3986 unreserved characters kept), slashes kept. */
    static String encodePath(String path) {
        return Arrays.stream(path.split("/", -1)).map(SigV4::encode).collect(Collectors.joining("/"));
    }

    private static String canonicalQuery(Map<String, String> query) {
        return new TreeMap<>(query)
                .entrySet().stream()
                        .map(q -> encode(q.getKey()) + "=" + encode(q.getValue()))
                        .collect(Collectors.joining("&"));
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] hmac(byte[] key, String data) {
        return Secrets.hmacSha256(key, data.getBytes(StandardCharsets.UTF_8));
    }
}
