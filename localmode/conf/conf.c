/*
 * The configuration store, Spark's value parsers and the table of known
 * keys.
 *
 * The store is a small array searched linearly: a session holds tens of
 * keys, and an array keeps insertion order for free, which a hash table
 * would not. Values are parsed where they are read, as Spark's ConfigEntry
 * does, so an unknown or malformed key costs nothing until the engine asks.
 */
#include "conf/conf.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/strbuf.h"

/* ------------------------------------------------------------ the store */

typedef struct conf_kv {
    char *key;
    char *value;
} conf_kv;

struct lm_conf {
    conf_kv *items;
    size_t n;
    size_t cap;
};

static char *conf_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

lm_conf *lm_conf_new(void)
{
    return calloc(1, sizeof(lm_conf));
}

void lm_conf_free(lm_conf *conf)
{
    if (conf == NULL)
        return;
    for (size_t i = conf->n; i > 0; i--) {
        free(conf->items[i - 1].value);
        free(conf->items[i - 1].key);
    }
    free(conf->items);
    free(conf);
}

static conf_kv *conf_find(const lm_conf *conf, const char *key)
{
    if (conf == NULL || key == NULL)
        return NULL;
    for (size_t i = 0; i < conf->n; i++)
        if (strcmp(conf->items[i].key, key) == 0)
            return &conf->items[i];
    return NULL;
}

lm_status lm_conf_set(lm_conf *conf, const char *key, const char *value)
{
    if (conf == NULL || key == NULL || value == NULL)
        return LM_ERROR;
    char *v = conf_strdup(value);
    if (v == NULL)
        return LM_ENOMEM;
    conf_kv *kv = conf_find(conf, key);
    if (kv != NULL) {
        free(kv->value);
        kv->value = v;
        return LM_OK;
    }
    if (conf->n == conf->cap) {
        size_t cap = conf->cap ? conf->cap * 2 : 16;
        conf_kv *items = realloc(conf->items, cap * sizeof *items);
        if (items == NULL) {
            free(v);
            return LM_ENOMEM;
        }
        conf->items = items;
        conf->cap = cap;
    }
    char *k = conf_strdup(key);
    if (k == NULL) {
        free(v);
        return LM_ENOMEM;
    }
    conf->items[conf->n].key = k;
    conf->items[conf->n].value = v;
    conf->n++;
    return LM_OK;
}

const char *lm_conf_get(const lm_conf *conf, const char *key)
{
    conf_kv *kv = conf_find(conf, key);
    return kv ? kv->value : NULL;
}

bool lm_conf_contains(const lm_conf *conf, const char *key)
{
    return conf_find(conf, key) != NULL;
}

void lm_conf_unset(lm_conf *conf, const char *key)
{
    conf_kv *kv = conf_find(conf, key);
    if (kv == NULL)
        return;
    size_t i = (size_t)(kv - conf->items);
    free(kv->key);
    free(kv->value);
    memmove(&conf->items[i], &conf->items[i + 1], (conf->n - i - 1) * sizeof *kv);
    conf->n--;
}

lm_status lm_conf_set_if_missing(lm_conf *conf, const char *key, const char *value)
{
    if (lm_conf_contains(conf, key))
        return LM_OK;
    return lm_conf_set(conf, key, value);
}

size_t lm_conf_size(const lm_conf *conf)
{
    return conf ? conf->n : 0;
}

bool lm_conf_at(const lm_conf *conf, size_t i, const char **key, const char **value)
{
    if (conf == NULL || i >= conf->n)
        return false;
    if (key)
        *key = conf->items[i].key;
    if (value)
        *value = conf->items[i].value;
    return true;
}

lm_conf *lm_conf_copy(const lm_conf *conf)
{
    lm_conf *c = lm_conf_new();
    if (c == NULL)
        return NULL;
    if (lm_conf_merge(c, conf, true) != LM_OK) {
        lm_conf_free(c);
        return NULL;
    }
    return c;
}

