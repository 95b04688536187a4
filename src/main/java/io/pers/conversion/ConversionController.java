package io.pers.conversion;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.conversion.ConversionRates.Rate;
import io.pers.conversion.Conversions.Conversion;
import io.pers.ledger.Ledger.Actor;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
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
    @PostMapping("/v2/conversions/rates")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Rate publish(@Valid @RequestBody RateBody body) {
        return rates.publish(body.fromTokenId(), body.toTokenId(), body.numerator(), body.denominator());
    }

    /** The rates in force, or with {@code history=true} every version. */
    @GetMapping("/v2/conversions/rates")
    @Allow(Role.PUBLIC)
    List<Rate> rates(
            @RequestParam(required = false) UUID fromTokenId,
            @RequestParam(required = false) UUID toTokenId,
            @RequestParam(defaultValue = "false") boolean history) {
        return rates.list(fromTokenId, toTokenId, history);
    }

    /** Converts the caller's own tokens: a user's, or a business's. */
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
