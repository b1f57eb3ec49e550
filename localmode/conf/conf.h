/*
 * Configuration: the lm_conf key/value store declared in localmode.h, the
 * typed readers that parse values the way Spark's ConfigBuilder does (with
 * Spark's error texts), and the table of keys the engine knows, with their
 * types and Spark 3.5's defaults.
 *
 * The store keeps keys in insertion order (setting an existing key keeps its
 * place), so iteration and printing are deterministic. Like SparkConf it
 * accepts any key: unknown keys are stored and handed back untouched.
 *
 * Ownership: the store copies keys and values; pointers returned by
 * lm_conf_get / lm_conf_at stay valid until that key is set again, unset, or
 * the store is freed.
 */
#ifndef LM_CONF_CONF_H
#define LM_CONF_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "localmode.h"

/* JVM exception kinds raised by Spark's config parsing. */
#define LM_EXC_JAVA_ILLEGAL_ARG "java.lang.IllegalArgumentException"
#define LM_EXC_JAVA_NUMBER_FORMAT "java.lang.NumberFormatException"

/* ------------------------------------------------------------ the store */
/* (lm_conf_new, lm_conf_free, lm_conf_set, lm_conf_get: see localmode.h.
   lm_conf_set returns LM_ERROR for a NULL key or value, as SparkConf.set
   refuses nulls.) */

bool lm_conf_contains(const lm_conf *conf, const char *key);
/* Removes key if present; removing an absent key is not an error. */
void lm_conf_unset(lm_conf *conf, const char *key);
/* Sets key only when absent (SparkConf.setIfMissing). */
lm_status lm_conf_set_if_missing(lm_conf *conf, const char *key, const char *value);
size_t lm_conf_size(const lm_conf *conf);
/* The i-th entry in insertion order; false past the end. */
bool lm_conf_at(const lm_conf *conf, size_t i, const char **key, const char **value);
/* A deep copy (caller frees); a copy of NULL is an empty store. NULL on ENOMEM. */
lm_conf *lm_conf_copy(const lm_conf *conf);
/*
 * Copies src's entries into dst. With overwrite false an entry already in
 * dst wins ("keep existing": how spark-submit folds spark-defaults.conf
 * under --conf); with overwrite true src wins. src may be NULL.
 */
lm_status lm_conf_merge(lm_conf *dst, const lm_conf *src, bool overwrite);

/* --------------------------------------------------------- value parsing */
typedef enum lm_byte_unit {
    LM_BYTE_B = 0, /* Spark's ByteUnit.BYTE */
    LM_BYTE_KIB,
    LM_BYTE_MIB,
    LM_BYTE_GIB,
    LM_BYTE_TIB,
    LM_BYTE_PIB
} lm_byte_unit;

typedef enum lm_time_unit {
    LM_TIME_NS = 0, /* java.util.concurrent.TimeUnit order */
    LM_TIME_US,
    LM_TIME_MS,
    LM_TIME_S,
    LM_TIME_MIN,
    LM_TIME_H,
    LM_TIME_D
} lm_time_unit;

/*
 * Each parser reads s as the matching Spark config type does and, on bad
 * input, records Spark's message in err (which may be NULL) and returns
 * LM_ERROR. key is only used in messages.
 *
 *   bool    "true"/"false", any case, surrounding blanks ignored;
 *           else "<key> should be boolean, but was <s>"
 *   int     32-bit, Integer.parseInt after trim; "<key> should be int, but was <s>"
 *   long    64-bit; "... should be long, but was <s>"
 *   double  "... should be double, but was <s>"
 *   bytes   JavaUtils.byteStringAs with a leading '-' allowed: "512m", "2g",
 *           "1k", "10MB"; a bare number is in `unit`; the result is in `unit`
 *           (truncated, as Spark converts "1500k" to 1 MiB)
 *   time    JavaUtils.timeStringAs: "10s", "100ms", "5min"; result in `unit`
 */
