package io.pers.expression;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * CEL (Common Expression Language) for what marketing ops configure: trigger conditions now,
 * amount expressions later. CEL is sandboxed (no I/O, no loops without bounds, always
 * terminates), so tenants' expressions can run inside claim decisions. Expressions are checked
 * when saved, with the position of an error, and compiled once.
 *
 * <p>Variables: {@code user} (id, email, externalId, firstName, lastName, customData),
 * {@code claim} (multiplier, latitude, longitude, countryCode, businessId, triggerSourceId) and
 * {@code data} (the claim's conditionsData or the event's data). All are maps of dynamic values.
 * Trigger mappings see one variable, {@code event}: the canonical trigger (CloudEvents 1.0 JSON);
 * segments one, {@code user}.
 */
@Component
public class Expressions {

    private static final Logger log = LoggerFactory.getLogger(Expressions.class);
    private static final CelType MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final int CACHE_LIMIT = 10_000;

    /**
     * uint carries integers between 2^63 and 2^64-1 exactly; heterogeneous comparisons let a
     * condition such as {@code data.amount > 100} compare a uint (or double) with an int literal
     * instead of failing for want of an overload.
     */
    private static final CelOptions OPTIONS = CelOptions.current()
            .enableUnsignedLongs(true)
            .enableHeterogeneousNumericComparisons(true)
            .build();

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("user", MAP)
            .addVar("claim", MAP)
            .addVar("data", MAP)
            .setResultType(SimpleType.BOOL)
            .build();
    /** Trigger mappings judge the canonical event alone: {@code event} (CloudEvents 1.0 JSON as a map). */
    private final CelCompiler eventConditions = eventCompiler(SimpleType.BOOL);

    private final CelCompiler eventIntegers = eventCompiler(SimpleType.INT);

    /** Segments judge a user alone: {@code user} (profile, customData, tier, activity). */
    private final CelCompiler userConditions = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("user", MAP)
            .setResultType(SimpleType.BOOL)
            .build();

    /** References (an order id) and money amounts: int, uint, double or a decimal string. */
    private final CelCompiler eventValues = eventCompiler(SimpleType.DYN);

    private final CelRuntime runtime =
            CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

    /** Refuses the first expression that does not compile to a boolean, naming where it fails. */
    public void validateConditions(String field, List<String> expressions) {
        for (int i = 0; i < expressions.size(); i++) {
            try {
                compile(expressions.get(i));
            } catch (CelValidationException e) {
                throw new PersException(ErrorCode.INVALID_EXPRESSION, field + "[" + i + "]: " + describe(e));
            }
        }
    }

    /** Refuses a condition over {@code event} that does not compile to a boolean, naming where it fails. */
    public void validateEventCondition(String field, String expression) {
        validate(eventConditions, field, expression);
    }

    /** Refuses an expression over {@code event} that does not compile to an int, naming where it fails. */
    public void validateEventInteger(String field, String expression) {
        validate(eventIntegers, field, expression);
    }

    /** True when the condition over {@code event} holds; one failing at run time does not. */
    public boolean holdsOnEvent(String expression, Map<String, Object> event) {
        return Boolean.TRUE.equals(evalOnEvent(eventConditions, "b:" + expression, expression, event));
    }

    /** Refuses a condition over {@code user} that does not compile to a boolean, naming where it fails. */
    public void validateUserCondition(String field, String expression) {
        validate(userConditions, field, expression);
    }

    /** True when the condition over {@code user} holds; one failing at run time (a missing key) does not. */
    public boolean holdsForUser(String expression, Map<String, Object> user) {
        return Boolean.TRUE.equals(eval(userConditions, "u:" + expression, expression, Map.of("user", user)));
    }

    /** The int the expression over {@code event} gives, or empty when it fails at run time. */
    public java.util.OptionalLong integerOnEvent(String expression, Map<String, Object> event) {
        Object value = evalOnEvent(eventIntegers, "i:" + expression, expression, event);
        return value instanceof Long l ? java.util.OptionalLong.of(l) : java.util.OptionalLong.empty();
    }

    /** Refuses an expression over {@code event} that does not compile, naming where it fails. */
    public void validateEventValue(String field, String expression) {
        validate(eventValues, field, expression);
    }

    /**
     * The expression's value as text (a string, or an integer written in decimal), or empty when
     * it fails at run time or gives anything else: an order reference must compare exactly.
     */
    public Optional<String> textOnEvent(String expression, Map<String, Object> event) {
        Object value = evalOnEvent(eventValues, "v:" + expression, expression, event);
        if (value instanceof String s && !s.isBlank()) {
            return Optional.of(s);
        }
        return value instanceof Long || value instanceof UnsignedLong
                ? Optional.of(value.toString())
                : Optional.empty();
    }

