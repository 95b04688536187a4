package io.pers.conversion;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.conversion.ConversionRates.Rate;
import io.pers.conversion.Conversions.Conversion;
import io.pers.ledger.Ledger.Actor;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Exchange rates between tokens, and conversions of the caller's tokens at them. */
@RestController
class ConversionController {

    record RateBody(
            @NotNull UUID fromTokenId,
            @NotNull UUID toTokenId,
            @NotNull BigInteger numerator,
            @NotNull BigInteger denominator) {}

    record ConversionBody(
            @NotNull UUID fromTokenId,
            @NotNull UUID toTokenId,
            @NotNull BigInteger amount,
            @Min(1) Integer rateVersion) {}

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "c.created_at");

    private final ConversionRates rates;
    private final Conversions conversions;

    ConversionController(ConversionRates rates, Conversions conversions) {
        this.rates = rates;
        this.conversions = conversions;
    }

    /** Publishes the next version of the pair's rate; earlier versions stay as they were. */
    @Operation(
            operationId = "publishConversionRate",
            summary = "Publish a conversion rate",
            description = "Publishes the next version of the rate from one token to another: `amount * numerator / "
                    + "denominator` (integers). Earlier versions stay as they were; conversions may pin the version"
                    + " they quote.")
    @Fails({ErrorCode.INVALID_AMOUNT})
    @PostMapping("/v2/conversions/rates")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Rate publish(@Valid @RequestBody RateBody body) {
        return rates.publish(body.fromTokenId(), body.toTokenId(), body.numerator(), body.denominator());
    }

    /** The rates in force, or with {@code history=true} every version. */
    @Operation(
            operationId = "listConversionRates",
            summary = "List conversion rates",
            description = "The rates in force, or with `history=true` every version. Open to any caller of the tenant.")
    @GetMapping("/v2/conversions/rates")
    @Allow(Role.PUBLIC)
    List<Rate> rates(
            @RequestParam(required = false) UUID fromTokenId,
            @RequestParam(required = false) UUID toTokenId,
            @RequestParam(defaultValue = "false") boolean history) {
        return rates.list(fromTokenId, toTokenId, history);
    }

    /** Converts the caller's own tokens: a user's, or a business's. */
    @Operation(
            operationId = "convertTokens",
            summary = "Convert my tokens",
            description = "Converts `amount` of the caller's own tokens (a user's or a business's) from one token to "
                    + "another at the rate in force, in one ledger entry. With `rateVersion`, it is refused with "
                    + "409 `RATE_SUPERSEDED` if that is no longer the rate in force, so a quoted rate is never "
                    + "silently changed.")
    @Fails({
        ErrorCode.INVALID_AMOUNT,
        ErrorCode.INSUFFICIENT_BALANCE,
        ErrorCode.BALANCE_OVERFLOW,
        ErrorCode.TOKEN_INACTIVE,
        ErrorCode.RATE_SUPERSEDED
    })
    @PostMapping("/v2/conversions")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow({Role.USER, Role.BUSINESS})
    Conversion convert(@Valid @RequestBody ConversionBody body) {
        Principal caller = CurrentCaller.get();
        return conversions.convert(
                owner(caller),
                body.fromTokenId(),
                body.toTokenId(),
                body.amount(),
                body.rateVersion(),
                new Actor(caller.role().name(), caller.subjectId().toString()));
    }

    /** A user or business sees its own conversions; admins and systems the tenant's. */
    @Operation(
            operationId = "listConversions",
            summary = "List conversions",
            description = "Conversions, newest first; paged. A user or business sees its own; admins and systems the "
                    + "tenant's.")
    @GetMapping("/v2/conversions")
    @Allow({Role.USER, Role.BUSINESS, Role.ADMIN, Role.SYSTEM})
    Page<Conversion> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        Principal caller = CurrentCaller.get();
        boolean own = caller.role() == Role.USER || caller.role() == Role.BUSINESS;
        return conversions.list(own ? owner(caller) : null, PageQuery.of(page, size, sort, SORTABLE));
    }

    private static Owner owner(Principal caller) {
        return caller.role() == Role.BUSINESS
                ? new Owner(OwnerType.BUSINESS, caller.businessId())
                : new Owner(OwnerType.USER, caller.subjectId());
    }
}
