/*
 * Data source options: the public lm_options object and the typed getters
 * the readers and writers share. Spark keeps options in a CaseInsensitiveMap
 * and reads each one with a small helper (getBool, getChar, getInt) whose
 * error texts users see; the helpers here mirror those.
 */
#include "io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "session/session.h"
#include "types/numfmt.h"

lm_options *lm_options_new(void)
{
    return calloc(1, sizeof(lm_options));
}

void lm_options_free(lm_options *o)
{
    if (o == NULL)
        return;
    for (int i = 0; i < o->n; i++) {
        free(o->keys[i]);
        free(o->values[i]);
    }
    free(o->keys);
    free(o->values);
    free(o);
}

lm_status lm_options_set(lm_options *o, const char *key, const char *value)
{
    if (o == NULL || key == NULL)
        return LM_ERROR;
    char *v = NULL;
    if (value != NULL && (v = strdup(value)) == NULL)
        return LM_ENOMEM;
    for (int i = 0; i < o->n; i++) {
        if (strcasecmp(o->keys[i], key) == 0) {
            free(o->values[i]);
            o->values[i] = v;
            return LM_OK;
        }
    }
    if (o->n == o->cap) {
        int cap = o->cap ? o->cap * 2 : 8;
        char **nk = realloc(o->keys, sizeof *nk * (size_t)cap);
        if (nk == NULL) {
            free(v);
            return LM_ENOMEM;
        }
        o->keys = nk;
        char **nv = realloc(o->values, sizeof *nv * (size_t)cap);
        if (nv == NULL) {
            free(v);
            return LM_ENOMEM;
        }
        o->values = nv;
        o->cap = cap;
    }
    char *k = strdup(key);
    if (k == NULL) {
        free(v);
        return LM_ENOMEM;
    }
    o->keys[o->n] = k;
    o->values[o->n] = v;
    o->n++;
    return LM_OK;
}

const char *io_opt(const lm_options *o, const char *key)
{
    if (o == NULL)
        return NULL;
    for (int i = 0; i < o->n; i++)
        if (strcasecmp(o->keys[i], key) == 0)
            return o->values[i];
    return NULL;
}

const char *io_opt_any(const lm_options *o, const char *const *keys)
{
    for (int i = 0; keys[i]; i++) {
        const char *v = io_opt(o, keys[i]);
        if (v)
            return v;
    }
    return NULL;
}

lm_status io_opt_bool(lm_error *err, const lm_options *o, const char *key, bool dflt, bool *out)
{
    const char *v = io_opt(o, key);
    if (v == NULL) {
        *out = dflt;
        return LM_OK;
    }
    if (strcasecmp(v, "true") == 0) {
        *out = true;
        return LM_OK;
    }
    if (strcasecmp(v, "false") == 0) {
        *out = false;
        return LM_OK;
    }
    lm_error_set(err, LM_ERROR, IO_EXC_SPARK, "_LEGACY_ERROR_TEMP_2026", NULL,
                 "%s flag can be true or false", key);
    lm_error_param_add(err, "paramName", key);
    return LM_ERROR;
}

lm_status io_opt_int(lm_error *err, const lm_options *o, const char *key, int dflt, int *out)
{
    const char *v = io_opt(o, key);
    if (v == NULL) {
        *out = dflt;
        return LM_OK;
    }
    int64_t x;
    if (!io_java_parse_long(v, strlen(v), INT32_MIN, INT32_MAX, &x))
        return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "%s should be an integer. Found %s", key, v);
    *out = (int)x;
    return LM_OK;
}

/* Length of the UTF-8 sequence starting with byte c (1 for invalid bytes). */
static int utf8_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

/* Number of Java chars (UTF-16 units) in a UTF-8 string: what Spark's
   `value.length` sees. */
static size_t java_length(const char *s)
{
    size_t n = 0;
    for (size_t i = 0; s[i];) {
        int l = utf8_len((unsigned char)s[i]);
        n += l == 4 ? 2 : 1;
        for (int k = 0; k < l && s[i]; k++)
            i++;
    }
    return n;
}

lm_status io_opt_sym(lm_error *err, const lm_options *o, const char *key, char dflt, io_sym *out)
{
    memset(out, 0, sizeof *out);
    const char *v = io_opt(o, key);
    if (v == NULL) {
        if (dflt) {
            out->b[0] = dflt;
            out->len = 1;
        }
        return LM_OK;
    }
    size_t jl = java_length(v);
    if (jl == 0)
        return LM_OK;
    if (jl > 1) {
        lm_error_set(err, LM_ERROR, IO_EXC_SPARK, "_LEGACY_ERROR_TEMP_2025", NULL,
                     "%s cannot be more than one character", key);
        lm_error_param_add(err, "paramName", key);
        return LM_ERROR;
    }
    size_t bl = strlen(v);
    /* '\u0000' given literally also means "disabled" */
    if (bl == 1 && v[0] == '\0')
        return LM_OK;
    memcpy(out->b, v, bl);
    out->len = (int)bl;
    return LM_OK;
}

io_mode io_opt_mode(const lm_options *o)
{
    const char *v = io_opt(o, "mode");
    if (v == NULL)
        return IO_PERMISSIVE;
    if (strcasecmp(v, "DROPMALFORMED") == 0)
        return IO_DROPMALFORMED;
    if (strcasecmp(v, "FAILFAST") == 0)
        return IO_FAILFAST;
    return IO_PERMISSIVE;
}

lm_status io_opt_zone(lm_error *err, const lm_options *o, const lm_session *s, const lm_tz **out)
{
    const char *v = io_opt(o, "timeZone");
    if (v == NULL) {
        *out = s->tz ? s->tz : lm_tz_utc();
        return LM_OK;
    }
    const lm_tz *tz = lm_tz_get(v, err);
    if (tz == NULL)
        return err->status != LM_OK ? err->status : LM_ERROR;
    *out = tz;
    return LM_OK;
}

const char *io_corrupt_column(const lm_options *o, const lm_session *s)
{
    const char *v = io_opt(o, "columnNameOfCorruptRecord");
    if (v)
        return v;
    v = lm_conf_get(s->conf, "spark.sql.columnNameOfCorruptRecord");
    return v ? v : "_corrupt_record";
}

lm_status io_opt_sampling(lm_error *err, const lm_options *o, double *out)
{
    const char *v = io_opt(o, "samplingRatio");
    *out = 1.0;
    if (v == NULL)
        return LM_OK;
    double d;
    if (!io_java_parse_double(v, strlen(v), &d))
        return lm_error_set(err, LM_ERROR, "java.lang.NumberFormatException", NULL, NULL,
                            "For input string: \"%s\"", v);
    if (!(d > 0)) {
        char buf[40];
        lm_format_double(buf, d);
        return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "requirement failed: samplingRatio (%s) should be greater than 0",
                            buf);
    }
    *out = d;
    return LM_OK;
}