    /**
     * The expression's value as an exact decimal (vendors send money as decimal strings such as
     * {@code "12.50"}; a double is read by its shortest decimal form), or empty when it fails, is
     * not a number, or is negative.
     */
    public Optional<BigDecimal> decimalOnEvent(String expression, Map<String, Object> event) {
        Object value = evalOnEvent(eventValues, "v:" + expression, expression, event);
        try {
            BigDecimal decimal;
            if (value instanceof String s) {
                decimal = new BigDecimal(s.strip());
            } else if (value instanceof Long || value instanceof UnsignedLong) {
                decimal = new BigDecimal(value.toString());
            } else if (value instanceof Double d && Double.isFinite(d)) {
                decimal = BigDecimal.valueOf(d);
            } else {
                return Optional.empty();
            }
            return decimal.signum() < 0 ? Optional.empty() : Optional.of(decimal);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static CelCompiler eventCompiler(CelType result) {
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("event", MAP)
                .setResultType(result)
                .build();
    }

    private static void validate(CelCompiler compiler, String field, String expression) {
        try {
            compiler.compile(expression).getAst();
        } catch (CelValidationException e) {
            throw new PersException(ErrorCode.INVALID_EXPRESSION, field + ": " + describe(e));
        }
    }

    private Object evalOnEvent(CelCompiler compiler, String cacheKey, String expression, Map<String, Object> event) {
        return eval(compiler, cacheKey, expression, Map.of("event", event));
    }

    private Object eval(CelCompiler compiler, String cacheKey, String expression, Map<String, Object> variables) {
        try {
            CelRuntime.Program program = programs.get(cacheKey);
            if (program == null) {
                program = runtime.createProgram(compiler.compile(expression).getAst());
                if (programs.size() > CACHE_LIMIT) {
                    programs.clear();
                }
                programs.put(cacheKey, program);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) celValues(variables);
            return program.eval(values);
        } catch (CelValidationException | CelEvaluationException e) {
            return null;
        } catch (OutOfRangeException e) {
            log.warn("Expression '{}' gives nothing: {}", expression, e.getMessage());
            return null;
        }
    }

    /**
     * True when the condition holds; an expression that fails at run time (a missing key) does not
     * hold, and neither does one given an integer beyond CEL's 64-bit range, which it could only
     * compare inexactly.
     */
    public boolean holds(String expression, Map<String, Object> variables) {
        try {
            CelRuntime.Program program = programs.get(expression);
            if (program == null) {
                program = runtime.createProgram(compile(expression));
                if (programs.size() > CACHE_LIMIT) {
                    programs.clear();
                }
                programs.put(expression, program);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) celValues(variables);
            return Boolean.TRUE.equals(program.eval(values));
        } catch (CelValidationException | CelEvaluationException e) {
            return false;
        } catch (OutOfRangeException e) {
            log.warn("Condition '{}' does not hold: {}", expression, e.getMessage());
            return false;
        }
    }

    /**
     * CEL's integers are 64-bit (int, or uint up to 2^64-1) and its decimals double: JSON's
     * narrower numbers are widened, wider integers kept exact or refused, never wrapped.
     */
    static Object celValues(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, celValues(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Expressions::celValues).toList();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return integer(big);
        }
        if (value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        return value;
    }

    private static Object integer(BigInteger value) {
        if (value.bitLength() < Long.SIZE) {
            return value.longValue();
        }
        if (value.signum() > 0 && value.compareTo(UINT64_MAX) <= 0) {
            return UnsignedLong.valueOf(value);
        }
        throw new OutOfRangeException(value);
    }

    /** An integer CEL cannot hold exactly (below -2^63 or above 2^64-1). */
    static final class OutOfRangeException extends RuntimeException {
        OutOfRangeException(BigInteger value) {
            super("integer " + value + " is outside CEL's range (-2^63 .. 2^64-1)");
        }
    }

    private CelAbstractSyntaxTree compile(String expression) throws CelValidationException {
        return compiler.compile(expression).getAst();
    }

    private static String describe(CelValidationException e) {
        return e.getErrors().stream().map(Expressions::describe).collect(Collectors.joining("; "));
    }

    private static String describe(CelIssue issue) {
        var at = issue.getSourceLocation();
        return "line " + at.getLine() + ", column " + at.getColumn() + ": " + issue.getMessage();
    }
}