lm_status lm_conf_parse_bool(const char *key, const char *s, bool *out, lm_error *err);
lm_status lm_conf_parse_int(const char *key, const char *s, int32_t *out, lm_error *err);
lm_status lm_conf_parse_long(const char *key, const char *s, int64_t *out, lm_error *err);
lm_status lm_conf_parse_double(const char *key, const char *s, double *out, lm_error *err);
lm_status lm_conf_parse_bytes(const char *s, lm_byte_unit unit, int64_t *out, lm_error *err);
lm_status lm_conf_parse_time(const char *s, lm_time_unit unit, int64_t *out, lm_error *err);

/* ---------------------------------------------------------- known keys */
typedef enum lm_conf_type {
    LM_CONF_STRING,
    LM_CONF_BOOL,
    LM_CONF_INT,
    LM_CONF_LONG,
    LM_CONF_DOUBLE,
    LM_CONF_BYTES, /* unit: the lm_byte_unit of a bare number */
    LM_CONF_TIME,  /* unit: the lm_time_unit of a bare number */
    LM_CONF_ENUM   /* values: the accepted spellings after case folding */
} lm_conf_type;

typedef enum lm_conf_check {
    LM_CHECK_NONE,
    LM_CHECK_POSITIVE,    /* value > 0 */
    LM_CHECK_NON_NEGATIVE /* value >= 0 */
} lm_conf_check;

/*
 * One known key. The table is data: adding a key the engine reads is adding
 * an entry in conf.c, nothing else.
 */
typedef struct lm_conf_entry {
    const char *key;
    lm_conf_type type;
    /* Spark's default, as Spark spells it; NULL when the key has no default
       (optional) or the default is computed (see doc). */
    const char *default_value;
    int unit;                  /* BYTES / TIME only */
    const char *const *values; /* ENUM only, NULL-terminated, in Spark's order */
    char fold;                 /* ENUM: 'U' upper-cases, 'L' lower-cases the input */
    lm_conf_check check;
    const char *check_msg; /* Spark's text for a failed check */
    const char *doc;
} lm_conf_entry;

/* The entry for key, or NULL when the engine does not know the key. */
const lm_conf_entry *lm_conf_known(const char *key);
size_t lm_conf_known_count(void);
const lm_conf_entry *lm_conf_known_at(size_t i);

/*
 * Checks value against the known key's type, accepted values and range,
 * with Spark's message on failure (SQLConf.setConfString validates the same
 * way, so `SET spark.sql.caseSensitive=10` fails). Unknown keys always pass.
 */
lm_status lm_conf_validate(const char *key, const char *value, lm_error *err);

/* The value set in conf, else the known default, else NULL. conf may be NULL. */
const char *lm_conf_get_or_default(const lm_conf *conf, const char *key);

/*
 * Typed getters: parse the value set in conf, else the known key's default,
 * else use dflt. A value that does not parse is an error (Spark fails when
 * it reads a malformed conf), reported with Spark's message.
 */
lm_status lm_conf_get_bool(const lm_conf *conf, const char *key, bool dflt, bool *out,
                           lm_error *err);
lm_status lm_conf_get_int(const lm_conf *conf, const char *key, int32_t dflt, int32_t *out,
                          lm_error *err);
lm_status lm_conf_get_long(const lm_conf *conf, const char *key, int64_t dflt, int64_t *out,
                           lm_error *err);
lm_status lm_conf_get_double(const lm_conf *conf, const char *key, double dflt, double *out,
                             lm_error *err);
/* Bytes and time in the unit given here (the known key's unit applies to a
   bare number in the value). */
lm_status lm_conf_get_bytes(const lm_conf *conf, const char *key, lm_byte_unit unit,
                            int64_t dflt, int64_t *out, lm_error *err);
lm_status lm_conf_get_time(const lm_conf *conf, const char *key, lm_time_unit unit,
                           int64_t dflt, int64_t *out, lm_error *err);

#endif