lm_status lm_conf_merge(lm_conf *dst, const lm_conf *src, bool overwrite)
{
    if (dst == NULL)
        return LM_ERROR;
    for (size_t i = 0; i < lm_conf_size(src); i++) {
        const char *k = src->items[i].key, *v = src->items[i].value;
        lm_status st = overwrite ? lm_conf_set(dst, k, v) : lm_conf_set_if_missing(dst, k, v);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

/* ------------------------------------------------------- value parsing */

/* java.lang.String.trim: drops leading and trailing chars <= ' '. */
static void java_trim(const char *s, const char **start, size_t *len)
{
    const char *b = s, *e = s + strlen(s);
    while (b < e && (unsigned char)*b <= ' ')
        b++;
    while (e > b && (unsigned char)e[-1] <= ' ')
        e--;
    *start = b;
    *len = (size_t)(e - b);
}

/*
 * Long.parseLong / Integer.parseInt over s[0..len): an optional sign and at
 * least one ASCII digit, within [min, max]. Returns false on anything else.
 */
static bool java_parse_integer(const char *s, size_t len, int64_t min, int64_t max,
                               int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return false;
    /* Accumulate negatively so INT64_MIN fits. */
    int64_t acc = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        int d = s[i] - '0';
        if (acc < (INT64_MIN + d) / 10)
            return false;
        acc = acc * 10 - d;
    }
    if (!neg) {
        if (acc == INT64_MIN)
            return false;
        acc = -acc;
    }
    if (acc < min || acc > max)
        return false;
    *out = acc;
    return true;
}

lm_status lm_conf_parse_bool(const char *key, const char *s, bool *out, lm_error *err)
{
    const char *b;
    size_t n;
    if (s == NULL)
        s = "null";
    java_trim(s, &b, &n);
    if (n == 4 && strncasecmp(b, "true", 4) == 0) {
        *out = true;
        return LM_OK;
    }
    if (n == 5 && strncasecmp(b, "false", 5) == 0) {
        *out = false;
        return LM_OK;
    }
    return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                        "%s should be boolean, but was %s", key, s);
}

static lm_status parse_integral(const char *key, const char *s, int64_t min, int64_t max,
                                const char *type_name, int64_t *out, lm_error *err)
{
    const char *b;
    size_t n;
    if (s == NULL)
        s = "null";
    java_trim(s, &b, &n);
    if (java_parse_integer(b, n, min, max, out))
        return LM_OK;
    return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                        "%s should be %s, but was %s", key, type_name, s);
}

lm_status lm_conf_parse_int(const char *key, const char *s, int32_t *out, lm_error *err)
{
    int64_t v = 0;
    lm_status st = parse_integral(key, s, INT32_MIN, INT32_MAX, "int", &v, err);
    if (st == LM_OK)
        *out = (int32_t)v;
    return st;
}

lm_status lm_conf_parse_long(const char *key, const char *s, int64_t *out, lm_error *err)
{
    return parse_integral(key, s, INT64_MIN, INT64_MAX, "long", out, err);
}

/*
 * Double.parseDouble accepts a narrower language than strtod: "NaN" and
 * "Infinity" spelled exactly, decimal or hexadecimal numbers, and an
 * optional f/F/d/D suffix; "inf", "nan" and "1e" are errors. We check the
 * shape first and let strtod do the arithmetic.
 */
static bool java_parse_double(const char *s, size_t n, double *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    size_t rest = n - i;
    if (rest == 3 && strncmp(s + i, "NaN", 3) == 0) {
        *out = NAN;
        return true;
    }
    if (rest == 8 && strncmp(s + i, "Infinity", 8) == 0) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    bool hex = rest > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
    size_t end = n;
    if (hex) {
        /* Java requires a binary exponent; after it a type suffix may follow. */
        const char *p = NULL;
        for (size_t j = i + 2; j < end; j++)
            if (s[j] == 'p' || s[j] == 'P') {
                p = s + j;
                break;
            }
        if (p == NULL)
            return false;
        if (strchr("fFdD", s[end - 1]) != NULL)
            end--;
        size_t digits = 0;
        for (const char *q = s + i + 2; q < p; q++) {
            if (isxdigit((unsigned char)*q))
                digits++;
            else if (*q != '.')
                return false;
        }
        const char *q = p + 1;
        if (q < s + end && (*q == '+' || *q == '-'))
            q++;
        if (digits == 0 || q >= s + end)
            return false;
        for (; q < s + end; q++)
            if (!isdigit((unsigned char)*q))
                return false;
    } else {
        if (end > i && strchr("fFdD", s[end - 1]) != NULL)
            end--;
        size_t j = i, digits = 0;
        while (j < end && isdigit((unsigned char)s[j])) {
            j++;
            digits++;
        }
        if (j < end && s[j] == '.') {
            j++;
            while (j < end && isdigit((unsigned char)s[j])) {
                j++;
                digits++;
            }
        }
        if (digits == 0)
            return false;
        if (j < end && (s[j] == 'e' || s[j] == 'E')) {
            j++;
            if (j < end && (s[j] == '+' || s[j] == '-'))
                j++;
            size_t exp_digits = 0;
            while (j < end && isdigit((unsigned char)s[j])) {
                j++;
                exp_digits++;
            }
            if (exp_digits == 0)
                return false;
        }
        if (j != end)
            return false;
    }
    char buf[512];
    if (end >= sizeof buf)
        return false;
    memcpy(buf, s, end);
    buf[end] = '\0';
    char *stop = NULL;
    double d = strtod(buf, &stop);
    if (stop != buf + end)
        return false;
    *out = d; /* overflow gives +-Infinity and underflow 0, as in Java */
    return true;
}

