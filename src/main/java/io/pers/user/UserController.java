package io.pers.user;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Role;
import io.pers.user.Users.Profile;
import io.pers.user.Users.User;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;
import java.util.Map;
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
class UserController {

    record UserBody(
            @Email @Size(max = 320) String email,
            @Size(min = 1, max = 200) String externalId,
            @Size(max = 200) String firstName,
            @Size(max = 200) String lastName,
            @Size(max = 100) Map<String, Object> customData) {
        Profile toProfile() {
            return new Profile(email, externalId, firstName, lastName, customData);
        }
    }

    /** What users may change about themselves: not the identifiers their identity provider owns. */
    record SelfBody(
            @Size(max = 200) String firstName,
            @Size(max = 200) String lastName,
            @Size(max = 100) Map<String, Object> customData) {}

    private static final Map<String, String> SORTABLE =
            Map.of("createdAt", "created_at", "email", "email", "lastName", "last_name");

    private final Users users;

    UserController(Users users) {
        this.users = users;
    }

    @PostMapping("/v2/users")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow({Role.ADMIN, Role.SYSTEM})
    User create(@Valid @RequestBody UserBody body) {
        if (body.email() == null && body.externalId() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "email or externalId is required");
        }
        return users.create(body.toProfile());
    }

    @GetMapping("/v2/users")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Page<User> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) String email) {
        return users.list(PageQuery.of(page, size, sort, SORTABLE), email);
    }

    @GetMapping("/v2/users/me")
    @Allow(Role.USER)
    User me() {
        return users.find(CurrentCaller.get().subjectId());
    }

    @PatchMapping("/v2/users/me")
    @Allow(Role.USER)
    User updateMe(@Valid @RequestBody SelfBody body) {
        return users.update(
                CurrentCaller.get().subjectId(),
                new Profile(null, null, body.firstName(), body.lastName(), body.customData()));
    }

    @GetMapping("/v2/users/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    User get(@PathVariable UUID id) {
        return users.find(id);
    }

    @PatchMapping("/v2/users/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    User update(@PathVariable UUID id, @Valid @RequestBody UserBody body) {
        return users.update(id, body.toProfile());
    }
}
