package io.pers.api;

/** A failure the caller can act on; rendered as problem+json with its {@link ErrorCode}. */
public class PersException extends RuntimeException {

    private final ErrorCode code;

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
}