lm_status lm_conf_parse_double(const char *key, const char *s, double *out, lm_error *err)
{
    const char *b;
    size_t n;
    if (s == NULL)
        s = "null";
    java_trim(s, &b, &n);
    if (java_parse_double(b, n, out))
        return LM_OK;
    return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                        "%s should be double, but was %s", key, s);
}

/* Spark's ByteUnit: names used in messages, and multipliers in bytes. */
static const char *const byte_unit_names[] = {"BYTE", "KiB", "MiB", "GiB", "TiB", "PiB"};

static int64_t byte_multiplier(lm_byte_unit u)
{
    return (int64_t)1 << (10 * (int)u);
}

/*
 * ByteUnit.convertTo: value d in unit `from` expressed in unit `to`. Going
 * to a smaller unit multiplies and fails past Long.MAX_VALUE with Spark's
 * message; going to a larger one truncates.
 */
static lm_status byte_convert(int64_t d, lm_byte_unit from, lm_byte_unit to, int64_t *out,
                              lm_error *err)
{
    int64_t mf = byte_multiplier(from), mt = byte_multiplier(to);
    if (mf > mt) {
        int64_t ratio = mf / mt;
        if (INT64_MAX / ratio < d)
            return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                                "Conversion of %" PRId64
                                " exceeded Long.MAX_VALUE in %s. Try a larger unit "
                                "(e.g. MiB instead of KiB)",
                                d, byte_unit_names[from]);
        *out = d * ratio;
    } else {
        *out = d / (mt / mf);
    }
    return LM_OK;
}

