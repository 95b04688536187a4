package io.pers.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.IdentityProvider;
import io.pers.support.TenantFixture;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Users, businesses and their types through the API, as a tenant's admin and its people use them. */
class PeopleIT extends ApiTest {

    @Test
    void adminsManageUsersWithPagingSortingAndUniqueIdentifiers() {
        TenantFixture tenant = newTenant();
        for (String name : new String[] {"carol", "alice", "bob"}) {
            Api.Response created = tenant.admin()
                    .post(
                            "/v2/users",
                            Map.of(
                                    "email",
                                    name + "@people.test",
                                    "firstName",
                                    name,
                                    "customData",
                                    Map.of("city", "Lisbon", "visits", 3)));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }

        Api.Response page = tenant.admin().get("/v2/users?size=2&page=0&sort=email,asc");
        assertThat(page.json().path("total").asLong()).isEqualTo(3);
        assertThat(page.json().path("items").findValuesAsString("email"))
                .containsExactly("alice@people.test", "bob@people.test");
        assertThat(tenant.admin()
                        .get("/v2/users?size=2&page=1&sort=email,asc")
                        .json()
                        .path("items")
                        .get(0)
                        .path("email")
                        .asString())
                .isEqualTo("carol@people.test");
        assertThat(tenant.admin()
                        .get("/v2/users?email=BOB@people.test")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);

        Api.Response duplicate = tenant.admin().post("/v2/users", Map.of("email", "alice@people.test"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo("ALREADY_EXISTS");
        Api.Response nameless = tenant.admin().post("/v2/users", Map.of("firstName", "nobody"));
        assertThat(nameless.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(tenant.admin().get("/v2/users").json().path("total").asLong())
                .isEqualTo(3);

        String alice = tenant.admin()
                .get("/v2/users?email=alice@people.test")
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asString();
        Api.Response renamed = tenant.admin().patch("/v2/users/" + alice, Map.of("lastName", "Liddell"));
        assertThat(renamed.text("lastName")).isEqualTo("Liddell");
        assertThat(renamed.json().path("customData").path("visits").asInt()).isEqualTo(3);
    }

    @Test
    void aSignedInUserSeesAndEditsOnlyTheirOwnProfile() {
        TenantFixture tenant = newTenant();
        tenant.admin().patch("/v2/tenants/me", IdentityProvider.tenantSettings());
        Api.Response token = tenant.anonymous()
                .post(
                        "/v2/auth/token",
                        Map.of(
                                "grantType",
                                "EXTERNAL_JWT",
                                "idToken",
                                IdentityProvider.idToken("sub-42", "dana@people.test")));
        Api user = tenant.anonymous().bearer(token.text("accessToken"));

        Api.Response me = user.get("/v2/users/me");
        assertThat(me.text("externalId")).isEqualTo("sub-42");
        assertThat(me.text("email")).isEqualTo("dana@people.test");
        assertThat(user.patch("/v2/users/me", Map.of("firstName", "Dana")).text("firstName"))
                .isEqualTo("Dana");
        Api.Response identifiers = user.patch("/v2/users/me", Map.of("email", "someone-else@people.test"));
        assertThat(identifiers.code())
                .as("users cannot change what their identity provider owns")
                .isEqualTo("UNKNOWN_FIELD");
        assertThat(user.get("/v2/users").status()).isEqualTo(403);
        assertThat(user.get("/v2/users/" + me.text("id")).status()).isEqualTo(403);
    }

    @Test
    void businessesHaveTypesMembersAndAPublicListing() {
        TenantFixture tenant = newTenant();
        Api.Response type = tenant.admin().post("/v2/businesses/types", Map.of("name", "Cafe"));
        assertThat(type.status()).isEqualTo(201);
        assertThat(tenant.admin()
                        .post("/v2/businesses/types", Map.of("name", "Cafe"))
                        .status())
                .isEqualTo(409);
        Api.Response cafe = tenant.admin()
                .post(
                        "/v2/businesses",
                        Map.of("name", "Cafe Central", "businessTypeId", type.text("id"), "email", "hello@cafe.test"));
        assertThat(cafe.status()).as(cafe.toString()).isEqualTo(201);
        Api.Response unknownType = tenant.admin()
                .post(
                        "/v2/businesses",
                        Map.of(
                                "name",
                                "Nowhere",
                                "businessTypeId",
                                UUID.randomUUID().toString()));
        assertThat(unknownType.code()).isEqualTo("VALIDATION_FAILED");
        tenant.admin().post("/v2/businesses", Map.of("name", "Closed shop", "active", false));

        assertThat(tenant.anonymous().get("/v2/businesses/types").json()).hasSize(1);
        assertThat(tenant.anonymous()
                        .get("/v2/businesses?active=true")
                        .json()
                        .path("items")
                        .findValuesAsString("name"))
                .containsExactly("Cafe Central");
        assertThat(tenant.anonymous()
                        .post("/v2/businesses", Map.of("name", "Sneaky"))
                        .status())
                .isEqualTo(401);

        UUID staff = tenant.createUser("staff@cafe.test");
        String id = cafe.text("id");
        assertThat(tenant.admin()
                        .post("/v2/businesses/" + id + "/members", Map.of("userId", staff.toString()))
                        .status())
                .isEqualTo(204);
        assertThat(tenant.admin()
                        .get("/v2/businesses/" + id + "/members")
                        .json()
                        .get(0)
                        .asString())
                .isEqualTo(staff.toString());
        assertThat(tenant.admin()
                        .delete("/v2/businesses/" + id + "/members/" + staff)
                        .status())
                .isEqualTo(204);
        assertThat(tenant.admin()
                        .delete("/v2/businesses/" + id + "/members/" + staff)
                        .status())
                .isEqualTo(404);
        assertThat(tenant.admin()
                        .patch("/v2/businesses/" + id, Map.of("description", "Best pastel de nata"))
                        .text("name"))
                .isEqualTo("Cafe Central");
    }
}
