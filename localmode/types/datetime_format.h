/*
 * Spark 3 datetime patterns (DateTimeFormatter-based, the "CORRECTED" /
 * EXCEPTION parser policy) for date_format, to_date(s, fmt),
 * to_timestamp(s, fmt), unix_timestamp and from_unixtime.
 *
 * A pattern is compiled once into tokens. Supported letters: G, y (as
 * java.time 'u', proleptic year, which Spark substitutes), M, L, d, D, Q, q,
 * E, a, H, h, k, K, m, s, S (fraction), V, z, O, X, x, Z, quoted text ('..',
 * '' for a quote) and optional sections [..]. Parsing is strict as Spark's
 * new parser: case-insensitive text, fixed widths where the pattern says so,
 * the whole input must match, fields validated (2019-02-30 fails).
 *
 * Spark rejects some letters: week-based Y, W, w, u, e, c; A, n, N, p;
 * five-letter text forms (MMMMM ...), 11+ 'y'; and E, F, q, Q when parsing.
 * Where Spark 2's SimpleDateFormat would have accepted the pattern the error
 * is SparkUpgradeException INCONSISTENT_BEHAVIOR_CROSS_VERSION.
 * DATETIME_PATTERN_RECOGNITION, otherwise java.lang.IllegalArgumentException
 * with java.time's message.
 *
 * Known gap: 'z' prints the zone id for region zones (Java prints localized
 * names such as "PST"); fixed zones print as Java does.
 */
#ifndef LM_TYPES_DATETIME_FORMAT_H
#define LM_TYPES_DATETIME_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/strbuf.h"
#include "types/timezone.h"

typedef struct lm_dtf lm_dtf;

/* Compiles a pattern; NULL with err set on an invalid pattern or LM_ENOMEM.
   for_parsing applies Spark's parse-only restrictions and the variable-length
   second fraction ('SSS' accepts 1 to 3 digits). The caller frees with
   lm_dtf_free. A compiled pattern is immutable and may be shared by threads. */
lm_dtf *lm_dtf_compile(const char *pattern, bool for_parsing, lm_error *err);
void lm_dtf_free(lm_dtf *f);

/* Formats a timestamp shown in tz (date_format, from_unixtime). */
void lm_dtf_format_ts(const lm_dtf *f, lm_strbuf *sb, int64_t micros, const lm_tz *tz);
/* Formats a TIMESTAMP_NTZ value (offset/zone letters print as in UTC). */
void lm_dtf_format_ntz(const lm_dtf *f, lm_strbuf *sb, int64_t micros);

typedef enum lm_dtf_result {
    LM_DTF_OK = 0,
    LM_DTF_FAIL = 1,    /* no match: NULL in non-ANSI mode */
    LM_DTF_UPGRADE = 2  /* the new parser fails but Spark 2's lenient parser would
                           accept the text: Spark 3.5 (timeParserPolicy=EXCEPTION)
                           raises SparkUpgradeException
                           INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER */
} lm_dtf_result;

/* to_timestamp / unix_timestamp: fields missing from the pattern default as
   Spark's (year 1970, month/day 1, time 00:00); without a zone in the text
   the local time is placed in tz with java.time's gap/overlap rules. */
lm_dtf_result lm_dtf_parse_ts(const lm_dtf *f, const char *s, size_t len, const lm_tz *tz,
                              int64_t *micros);
/* to_timestamp_ntz: a parsed zone is ignored when allow_time_zone, else fails. */
lm_dtf_result lm_dtf_parse_ntz(const lm_dtf *f, const char *s, size_t len,
                               bool allow_time_zone, int64_t *micros);
/* The local date of the parsed text (time and zone fields ignored). */
lm_dtf_result lm_dtf_parse_date(const lm_dtf *f, const char *s, size_t len, int32_t *days);

/* Fills err with Spark's SparkUpgradeException for an LM_DTF_UPGRADE result
   on input s. */
lm_status lm_dtf_upgrade_error(lm_error *err, const char *s, size_t len);

#endif