/* Lower-cases ASCII into a fresh buffer and trims as String.trim. */
static char *lower_trim_dup(const char *s)
{
    const char *b;
    size_t n;
    java_trim(s, &b, &n);
    char *d = malloc(n + 1);
    if (d == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        d[i] = (char)tolower((unsigned char)b[i]);
    d[n] = '\0';
    return d;
}

/* Splits "<digits><letters>" ("-"-prefixed digits when allow_minus). */
static bool split_number_suffix(const char *s, bool allow_minus, size_t *num_len,
                                const char **suffix)
{
    size_t i = 0;
    if (allow_minus && s[0] == '-')
        i = 1;
    size_t d0 = i;
    while (s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d0)
        return false;
    *num_len = i;
    size_t j = i;
    while (s[j] >= 'a' && s[j] <= 'z')
        j++;
    if (s[j] != '\0')
        return false;
    *suffix = j > i ? s + i : NULL;
    return true;
}

static const char byte_error[] =
    "Size must be specified as bytes (b), kibibytes (k), mebibytes (m), gibibytes (g), "
    "tebibytes (t), or pebibytes(p). E.g. 50b, 100k, or 250m.";

static bool byte_suffix(const char *sfx, lm_byte_unit *u)
{
    static const struct {
        const char *name;
        lm_byte_unit unit;
    } tab[] = {{"b", LM_BYTE_B},   {"k", LM_BYTE_KIB},  {"kb", LM_BYTE_KIB}, {"m", LM_BYTE_MIB},
               {"mb", LM_BYTE_MIB}, {"g", LM_BYTE_GIB},  {"gb", LM_BYTE_GIB}, {"t", LM_BYTE_TIB},
               {"tb", LM_BYTE_TIB}, {"p", LM_BYTE_PIB},  {"pb", LM_BYTE_PIB}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(sfx, tab[i].name) == 0) {
            *u = tab[i].unit;
            return true;
        }
    return false;
}

/* JavaUtils.byteStringAs on a string without the leading '-'. */
static lm_status byte_string_as(const char *str, lm_byte_unit unit, int64_t *out,
                                lm_error *err)
{
    char *lower = lower_trim_dup(str);
    if (lower == NULL)
        return lm_error_oom(err);
    lm_status st = LM_OK;
    size_t num_len;
    const char *sfx;
    if (split_number_suffix(lower, false, &num_len, &sfx)) {
        int64_t v;
        lm_byte_unit from = unit;
        if (!java_parse_integer(lower, num_len, INT64_MIN, INT64_MAX, &v)) {
            st = lm_error_set(err, LM_ERROR, LM_EXC_JAVA_NUMBER_FORMAT, NULL, NULL,
                              "%s\nFor input string: \"%.*s\"", byte_error, (int)num_len,
                              lower);
        } else if (sfx != NULL && !byte_suffix(sfx, &from)) {
            st = lm_error_set(err, LM_ERROR, LM_EXC_JAVA_NUMBER_FORMAT, NULL, NULL,
                              "%s\nInvalid suffix: \"%s\"", byte_error, sfx);
        } else {
            st = byte_convert(v, from, unit, out, err);
        }
    } else {
        /* "([0-9]+\.[0-9]+)([a-z]+)?" is reported as a fraction. */
        size_t i = 0;
        while (lower[i] >= '0' && lower[i] <= '9')
            i++;
        size_t j = i;
        bool fraction = i > 0 && lower[i] == '.';
        if (fraction) {
            j = i + 1;
            while (lower[j] >= '0' && lower[j] <= '9')
                j++;
            fraction = j > i + 1;
            size_t k = j;
            while (lower[k] >= 'a' && lower[k] <= 'z')
                k++;
            fraction = fraction && lower[k] == '\0';
        }
        if (fraction)
            st = lm_error_set(err, LM_ERROR, LM_EXC_JAVA_NUMBER_FORMAT, NULL, NULL,
                              "%s\nFractional values are not supported. Input was: %.*s",
                              byte_error, (int)j, lower);
        else
            st = lm_error_set(err, LM_ERROR, LM_EXC_JAVA_NUMBER_FORMAT, NULL, NULL,
                              "%s\nFailed to parse byte string: %s", byte_error, str);
    }
    free(lower);
    return st;
}

lm_status lm_conf_parse_bytes(const char *s, lm_byte_unit unit, int64_t *out, lm_error *err)
{
    if (s == NULL)
        s = "";
    /* ConfigHelpers.byteFromString: a leading '-' negates the rest. */
    bool neg = s[0] == '-';
    int64_t v = 0;
    lm_status st = byte_string_as(neg ? s + 1 : s, unit, &v, err);
    if (st == LM_OK)
        *out = neg ? -v : v;
    return st;
}

static const int64_t time_nanos[] = {
    1,                    /* ns */
    1000,                 /* us */
    1000000,              /* ms */
    1000000000,           /* s */
    60 * 1000000000LL,    /* min */
    3600 * 1000000000LL,  /* h */
    86400 * 1000000000LL, /* d */
};

/* TimeUnit.convert: saturates at Long.MIN/MAX_VALUE, truncates toward zero. */
static int64_t time_convert(int64_t d, lm_time_unit from, lm_time_unit to)
{
    int64_t nf = time_nanos[from], nt = time_nanos[to];
    if (nf == nt)
        return d;
    if (nf > nt) {
        int64_t ratio = nf / nt;
        if (d > INT64_MAX / ratio)
            return INT64_MAX;
        if (d < INT64_MIN / ratio)
            return INT64_MIN;
        return d * ratio;
    }
    return d / (nt / nf);
}

static const char time_error[] =
    "Time must be specified as seconds (s), milliseconds (ms), microseconds (us), "
    "minutes (m or min), hour (h), or day (d). E.g. 50s, 100ms, or 250us.";

static bool time_suffix(const char *sfx, lm_time_unit *u)
{
    static const struct {
        const char *name;
        lm_time_unit unit;
    } tab[] = {{"us", LM_TIME_US}, {"ms", LM_TIME_MS},   {"s", LM_TIME_S}, {"m", LM_TIME_MIN},
               {"min", LM_TIME_MIN}, {"h", LM_TIME_H}, {"d", LM_TIME_D}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(sfx, tab[i].name) == 0) {
            *u = tab[i].unit;
            return true;
        }
    return false;
}

lm_status lm_conf_parse_time(const char *s, lm_time_unit unit, int64_t *out, lm_error *err)
{
    if (s == NULL)
        s = "";
    char *lower = lower_trim_dup(s);
    if (lower == NULL)
        return lm_error_oom(err);
    lm_status st = LM_OK;
    size_t num_len;
    const char *sfx;
    int64_t v;
    lm_time_unit from = unit;
    if (!split_number_suffix(lower, true, &num_len, &sfx))
        st = lm_error_set(err, LM_ERROR, LM_EXC_JAVA_NUMBER_FORMAT, NULL, NULL,
                          "%s\nFailed to parse time string: %s", time_error, s);
    else if (!java_parse_integer(lower, num_len, INT64_MIN, INT64_MAX, &v))
        st = lm_error_set(err, LM_ERROR, LM_EXC_JAVA_NUMBER_FORMAT, NULL, NULL,
                          "%s\nFor input string: \"%.*s\"", time_error, (int)num_len, lower);
    else if (sfx != NULL && !time_suffix(sfx, &from))
        st = lm_error_set(err, LM_ERROR, LM_EXC_JAVA_NUMBER_FORMAT, NULL, NULL,
                          "%s\nInvalid suffix: \"%s\"", time_error, sfx);
    else
        *out = time_convert(v, from, unit);
    free(lower);
    return st;
}

/* ---------------------------------------------------------- known keys */

static const char *const legacy_policy_values[] = {"EXCEPTION", "LEGACY", "CORRECTED", NULL};
static const char *const codegen_mode_values[] = {"FALLBACK", "CODEGEN_ONLY", "NO_CODEGEN",
                                                  NULL};
static const char *const store_policy_values[] = {"ANSI", "LEGACY", "STRICT", NULL};
static const char *const dedup_policy_values[] = {"EXCEPTION", "LAST_WIN", NULL};
static const char *const timestamp_type_values[] = {"TIMESTAMP_LTZ", "TIMESTAMP_NTZ", NULL};
static const char *const deploy_mode_values[] = {"client", "cluster", NULL};

#define STR(k, d, doc) {k, LM_CONF_STRING, d, 0, NULL, 0, LM_CHECK_NONE, NULL, doc}
#define BOOL(k, d, doc) {k, LM_CONF_BOOL, d, 0, NULL, 0, LM_CHECK_NONE, NULL, doc}
#define INT(k, d, chk, msg, doc) {k, LM_CONF_INT, d, 0, NULL, 0, chk, msg, doc}
#define LONG(k, d, doc) {k, LM_CONF_LONG, d, 0, NULL, 0, LM_CHECK_NONE, NULL, doc}
#define BYTES(k, d, unit, doc) {k, LM_CONF_BYTES, d, unit, NULL, 0, LM_CHECK_NONE, NULL, doc}
#define ENUM(k, d, vals, fold, doc) {k, LM_CONF_ENUM, d, 0, vals, fold, LM_CHECK_NONE, NULL, doc}

/*
 * Keys the engine reads, with Spark 3.5.3's types and defaults. Keys with
 * a NULL default are optional in Spark or computed at startup (the doc says
 * how). Kept in key order.
 */
static const lm_conf_entry known_keys[] = {
    STR("spark.app.name", "localmode",
        "Application name. Spark has no default (PySpark through spark-submit uses "
        "'pyspark-shell', a Scala SparkSession a random UUID); localmode uses a fixed name "
        "so output is deterministic."),
    INT("spark.default.parallelism", NULL, LM_CHECK_NONE, NULL,
        "Default number of partitions of RDD operations; in local mode the number of worker "
        "threads of the master URL."),
    BYTES("spark.driver.memory", "1g", LM_BYTE_MIB,
          "Memory of the driver; a bare number is in MiB."),
    BYTES("spark.executor.memory", "1g", LM_BYTE_MIB,
          "Memory per executor; a bare number is in MiB."),
    STR("spark.local.dir", "/tmp",
        "Scratch space for shuffle and spill files; SPARK_LOCAL_DIRS in the environment "
        "overrides it."),
    STR("spark.localmode.chaos.failTasks", NULL,
        "localmode: task attempts the scheduler fails after they ran, comma-separated: "
        "STAGE:PARTITION[:ATTEMPT] (numbers or *, attempt 0 by default) or a probability "
        "in [0, 1] drawn from the chaos seed; unset means none."),
    LONG("spark.localmode.chaos.seed", NULL,
         "localmode: seed that permutes task order and shuffle arrival to surface "
         "order-dependent jobs; unset means no chaos."),
    STR("spark.localmode.test.ioFaults", NULL,
        "localmode, tests only: file operations to fail, comma-separated "
        "OP:FAULT[:MATCH[:NTH]] (common/fileio.h); unset means none."),
    BOOL("spark.localmode.test.windowRowPath", "false",
         "localmode, tests only: run WINDOW on its row path (the reference the column path "
         "is checked against)."),
    STR("spark.master", "local[*]",
        "Master URL. Spark has no default in SparkConf; spark-submit falls back to local[*]."),
    BOOL("spark.sql.adaptive.enabled", "true", "Adaptive query execution."),
    BOOL("spark.sql.ansi.enabled", "false",
         "ANSI SQL mode: overflow and invalid casts fail instead of returning null."),
    BYTES("spark.sql.autoBroadcastJoinThreshold", "10MB", LM_BYTE_B,
          "Largest table broadcast in a join, in bytes; -1 disables broadcasting."),
    BOOL("spark.sql.caseSensitive", "false", "Whether identifiers are case sensitive."),
    ENUM("spark.sql.codegen.factoryMode", "FALLBACK", codegen_mode_values, 'U',
         "Codegen or interpreted expression evaluation (testing)."),
    BOOL("spark.sql.codegen.wholeStage", "true", "Whole-stage code generation."),
    BOOL("spark.sql.crossJoin.enabled", "true", "Allow cartesian products."),
    BOOL("spark.sql.datetime.java8API.enabled", "false",
         "Return java.time types instead of java.sql ones."),
    INT("spark.sql.debug.maxToStringFields", "25", LM_CHECK_NONE, NULL,
        "Fields of a sequence-like entry printed in plan strings before truncation."),
    BOOL("spark.sql.decimalOperations.allowPrecisionLoss", "true",
         "Round decimal results that exceed 38 digits instead of returning null."),
    BYTES("spark.sql.files.maxPartitionBytes", "128MB", LM_BYTE_B,
          "Largest number of bytes packed into one partition when reading files."),
    BOOL("spark.sql.function.concatBinaryAsString", "false",
         "concat of binary inputs returns a string."),
    BOOL("spark.sql.function.eltOutputAsString", "false",
         "elt of binary inputs returns a string."),
    BOOL("spark.sql.groupByOrdinal", "true", "Integers in GROUP BY are column ordinals."),
    BOOL("spark.sql.join.forceApplyShuffledHashJoin", "false",
         "Prefer shuffled hash join (testing)."),
    BOOL("spark.sql.join.preferSortMergeJoin", "true",
         "Prefer sort-merge join over shuffled hash join."),
    INT("spark.sql.leafNodeDefaultParallelism", NULL, LM_CHECK_POSITIVE,
        "The value of spark.sql.leafNodeDefaultParallelism must be positive.",
        "Partitions of leaf nodes (scans, ranges); defaults to spark.default.parallelism."),
    BOOL("spark.sql.legacy.allowParameterlessCount", "false", "Allow count() without arguments."),
    BOOL("spark.sql.legacy.allowStarWithSingleTableIdentifierInCount", "false",
         "Allow count(tbl.*)."),
    ENUM("spark.sql.legacy.ctePrecedencePolicy", "EXCEPTION", legacy_policy_values, 'U',
         "Name conflicts in nested WITH: EXCEPTION fails, LEGACY prefers the outer "
         "definition, CORRECTED the inner one."),
    BOOL("spark.sql.legacy.nullInEmptyListBehavior", "true",
         "Legacy result of NULL IN (empty list): null instead of false."),
    BOOL("spark.sql.legacy.percentileDiscCalculation", "false",
         "Legacy (incorrect) percentile_disc results."),
    BOOL("spark.sql.legacy.setopsPrecedence.enabled", "false",
         "Set operations evaluated left to right instead of INTERSECT first."),
    BOOL("spark.sql.legacy.sizeOfNull", "true",
         "size(NULL) returns -1 (unless ANSI mode is on)."),
    ENUM("spark.sql.legacy.timeParserPolicy", "EXCEPTION", legacy_policy_values, 'U',
         "Datetime parsing and formatting: EXCEPTION, LEGACY (SimpleDateFormat) or CORRECTED."),
    ENUM("spark.sql.mapKeyDedupPolicy", "EXCEPTION", dedup_policy_values, 'U',
         "Duplicate map keys fail (EXCEPTION) or the last one wins (LAST_WIN)."),
    BOOL("spark.sql.optimizeNullAwareAntiJoin", "true",
         "Plan NOT IN subqueries as null-aware anti joins."),
    BOOL("spark.sql.optimizer.optimizeOneRowRelationSubquery.alwaysInline", "true",
         "Always inline one-row-relation subqueries."),
    INT("spark.sql.optimizer.windowGroupLimitThreshold", "1000", LM_CHECK_NONE, NULL,
        "Largest rank limit pushed below a window as a group limit; -1 disables."),
    BOOL("spark.sql.orderByOrdinal", "true", "Integers in ORDER BY are column ordinals."),
    STR("spark.sql.parquet.compression.codec", "snappy",
        "Codec used when writing Parquet files."),
    BOOL("spark.sql.parser.quotedRegexColumnNames", "false",
         "Back-quoted identifiers in SELECT are regular expressions."),
    STR("spark.sql.session.timeZone", NULL,
        "Session time zone; defaults to the machine's zone (TZ, else /etc/localtime)."),
    INT("spark.sql.shuffle.partitions", "200", LM_CHECK_POSITIVE,
        "The value of spark.sql.shuffle.partitions must be positive",
        "Partitions of shuffles for joins and aggregations."),
    STR("spark.sql.sources.default", "parquet", "Data source used when none is given."),
    ENUM("spark.sql.storeAssignmentPolicy", "ANSI", store_policy_values, 'U',
         "Type coercion when inserting into a table."),
    ENUM("spark.sql.timestampType", "TIMESTAMP_LTZ", timestamp_type_values, 'U',
         "The type TIMESTAMP means: with local time zone (LTZ) or without (NTZ)."),
    STR("spark.sql.warehouse.dir", NULL,
        "Location of managed tables; defaults to spark-warehouse in the working directory."),
    ENUM("spark.submit.deployMode", "client", deploy_mode_values, 0,
         "Where the driver runs; local masters support only client."),
    INT("spark.task.cpus", "1", LM_CHECK_NONE, NULL, "Cores each task needs."),
    INT("spark.task.maxFailures", "4", LM_CHECK_NONE, NULL,
        "Task attempts before a job fails on a cluster. Local masters ignore it: local and "
        "local[N] allow 1 attempt, local[N,F] F attempts."),
    BOOL("spark.ui.enabled", "true",
         "Web UI; localmode has none. PySpark sets it false when SPARK_TESTING is set."),
};

#undef STR
#undef BOOL
#undef INT
#undef LONG
#undef BYTES
#undef ENUM

const lm_conf_entry *lm_conf_known(const char *key)
{
    if (key == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++)
        if (strcmp(known_keys[i].key, key) == 0)
            return &known_keys[i];
    return NULL;
}

size_t lm_conf_known_count(void)
{
    return sizeof known_keys / sizeof known_keys[0];
}

const lm_conf_entry *lm_conf_known_at(size_t i)
{
    return i < lm_conf_known_count() ? &known_keys[i] : NULL;
}

/* TypedConfigBuilder.checkValue's message: "'<v>' in <key> is invalid. <msg>" */
static lm_status check_range(const lm_conf_entry *e, int64_t v, lm_error *err)
{
    bool ok = e->check == LM_CHECK_NONE || (e->check == LM_CHECK_POSITIVE && v > 0) ||
              (e->check == LM_CHECK_NON_NEGATIVE && v >= 0);
    if (ok)
        return LM_OK;
    return lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                        "'%" PRId64 "' in %s is invalid. %s", v, e->key,
                        e->check_msg ? e->check_msg : "");
}

