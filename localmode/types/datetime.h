/*
 * Dates and timestamps as Spark 3 stores them: DATE is days since
 * 1970-01-01 in the proleptic Gregorian calendar (int32), TIMESTAMP is
 * microseconds since 1970-01-01T00:00:00Z (int64) shown in the session zone,
 * TIMESTAMP_NTZ is microseconds of a local date-time read as if in UTC.
 *
 * This module holds the civil calendar, the date/timestamp arithmetic of
 * Spark's DateTimeUtils (add_months, months_between, trunc, next_day ...),
 * the field extractors behind year(), hour(), extract(...), Spark's default
 * string forms (cast to string, show(), golden files) and Spark's lenient
 * string -> date/timestamp cast parsers.
 *
 * Nothing here allocates; string outputs go to caller buffers of the sizes
 * given below.
 */
#ifndef LM_TYPES_DATETIME_H
#define LM_TYPES_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "timezone.h"

#define LM_MICROS_PER_MILLI INT64_C(1000)
#define LM_MICROS_PER_SECOND INT64_C(1000000)
#define LM_MICROS_PER_MINUTE INT64_C(60000000)
#define LM_MICROS_PER_HOUR INT64_C(3600000000)
#define LM_MICROS_PER_DAY INT64_C(86400000000)
#define LM_SECONDS_PER_DAY INT64_C(86400)

/* Buffer sizes (including the NUL) for the formatters below. */
#define LM_DATE_BUF 24
#define LM_TS_BUF 48

/* Floor division and modulo (Java's Math.floorDiv / floorMod). */
static inline int64_t lm_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}
static inline int64_t lm_floor_mod(int64_t a, int64_t b)
{
    return a - lm_floor_div(a, b) * b;
}

/* ---- civil calendar (proleptic Gregorian, astronomical year numbering:
        year 0 = 1 BC, -1 = 2 BC) ---- */

bool lm_date_is_leap_year(int64_t year);
int lm_date_days_in_month(int64_t year, int month); /* month 1..12 */
/* Days since 1970-01-01 of a civil date; no validation, any int64 range
   that does not overflow (|year| < 2^40). */
int64_t lm_date_from_civil(int64_t year, int month, int day);
/* Inverse of lm_date_from_civil for any int64 day count that fits. */
void lm_date_to_civil(int64_t days, int64_t *year, int *month, int *day);
/* Validated constructor (LocalDate.of + toIntExact): false when the month
   or day is out of range or the result does not fit an int32. */
bool lm_date_make(int64_t year, int month, int day, int32_t *out);

/* ---- field extraction from days ---- */
int64_t lm_date_year(int32_t days);
int lm_date_month(int32_t days);
int lm_date_day_of_month(int32_t days);
int lm_date_quarter(int32_t days);       /* 1..4 */
int lm_date_day_of_year(int32_t days);   /* 1..366 */
int lm_date_day_of_week(int32_t days);   /* Spark dayofweek(): 1 = Sunday .. 7 = Saturday */
int lm_date_weekday(int32_t days);       /* Spark weekday(): 0 = Monday .. 6 = Sunday */
int lm_date_iso_week(int32_t days);      /* weekofyear(): ISO-8601 week 1..53 */
int64_t lm_date_iso_week_year(int32_t days); /* extract(YEAROFWEEK ...) */

/* ---- date arithmetic (DateTimeUtils) ---- */

/* add_months: LocalDate.plusMonths, clamping the day to the month's end
   (2019-01-31 + 1 month = 2019-02-28). False when the result leaves the
   int32 day range. */
bool lm_date_add_months(int32_t days, int32_t months, int32_t *out);
/* date_add / date_sub wrap around like Spark's int arithmetic. */
int32_t lm_date_add_days(int32_t days, int32_t n);
/* last_day */
int32_t lm_date_last_day(int32_t days);
/*
 * next_day(date, dayOfWeek): the first date strictly after `days` falling
 * on the named day ("MO", "MON", "MONDAY", case-insensitive, as Spark's
 * getDayOfWeekFromString). False when the name is not recognised (NULL in
 * non-ANSI mode; Spark raises ILLEGAL_DAY_OF_WEEK in ANSI mode).
 */
bool lm_date_next_day(int32_t days, const char *day_of_week, size_t len, int32_t *out);

/*
 * months_between(ts1, ts2[, roundOff]) with Spark's rule: whole months when
 * both days of month are equal or both are month ends; otherwise the month
 * difference plus the difference in (day, seconds of day) over a 31-day
 * month; rounded to 8 decimal places when round_off.
 */
double lm_ts_months_between(int64_t micros1, int64_t micros2, bool round_off,
                            const lm_tz *tz);

