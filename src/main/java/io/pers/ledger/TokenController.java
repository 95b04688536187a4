package io.pers.ledger;

import io.pers.api.Allow;
import io.pers.api.Role;
import io.pers.ledger.Tokens.Supply;
import io.pers.ledger.Tokens.Token;
import io.pers.ledger.Tokens.Type;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TokenController {

    record CreateToken(
            @NotNull Type type,
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Pattern(regexp = "[A-Z0-9]{1,11}") String symbol,
            @NotNull @Min(0) @Max(36) Integer decimals,
            ExpiryPolicy expiry) {}

    /** {@code expiry} left out keeps the policy; {@code {"type":"NONE"}} removes it. */
    record UpdateToken(@Size(min = 1, max = 100) String name, Boolean active, ExpiryPolicy expiry) {}

    private final Tokens tokens;

    TokenController(Tokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping("/v2/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Token create(@Valid @RequestBody CreateToken body) {
        return tokens.create(body.type(), body.name(), body.symbol(), body.decimals(), body.expiry());
    }

    @GetMapping("/v2/tokens")
    @Allow(Role.PUBLIC)
    List<Token> list(@RequestParam(required = false) Boolean active, @RequestParam(required = false) Type type) {
        return tokens.list(active, type);
    }

    @GetMapping("/v2/tokens/{id}")
    @Allow(Role.PUBLIC)
    Token get(@PathVariable UUID id) {
        return tokens.find(id);
    }

    @PatchMapping("/v2/tokens/{id}")
    @Allow(Role.ADMIN)
    Token update(@PathVariable UUID id, @Valid @RequestBody UpdateToken body) {
        return tokens.update(id, body.name(), body.active(), body.expiry());
    }

    @GetMapping("/v2/tokens/{id}/supply")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Supply supply(@PathVariable UUID id) {
        return tokens.supply(id);
    }
}