static lm_status check_enum(const lm_conf_entry *e, const char *value, lm_error *err)
{
    size_t n = strlen(value);
    char *folded = malloc(n + 1);
    if (folded == NULL)
        return lm_error_oom(err);
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = (unsigned char)value[i];
        folded[i] = (char)(e->fold == 'U' ? toupper(c) : e->fold == 'L' ? tolower(c) : c);
    }
    for (const char *const *v = e->values; *v != NULL; v++)
        if (strcmp(*v, folded) == 0) {
            free(folded);
            return LM_OK;
        }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (const char *const *v = e->values; *v != NULL; v++) {
        if (v != e->values)
            lm_strbuf_puts(&sb, ", ");
        lm_strbuf_puts(&sb, *v);
    }
    lm_status st;
    if (!lm_strbuf_ok(&sb))
        st = lm_error_oom(err);
    else
        st = lm_error_set(err, LM_ERROR, LM_EXC_JAVA_ILLEGAL_ARG, NULL, NULL,
                          "The value of %s should be one of %s, but was %s", e->key,
                          lm_strbuf_cstr(&sb), folded);
    lm_strbuf_free(&sb);
    free(folded);
    return st;
}

static lm_status validate_entry(const lm_conf_entry *e, const char *value, lm_error *err)
{
    bool b;
    int32_t i32;
    int64_t i64;
    double d;
    lm_status st;
    switch (e->type) {
    case LM_CONF_STRING:
        return LM_OK;
    case LM_CONF_BOOL:
        return lm_conf_parse_bool(e->key, value, &b, err);
    case LM_CONF_INT:
        st = lm_conf_parse_int(e->key, value, &i32, err);
        return st == LM_OK ? check_range(e, i32, err) : st;
    case LM_CONF_LONG:
        st = lm_conf_parse_long(e->key, value, &i64, err);
        return st == LM_OK ? check_range(e, i64, err) : st;
    case LM_CONF_DOUBLE:
        return lm_conf_parse_double(e->key, value, &d, err);
    case LM_CONF_BYTES:
        st = lm_conf_parse_bytes(value, (lm_byte_unit)e->unit, &i64, err);
        return st == LM_OK ? check_range(e, i64, err) : st;
    case LM_CONF_TIME:
        st = lm_conf_parse_time(value, (lm_time_unit)e->unit, &i64, err);
        return st == LM_OK ? check_range(e, i64, err) : st;
    case LM_CONF_ENUM:
        return check_enum(e, value, err);
    }
    return LM_OK;
}