/* Truncation levels of Spark's parseTruncLevel. */
typedef enum lm_trunc_level {
    LM_TRUNC_INVALID = -1,
    LM_TRUNC_MICROSECOND = 0,
    LM_TRUNC_MILLISECOND,
    LM_TRUNC_SECOND,
    LM_TRUNC_MINUTE,
    LM_TRUNC_HOUR,
    LM_TRUNC_DAY,
    LM_TRUNC_WEEK,
    LM_TRUNC_MONTH,
    LM_TRUNC_QUARTER,
    LM_TRUNC_YEAR
} lm_trunc_level;

/* "MICROSECOND" .. "YEAR", "DD", "MON", "MM", "YYYY", "YY" (case-insensitive). */
lm_trunc_level lm_trunc_level_parse(const char *fmt, size_t len);
/* trunc(date, fmt): only WEEK and coarser are valid for dates (false otherwise,
   i.e. NULL). */
bool lm_date_trunc(int32_t days, lm_trunc_level level, int32_t *out);
/* date_trunc(fmt, ts): false when level is LM_TRUNC_INVALID. */
bool lm_ts_trunc(int64_t micros, lm_trunc_level level, const lm_tz *tz, int64_t *out);

/* ---- timestamps and zones ---- */

/* Local date-time fields of a timestamp. */
typedef struct lm_datetime_fields {
    int64_t year;
    int month, day;
    int hour, minute, second;
    int32_t micros;       /* micro-of-second 0..999999 */
    int32_t days;         /* local date as days since the epoch (saturated
                             at the int32 range for absurd inputs) */
    int64_t offset;       /* offset used, seconds (0 for NTZ) */
} lm_datetime_fields;

/* Local fields of a timestamp in tz (hour(), minute(), year() on timestamps). */
void lm_ts_fields(int64_t micros, const lm_tz *tz, lm_datetime_fields *f);
/* Fields of a TIMESTAMP_NTZ value. */
void lm_ts_ntz_fields(int64_t micros, lm_datetime_fields *f);

/* TIMESTAMP -> DATE (microsToDays): the local date in tz. */
int32_t lm_ts_to_date(int64_t micros, const lm_tz *tz);
/* DATE -> TIMESTAMP (daysToMicros): start of the day in tz. False on overflow. */
bool lm_date_to_ts(int32_t days, const lm_tz *tz, int64_t *out);
/* TIMESTAMP -> TIMESTAMP_NTZ: the local date-time in tz. False on overflow. */
bool lm_ts_to_ntz(int64_t micros, const lm_tz *tz, int64_t *out);
/* TIMESTAMP_NTZ -> TIMESTAMP: the local date-time placed in tz with java.time's
   gap/overlap rules. False on overflow. */
bool lm_ts_ntz_to_ts(int64_t ntz_micros, const lm_tz *tz, int64_t *out);
/*
 * Builds a timestamp from a local date-time in tz (micros = micro-of-second).
 * No validation of fields (callers validated them). False on overflow.
 */
bool lm_ts_from_local(int64_t year, int month, int day, int hour, int minute, int second,
                      int32_t micros, const lm_tz *tz, int64_t *out);

/* ---- Spark's default string forms ---- */

/* "yyyy-MM-dd"; years above 9999 get '+', negative years '-' and at least
   4 digits ("+999999-03-18", "-0001-01-28"). Returns the length. */
int lm_date_format(char *buf, int32_t days);
/* "yyyy-MM-dd HH:mm:ss[.ffffff]" in tz, trailing fraction zeros removed, no
   fraction when zero. Returns the length. */
int lm_ts_format(char *buf, int64_t micros, const lm_tz *tz);
int lm_ts_ntz_format(char *buf, int64_t micros);

/* ---- Spark's string -> datetime cast parsers (non-ANSI: false = NULL) ---- */

/* DateTimeUtils.stringToDate: [+-]yyyy*, [+-]yyyy*-[m]m, [+-]yyyy*-[m]m-[d]d,
   optionally followed by ' ' or 'T' and anything. */
bool lm_date_parse(const char *s, size_t len, int32_t *out);
/* DateTimeUtils.stringToTimestamp: date forms above, optional time
   [h]h:[m]m:[s]s.[fraction] after ' ' or 'T', time-only forms (today's date
   in the zone) and a zone suffix (Z, +hh:mm, UTC, region ids...). Strings
   without a zone are read in `tz`. */
bool lm_ts_parse(const char *s, size_t len, const lm_tz *tz, int64_t *out);
/* stringToTimestampWithoutTimeZone(s, allowTimeZone): a zone suffix is
   ignored when allow_time_zone (cast to timestamp_ntz), rejected otherwise
   (TIMESTAMP_NTZ literals). Time-only strings are rejected. */
bool lm_ts_ntz_parse(const char *s, size_t len, bool allow_time_zone, int64_t *out);
/* True when a timestamp string that parses has a zone part (Spark's literal
   rule: TIMESTAMP '...' with a zone is TIMESTAMP_LTZ even when the default
   timestamp type is NTZ). */
bool lm_ts_string_has_zone(const char *s, size_t len);

/* Current wall clock, micros since the epoch (for current_timestamp()). */
int64_t lm_ts_now(void);

#endif
