package io.pers.analytics;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The days a report covers, both ends included, as UTC calendar days (days in the figures are UTC
 * days too). Left out: the 30 days up to today. Capped at a year so one request cannot scan the
 * whole history of a large tenant.
 */
record DateRange(LocalDate from, LocalDate to) {

    static final int MAX_DAYS = 366;
    private static final int DEFAULT_DAYS = 30;

    static DateRange of(LocalDate from, LocalDate to) {
        LocalDate end = to != null ? to : LocalDate.now(ZoneOffset.UTC);
        LocalDate start = from != null ? from : end.minusDays(DEFAULT_DAYS - 1);
        if (start.isAfter(end)) {
            throw new PersException(ErrorCode.INVALID_DATE_RANGE, "from " + start + " is after to " + end);
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
            throw new PersException(ErrorCode.INVALID_DATE_RANGE, "A range covers at most " + MAX_DAYS + " days");
        }
        return new DateRange(start, end);
    }

    /** The first instant of the range. */
    OffsetDateTime start() {
        return from.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** The first instant after the range. */
    OffsetDateTime end() {
        return to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