lm_status lm_conf_validate(const char *key, const char *value, lm_error *err)
{
    const lm_conf_entry *e = lm_conf_known(key);
    if (e == NULL)
        return LM_OK;
    return validate_entry(e, value ? value : "null", err);
}

const char *lm_conf_get_or_default(const lm_conf *conf, const char *key)
{
    const char *v = lm_conf_get(conf, key);
    if (v != NULL)
        return v;
    const lm_conf_entry *e = lm_conf_known(key);
    return e ? e->default_value : NULL;
}

lm_status lm_conf_get_bool(const lm_conf *conf, const char *key, bool dflt, bool *out,
                           lm_error *err)
{
    const char *v = lm_conf_get_or_default(conf, key);
    if (v == NULL) {
        *out = dflt;
        return LM_OK;
    }
    return lm_conf_parse_bool(key, v, out, err);
}

lm_status lm_conf_get_int(const lm_conf *conf, const char *key, int32_t dflt, int32_t *out,
                          lm_error *err)
{
    const char *v = lm_conf_get_or_default(conf, key);
    if (v == NULL) {
        *out = dflt;
        return LM_OK;
    }
    return lm_conf_parse_int(key, v, out, err);
}

lm_status lm_conf_get_long(const lm_conf *conf, const char *key, int64_t dflt, int64_t *out,
                           lm_error *err)
{
    const char *v = lm_conf_get_or_default(conf, key);
    if (v == NULL) {
        *out = dflt;
        return LM_OK;
    }
    return lm_conf_parse_long(key, v, out, err);
}

