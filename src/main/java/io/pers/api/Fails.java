package io.pers.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The codes a handler's own rules may answer with, published in the OpenAPI document under their
 * statuses. Codes any operation of its kind may answer (authentication, a malformed body, an
 * unknown id in the path, a reused Idempotency-Key) are added by {@link OperationContract}; list
 * here only what this operation decides.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Fails {
    ErrorCode[] value();
}
