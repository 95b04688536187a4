package io.pers.redemption;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PagedQuery;
import io.pers.api.PersException;
import io.pers.ledger.Amounts;
import io.pers.ledger.Tokens;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The redemption catalogue: what each redemption costs (an amount of a CREDIT token), what it
 * delivers (units of REWARD tokens), its supply and its rules, and the types that group them.
 */
@Component
class Redemptions {

    record Type(UUID id, String name, OffsetDateTime createdAt) {}

    record RewardUnit(
            UUID id,
            UUID tokenId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amount) {}

    /** totalSupply and available are null when the supply is unlimited. */
    record Redemption(
            UUID id,
            String name,
            String description,
            UUID typeId,
            UUID costTokenId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger costAmount,
            Long totalSupply,
            Long available,
            Integer maxPerUser,
            UUID minStatusTierId,
            List<String> countryCodeRestrictions,
            boolean businessReceivesCredits,
            boolean active,
            List<RewardUnit> tokens,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {

        Redemption with(List<RewardUnit> units) {
            return new Redemption(
                    id,
                    name,
                    description,
                    typeId,
                    costTokenId,
                    costAmount,
                    totalSupply,
                    available,
                    maxPerUser,
                    minStatusTierId,
                    countryCodeRestrictions,
                    businessReceivesCredits,
                    active,
                    units,
                    createdAt,
                    updatedAt);
        }
    }

    /** What a create or update sends; on update, null keeps the current value. */
    record Details(
            String name,
            String description,
            UUID typeId,
            UUID costTokenId,
            BigInteger costAmount,
            Long totalSupply,
            Integer maxPerUser,
            UUID minStatusTierId,
            List<String> countryCodeRestrictions,
            Boolean businessReceivesCredits,
            Boolean active) {}

    record Supply(UUID redemptionId, Long totalSupply, long reserved, Long available) {}

    record Filter(Boolean active, UUID typeId) {}

    private final JdbcClient db;
    private final Tokens tokens;
    private final StatusTiers tiers;

    Redemptions(JdbcClient db, Tokens tokens, StatusTiers tiers) {
        this.db = db;
        this.tokens = tokens;
        this.tiers = tiers;
    }

    Type createType(String name) {
        UUID id = UUID.randomUUID();
        try {
            db.sql("insert into redemption_types (id, tenant_id, name) values (?, ?, ?)")
                    .params(id, TenantContext.requireTenantId(), name)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "A redemption type named " + name + " exists");
        }
        return types().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    List<Type> types() {
        return db.sql("select id, name, created_at from redemption_types order by name")
                .query((rs, i) ->
                        new Type(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class)))
                .list();
    }

