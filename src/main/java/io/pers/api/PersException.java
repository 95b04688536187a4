package io.pers.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** A failure the caller can act on; rendered as problem+json with its {@link ErrorCode}. */
public class PersException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private Long retryAfterSeconds;

    public PersException(ErrorCode code, String detail) {
        super(detail);
        this.code = code;
    }

    public PersException(ErrorCode code) {
        this(code, code.title());
    }

    public static PersException notFound(String what) {
        return new PersException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public ErrorCode code() {
        return code;
    }

    /** An extra member of the problem body, e.g. the id of the claim that was rejected. */
    public PersException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** Sent as the answer's Retry-After header. */
    public PersException retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