lm_status lm_conf_get_double(const lm_conf *conf, const char *key, double dflt, double *out,
                             lm_error *err)
{
    const char *v = lm_conf_get_or_default(conf, key);
    if (v == NULL) {
        *out = dflt;
        return LM_OK;
    }
    return lm_conf_parse_double(key, v, out, err);
}

lm_status lm_conf_get_bytes(const lm_conf *conf, const char *key, lm_byte_unit unit,
                            int64_t dflt, int64_t *out, lm_error *err)
{
    const char *v = lm_conf_get_or_default(conf, key);
    if (v == NULL) {
        *out = dflt;
        return LM_OK;
    }
    const lm_conf_entry *e = lm_conf_known(key);
    lm_byte_unit native = e && e->type == LM_CONF_BYTES ? (lm_byte_unit)e->unit : unit;
    int64_t n;
    lm_status st = lm_conf_parse_bytes(v, native, &n, err);
    if (st != LM_OK)
        return st;
    if (n < 0) {
        /* Convert the magnitude so truncation goes toward zero, as for positives. */
        int64_t m = 0;
        st = byte_convert(n == INT64_MIN ? INT64_MAX : -n, native, unit, &m, err);
        if (st == LM_OK)
            *out = -m;
        return st;
    }
    return byte_convert(n, native, unit, out, err);
}

lm_status lm_conf_get_time(const lm_conf *conf, const char *key, lm_time_unit unit,
                           int64_t dflt, int64_t *out, lm_error *err)
{
    const char *v = lm_conf_get_or_default(conf, key);
    if (v == NULL) {
        *out = dflt;
        return LM_OK;
    }
    const lm_conf_entry *e = lm_conf_known(key);
    lm_time_unit native = e && e->type == LM_CONF_TIME ? (lm_time_unit)e->unit : unit;
    int64_t n;
    lm_status st = lm_conf_parse_time(v, native, &n, err);
    if (st == LM_OK)
        *out = time_convert(n, native, unit);
    return st;
}