    Redemption create(Details d) {
        if (d.name() == null || d.costTokenId() == null || d.costAmount() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "name, costTokenId and costAmount are required");
        }
        check(d);
        UUID id = UUID.randomUUID();
        db.sql("""
                        insert into redemptions (id, tenant_id, name, description, type_id, cost_token_id, cost_amount,
                                                 total_supply, max_per_user, min_status_tier_id,
                                                 country_code_restrictions, business_receives_credits, active)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?)""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        d.name(),
                        d.description(),
                        d.typeId(),
                        d.costTokenId(),
                        new BigDecimal(d.costAmount()),
                        d.totalSupply(),
                        d.maxPerUser(),
                        d.minStatusTierId(),
                        textArray(d.countryCodeRestrictions() == null ? List.of() : d.countryCodeRestrictions()),
                        Boolean.TRUE.equals(d.businessReceivesCredits()),
                        d.active() == null || d.active())
                .update();
        return find(id, false);
    }

    Redemption update(UUID id, Details d) {
        check(d);
        try {
            int updated = db.sql("""
                            update redemptions set name = coalesce(?, name), description = coalesce(?, description),
                                   type_id = coalesce(?, type_id), cost_token_id = coalesce(?, cost_token_id),
                                   cost_amount = coalesce(?, cost_amount), total_supply = coalesce(?, total_supply),
                                   max_per_user = coalesce(?, max_per_user),
                                   min_status_tier_id = coalesce(?, min_status_tier_id),
                                   country_code_restrictions = coalesce(?::text[], country_code_restrictions),
                                   business_receives_credits = coalesce(?, business_receives_credits),
                                   active = coalesce(?, active), updated_at = now()
                             where id = ?""")
                    .params(
                            d.name(),
                            d.description(),
                            d.typeId(),
                            d.costTokenId(),
                            d.costAmount() == null ? null : new BigDecimal(d.costAmount()),
                            d.totalSupply(),
                            d.maxPerUser(),
                            d.minStatusTierId(),
                            d.countryCodeRestrictions() == null ? null : textArray(d.countryCodeRestrictions()),
                            d.businessReceivesCredits(),
                            d.active(),
                            id)
                    .update();
            if (updated == 0) {
                throw PersException.notFound("Redemption");
            }
        } catch (DataIntegrityViolationException e) {
            // redemptions_check: a total below the units redeems already hold.
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED, "totalSupply may not go below the units already redeemed or reserved");
        }
        return find(id, false);
    }

    void delete(UUID id) {
        int deleted;
        try {
            deleted = db.sql("delete from redemptions where id = ?").param(id).update();
        } catch (DataIntegrityViolationException e) {
            throw new PersException(
                    ErrorCode.CONFLICT_IN_USE, "The redemption has been redeemed; deactivate it instead");
        }
        if (deleted == 0) {
            throw PersException.notFound("Redemption");
        }
    }

    /** @param onlyActive hide inactive redemptions, as for callers who cannot redeem them */
    Redemption find(UUID id, boolean onlyActive) {
        Redemption found = db.sql("select * from redemptions where id = ? and (active or not ?)")
                .params(id, onlyActive)
                .query(Redemptions::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Redemption"));
        return found.with(units(List.of(id)).getOrDefault(id, List.of()));
    }

    Page<Redemption> list(Filter filter, PageQuery page) {
        Page<Redemption> found = PagedQuery.from("redemptions")
                .and("active = ?", filter.active())
                .and("type_id = ?", filter.typeId())
                .page(db, "*", page, Redemptions::map);
        return PagedQuery.completed(found, items -> {
            Map<UUID, List<RewardUnit>> units =
                    units(items.stream().map(Redemption::id).toList());
            return items.stream()
                    .map(r -> r.with(units.getOrDefault(r.id(), List.of())))
                    .toList();
        });
    }

    RewardUnit addUnit(UUID redemptionId, UUID tokenId, BigInteger amount) {
        Amounts.requirePositive(amount);
        find(redemptionId, false);
        requireType(tokenId, Tokens.Type.REWARD, "tokenId");
        UUID id = UUID.randomUUID();
        try {
            db.sql("""
                            insert into redemption_token_units (id, tenant_id, redemption_id, token_id, amount)
                            values (?, ?, ?, ?, ?)""")
                    .params(id, TenantContext.requireTenantId(), redemptionId, tokenId, new BigDecimal(amount))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "The redemption already delivers this token");
        }
        return new RewardUnit(id, tokenId, amount);
    }

    void removeUnit(UUID redemptionId, UUID unitId) {
        if (db.sql("delete from redemption_token_units where id = ? and redemption_id = ?")
                        .params(unitId, redemptionId)
                        .update()
                == 0) {
            throw PersException.notFound("Reward unit");
        }
    }

    Supply supply(UUID id, boolean onlyActive) {
        Redemption r = find(id, onlyActive);
        return new Supply(id, r.totalSupply(), reserved(id), r.available());
    }

    /** Takes one unit of supply, atomically: false when none is left. */
    boolean reserve(UUID id) {
        return db.sql("""
                        update redemptions set reserved = reserved + 1
                         where id = ? and (total_supply is null or reserved < total_supply)""").param(id).update() == 1;
    }

    void release(UUID id) {
        db.sql("update redemptions set reserved = reserved - 1 where id = ?")
                .param(id)
                .update();
    }

    private long reserved(UUID id) {
        return db.sql("select reserved from redemptions where id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    private void check(Details d) {
        if (d.costAmount() != null) {
            Amounts.requirePositive(d.costAmount());
        }
        if (d.costTokenId() != null) {
            requireType(d.costTokenId(), Tokens.Type.CREDIT, "costTokenId");
        }
        if (d.minStatusTierId() != null && !tiers.exists(d.minStatusTierId())) {
            throw PersException.notFound("Status tier");
        }
        if (d.typeId() != null && types().stream().noneMatch(t -> t.id().equals(d.typeId()))) {
            throw PersException.notFound("Redemption type");
        }
    }

    private void requireType(UUID tokenId, Tokens.Type type, String field) {
        if (tokens.find(tokenId).type() != type) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, field + " must name a " + type + " token");
        }
    }

    private Map<UUID, List<RewardUnit>> units(List<UUID> redemptionIds) {
        if (redemptionIds.isEmpty()) {
            return Map.of();
        }
        return db
                .sql("""
                        select id, redemption_id, token_id, amount from redemption_token_units
                         where redemption_id = any(?::uuid[]) order by token_id""")
                .param(redemptionIds.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}")))
                .query((rs, i) -> Map.entry(
                        rs.getObject(2, UUID.class),
                        new RewardUnit(
                                rs.getObject(1, UUID.class),
                                rs.getObject(3, UUID.class),
                                rs.getBigDecimal(4).toBigIntegerExact())))
                .list()
                .stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    private static String textArray(List<String> values) {
        return values.stream().collect(Collectors.joining(",", "{", "}"));
    }

    private static Redemption map(ResultSet rs, int row) throws SQLException {
        Long total = (Long) rs.getObject("total_supply");
        long reserved = rs.getLong("reserved");
        return new Redemption(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                rs.getObject("type_id", UUID.class),
                rs.getObject("cost_token_id", UUID.class),
                rs.getBigDecimal("cost_amount").toBigIntegerExact(),
                total,
                total == null ? null : total - reserved,
                (Integer) rs.getObject("max_per_user"),
                rs.getObject("min_status_tier_id", UUID.class),
                Arrays.asList(
                        (String[]) rs.getArray("country_code_restrictions").getArray()),
                rs.getBoolean("business_receives_credits"),
                rs.getBoolean("active"),
                List.of(),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
