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
import io.swagger.v3.oas.annotations.Operation;
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

    @Operation(
            operationId = "createUser",
            summary = "Create a user",
            description = "Creates an end user of the tenant, known by `email` or `externalId` (one is required; each "
                    + "unique in the tenant), with a name and custom data.")
    @PostMapping("/v2/users")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow({Role.ADMIN, Role.SYSTEM})
    User create(@Valid @RequestBody UserBody body) {
        if (body.email() == null && body.externalId() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "email or externalId is required");
        }
        return users.create(body.toProfile());
    }

    @Operation(
            operationId = "listUsers",
            summary = "List users",
            description = "The tenant's users, optionally the one with an `email`; paged, sortable by `createdAt`, "
                    + "`email` or `lastName`.")
    @GetMapping("/v2/users")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Page<User> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) String email) {
        return users.list(PageQuery.of(page, size, sort, SORTABLE), email);
    }

    @Operation(operationId = "getMe", summary = "Get my profile", description = "The signed-in user's profile.")
    @GetMapping("/v2/users/me")
    @Allow(Role.USER)
    User me() {
        return users.find(CurrentCaller.get().subjectId());
    }

    @Operation(
            operationId = "updateMe",
            summary = "Update my profile",
            description = "Changes the signed-in user's name and custom data; not the email or external id, which their"
                    + " identity provider owns.")
    @PatchMapping("/v2/users/me")
    @Allow(Role.USER)
    User updateMe(@Valid @RequestBody SelfBody body) {
        return users.update(
                CurrentCaller.get().subjectId(),
                new Profile(null, null, body.firstName(), body.lastName(), body.customData()));
    }

    @Operation(operationId = "getUser", summary = "Get a user", description = "One user of the tenant.")
    @GetMapping("/v2/users/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    User get(@PathVariable UUID id) {
        return users.find(id);
    }

    @Operation(
            operationId = "updateUser",
            summary = "Update a user",
            description = "Changes a user's profile; fields left out keep their value.")
    @PatchMapping("/v2/users/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    User update(@PathVariable UUID id, @Valid @RequestBody UserBody body) {
        return users.update(id, body.toProfile());
    }
}
