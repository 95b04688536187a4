package io.pers.auth;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.api.Unauthenticated;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks the caller's role against the handler's {@link Allow}. Fails closed: a {@code /v2}
 * handler with neither {@link Allow} nor {@link Unauthenticated} is refused to everyone.
 * A PUBLIC endpoint is open to any caller of the tenant, signed in or not.
 */
class AccessInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || method.hasMethodAnnotation(Unauthenticated.class)) {
            return true;
        }
        Allow allow = Optional.ofNullable(method.getMethodAnnotation(Allow.class))
                .orElseGet(() -> method.getBeanType().getAnnotation(Allow.class));
        if (allow == null) {
            throw new PersException(ErrorCode.FORBIDDEN, "Endpoint has no access rule");
        }
        Principal caller = CurrentCaller.find()
                .orElseThrow(() -> new PersException(
                        ErrorCode.AUTHENTICATION_REQUIRED,
                        "Send a bearer token, an x-api-key, or for public endpoints an x-project-key"));
        boolean publicEndpoint = Arrays.asList(allow.value()).contains(Role.PUBLIC) && caller.tenantId() != null;
        if (!publicEndpoint && !Arrays.asList(allow.value()).contains(caller.role())) {
            throw new PersException(
                    caller.role() == Role.PUBLIC ? ErrorCode.AUTHENTICATION_REQUIRED : ErrorCode.FORBIDDEN,
                    "This endpoint is for " + Arrays.toString(allow.value()) + "; the caller is " + caller.role());
        }
        return true;
    }
}
