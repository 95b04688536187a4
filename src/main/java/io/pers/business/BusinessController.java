package io.pers.business;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Role;
import io.pers.business.Businesses.Business;
import io.pers.business.Businesses.BusinessType;
import io.pers.business.Businesses.Details;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class BusinessController {

    record TypeBody(@NotBlank @Size(max = 100) String name) {}

    /** Create and update share one shape; fields left out of an update keep their value. */
    record BusinessBody(
            @Size(min = 1, max = 200) String name,
            UUID businessTypeId,
            @Email @Size(max = 320) String email,
            @Size(max = 2000) String description,
            Boolean active) {
        Details toDetails() {
            return new Details(name, businessTypeId, email, description, active);
        }
    }

    record MemberBody(@NotNull UUID userId) {}

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "name", "name");

    private final Businesses businesses;

    BusinessController(Businesses businesses) {
        this.businesses = businesses;
    }

    @Operation(
            operationId = "createBusinessType",
            summary = "Create a business type",
            description = "A kind of business (shop, restaurant, partner...) businesses are classified by.")
    @PostMapping("/v2/businesses/types")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    BusinessType createType(@Valid @RequestBody TypeBody body) {
        return businesses.createType(body.name());
    }

    @Operation(
            operationId = "listBusinessTypes",
            summary = "List business types",
            description = "The tenant's business types. Open to any caller of the tenant.")
    @GetMapping("/v2/businesses/types")
    @Allow(Role.PUBLIC)
    List<BusinessType> types() {
        return businesses.types();
    }

    @Operation(
            operationId = "createBusiness",
            summary = "Create a business",
            description = "Creates a business of the tenant (a shop, venue or partner) that can hold tokens, award "
                    + "campaigns it is engaged with and receive redeems. `name` is required.")
    @PostMapping("/v2/businesses")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Business create(@Valid @RequestBody BusinessBody body) {
        if (body.name() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "name is required");
        }
        return businesses.create(body.toDetails());
    }

    @Operation(
            operationId = "listBusinesses",
            summary = "List businesses",
            description = "The tenant's businesses. Open to any caller of the tenant.")
    @GetMapping("/v2/businesses")
    @Allow(Role.PUBLIC)
    Page<Business> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Boolean active) {
        return businesses.list(PageQuery.of(page, size, sort, SORTABLE), active);
    }

    @Operation(
            operationId = "getMyBusiness",
            summary = "Get my business",
            description = "The business the signed-in BUSINESS caller acts for.")
    @GetMapping("/v2/businesses/me")
    @Allow(Role.BUSINESS)
    Business me() {
        return businesses.find(CurrentCaller.get().businessId());
    }

    @Operation(
            operationId = "getBusiness",
            summary = "Get a business",
            description = "One business of the tenant. Open to any caller of the tenant.")
    @GetMapping("/v2/businesses/{id}")
    @Allow(Role.PUBLIC)
    Business get(@PathVariable UUID id) {
        return businesses.find(id);
    }

    @Operation(
            operationId = "updateBusiness",
            summary = "Update a business",
            description = "Changes a business; fields left out keep their value.")
    @PatchMapping("/v2/businesses/{id}")
    @Allow(Role.ADMIN)
    Business update(@PathVariable UUID id, @Valid @RequestBody BusinessBody body) {
        return businesses.update(id, body.toDetails());
    }

    @Operation(
            operationId = "addBusinessMember",
            summary = "Add a member to a business",
            description = "Makes a user a member of the business: the user may then sign in as the business (role "
                    + "BUSINESS, with `businessId` when a member of several).")
    @PostMapping("/v2/businesses/{id}/members")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void addMember(@PathVariable UUID id, @Valid @RequestBody MemberBody body) {
        businesses.addMember(id, body.userId());
    }

    @Operation(
            operationId = "removeBusinessMember",
            summary = "Remove a member from a business",
            description = "The user may no longer act for the business.")
    @DeleteMapping("/v2/businesses/{id}/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void removeMember(@PathVariable UUID id, @PathVariable UUID userId) {
        businesses.removeMember(id, userId);
    }

    @Operation(
            operationId = "listBusinessMembers",
            summary = "List a business's members",
            description = "The ids of the users who are members of the business.")
    @GetMapping("/v2/businesses/{id}/members")
    @Allow(Role.ADMIN)
    List<UUID> members(@PathVariable UUID id) {
        return businesses.members(id);
    }
}
