package io.pers.api;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Maps every failure to problem+json with a stable code. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(PersException.class)
    ResponseEntity<ProblemDetail> pers(PersException e) {
        ResponseEntity<ProblemDetail> response = respond(e.code(), e.getMessage());
        e.properties().forEach(response.getBody()::setProperty);
        if (e.retryAfterSeconds() != null) {
            return ResponseEntity.status(response.getStatusCode())
                    .headers(response.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                    .body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        if (root instanceof RequestSizeLimitFilter.PayloadTooLargeException) {
            return respond(ErrorCode.PAYLOAD_TOO_LARGE, root.getMessage());
        }
        if (root instanceof UnrecognizedPropertyException unknown) {
            return respond(ErrorCode.UNKNOWN_FIELD, "Unknown field '" + unknown.getPropertyName() + "'");
        }
        if (root instanceof PersException pers) {
            return respond(pers.code(), pers.getMessage());
        }
        if (root instanceof DatabindException bad) {
            // Valid JSON of the wrong shape: a value of the wrong type, an array for an object.
            String field = bad.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            if (field.isEmpty()) {
                return respond(ErrorCode.VALIDATION_FAILED, "Body has the wrong shape");
            }
            ResponseEntity<ProblemDetail> response =
                    respond(ErrorCode.VALIDATION_FAILED, "Field '" + field + "' has an invalid value");
            response.getBody().setProperty("field", field.replace(".[", "["));
            return response;
        }
        return respond(ErrorCode.MALFORMED_JSON, "Body could not be read as JSON");
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.of("field", f.getField(), "detail", String.valueOf(f.getDefaultMessage())))
                .sorted(Comparator.comparing((Map<String, String> f) -> f.get("field"))
                        .thenComparing(f -> f.get("detail")))
                .toList();
        String detail = errors.stream()
                .map(f -> f.get("field") + ": " + f.get("detail"))
                .collect(Collectors.joining("; "));
        ResponseEntity<ProblemDetail> response = respond(ErrorCode.VALIDATION_FAILED, detail);
        if (!errors.isEmpty()) {
            response.getBody().setProperty("field", errors.get(0).get("field"));
            response.getBody().setProperty("errors", errors);
        }
        return response;
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameter(HandlerMethodValidationException e) {
        return respond(ErrorCode.VALIDATION_FAILED, e.getMessage());
    }

    @ExceptionHandler({
        MethodArgumentTypeMismatchException.class,
        MissingServletRequestParameterException.class,
        MissingRequestHeaderException.class
    })
    ResponseEntity<ProblemDetail> badParameter(Exception e) {
        return respond(ErrorCode.VALIDATION_FAILED, e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(ErrorCode.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return respond(ErrorCode.METHOD_NOT_ALLOWED, e.getMessage());
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<ProblemDetail> noRoute(Exception e) {
        return respond(ErrorCode.NOT_FOUND, "No such endpoint");
    }

    /** A unique key the request collided with; the handlers translate the ones they expect. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
        log.info(
                "Integrity violation: {}",
                NestedExceptionUtils.getMostSpecificCause(e).getMessage());
        return respond(ErrorCode.ALREADY_EXISTS, "Conflicts with an existing resource");
    }

    @ExceptionHandler(TransientDataAccessException.class)
    ResponseEntity<ProblemDetail> transientFailure(TransientDataAccessException e) {
        log.warn("Transient database failure", e);
        return respond(ErrorCode.SERVICE_UNAVAILABLE, "Please retry");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unhandled failure", e);
        return respond(ErrorCode.INTERNAL_ERROR, "Unexpected error; quote the correlation id");
    }

    private static ResponseEntity<ProblemDetail> respond(ErrorCode code, String detail) {
        return ResponseEntity.status(code.status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(code, detail));
    }
}
