/*
 * Spark's three interval kinds and their text forms:
 *   - CalendarInterval (months, days, micros): INTERVAL type, printed by
 *     CalendarInterval.toString ("1 years 2 months 3 days 4.5 seconds");
 *   - year-month (int32 months, YearMonthIntervalType(start, end));
 *   - day-time (int64 micros, DayTimeIntervalType(start, end)).
 * ANSI intervals have two string forms (IntervalUtils):
 *   HIVE style, used by show()/collect and the golden files: "1-2",
 *     "1 02:03:04.001000000";
 *   ANSI style, used by CAST(... AS STRING) and Literal.sql (column names
 *     such as "INTERVAL '1-2' YEAR TO MONTH"): "INTERVAL '1 02:03:04.001' DAY
 *     TO SECOND".
 * Parsers: IntervalUtils.stringToInterval (multi-unit strings, casts to
 * INTERVAL), castStringToYMInterval / castStringToDTInterval (fixed forms
 * for a unit range) and the interval-literal rules of AstBuilder.
 *
 * Field codes are type.h's LM_YM_YEAR/LM_YM_MONTH and LM_DT_DAY..LM_DT_SECOND.
 */
#ifndef LM_TYPES_INTERVAL_H
#define LM_TYPES_INTERVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "types/type.h"
#include "types/value.h"

typedef enum lm_interval_style {
    LM_INTERVAL_HIVE = 0, /* "1-2", "1 02:03:04.001000000" */
    LM_INTERVAL_ANSI = 1  /* "INTERVAL '1-2' YEAR TO MONTH" */
} lm_interval_style;

/* ---- formatting ---- */

/* CalendarInterval.toString: "0 seconds" for zero; units years, months,
   days, hours, minutes, seconds (with up to 6 fraction digits, trailing
   zeros removed), each only when non-zero. */
void lm_interval_format(lm_strbuf *sb, const lm_interval *iv);
/* IntervalUtils.toYearMonthIntervalString */
void lm_interval_ym_format(lm_strbuf *sb, int32_t months, lm_interval_style style,
                           int start_field, int end_field);
/* IntervalUtils.toDayTimeIntervalString */
void lm_interval_dt_format(lm_strbuf *sb, int64_t micros, lm_interval_style style,
                           int start_field, int end_field);
/* The type names Spark uses in messages and schemas: "interval year to month",
   "interval day", "interval hour to second" ... (written to buf, >= 32 bytes). */
void lm_interval_ym_type_name(char *buf, int start_field, int end_field);
void lm_interval_dt_type_name(char *buf, int start_field, int end_field);

/* ---- parsing ---- */

/*
 * IntervalUtils.stringToInterval, case-insensitive: an optional "interval"
 * prefix, then pairs "[+|-]number unit", units year, month, week, day,
 * hour, minute, second, millisecond, microsecond with an optional plural
 * "s"; only seconds take a fraction (up to 9 digits, truncated to micros).
 * Returns false on invalid input; when err is not NULL it receives Spark's
 * message ("Error parsing ' 1 dayz' to interval, invalid unit 'dayz'") with
 * exception java.lang.IllegalArgumentException. A non-ANSI cast to INTERVAL
 * turns false into NULL.
 */
bool lm_interval_parse(const char *s, size_t len, lm_interval *out, lm_error *err);

/*
 * CAST(string AS INTERVAL YEAR TO MONTH / YEAR / MONTH): the forms
 * "[+|-]y-m", "INTERVAL [+|-]'[+|-]y-m' YEAR TO MONTH", "[+|-]y" and
 * "INTERVAL '..' YEAR" as IntervalUtils.castStringToYMInterval accepts them.
 * Spark raises even in non-ANSI mode; on failure err gets exception
 * java.lang.IllegalArgumentException and Spark's message.
 */
lm_status lm_interval_parse_ym(const char *s, size_t len, int start_field, int end_field,
                               int32_t *months, lm_error *err);
/* CAST(string AS INTERVAL DAY TO SECOND ...): castStringToDTInterval. */
lm_status lm_interval_parse_dt(const char *s, size_t len, int start_field, int end_field,
                               int64_t *micros, lm_error *err);

/*
 * Value of an interval literal, for the analyzer (plan.h LM_LIT_UNPARSED
 * with type INTERVAL). The three forms, as AstBuilder handles them in Spark
 * 3.5 with spark.sql.legacy.interval.enabled = `legacy`:
 *
 *   nunits == 0: INTERVAL '1 day 2 hours' (typed literal; text is the string)
 *       and INTERVAL 1 DAY 2 HOURS (multi-unit; text is the reconstructed
 *       "1 day 2 hours"). Parsed by stringToInterval; units found in the text.
 *   nunits == 1: INTERVAL '3' DAY / INTERVAL 3 DAYS: text "3", units {"day"}
 *       (any written form: "days", "DAY"). A value containing letters fails.
 *   nunits == 2: INTERVAL '1-2' YEAR TO MONTH, '1 02:03' DAY TO MINUTE ...:
 *       text is the string; units {from, to}. A '-' written before the quote
 *       is passed as a leading '-' on text ("--1-2" cancels to "1-2").
 *
 * Result without `legacy`: units all year/month -> kind LM_TYPE_YM_INTERVAL,
 * out->u.i64 = months, fields = min..max unit; all week/day/hour/minute/
 * second/millisecond/microsecond -> LM_TYPE_DT_INTERVAL, out->u.i64 =
 * micros (week counts as DAY, milli/microsecond as SECOND); a mix of both is
 * a ParseException _LEGACY_ERROR_TEMP_0029 {literal}. With `legacy`:
 * LM_TYPE_INTERVAL (CalendarInterval) in out->u.iv, fields set to -1.
 *
 * Errors (exception ParseException; the caller adds the query context):
 *   INVALID_TYPED_LITERAL {valueType "\"INTERVAL\"", value "'text'"} for a bad
 *       typed literal (nunits == 0 and from_string);
 *   _LEGACY_ERROR_TEMP_0026 {value} value with letters (nunits == 1);
 *   _LEGACY_ERROR_TEMP_0028 {from, to} unsupported unit range;
 *   _LEGACY_ERROR_TEMP_0029 {literal} mixed year-month and day-time units;
 *   _LEGACY_ERROR_TEMP_0063 {msg} other parse failures, with Spark's message.
 * `source` is the literal as written (for _0029's parameter); NULL uses
 * "INTERVAL " + text. `from_string` tells the typed-literal form
 * (INTERVAL '...') from the reconstructed multi-unit form for nunits == 0.
 */
lm_status lm_interval_literal(const char *text, int nunits, const char *const *units,
                              bool from_string, bool legacy, const char *source,
                              lm_type_id *kind, int *start_field, int *end_field,
                              lm_value *out, lm_error *err);

/* One "value unit" piece as a CalendarInterval (INTERVAL '3' DAY in legacy
   mode; make_interval-style helpers). Errors as lm_interval_literal. */
lm_status lm_interval_from_units(const char *value_text, const char *unit, lm_interval *out,
                                 lm_error *err);

/* Total microseconds of a CalendarInterval with 31-day months
   (IntervalUtils.getDuration); false on overflow. */
bool lm_interval_duration_micros(const lm_interval *iv, int64_t *out);

#endif
