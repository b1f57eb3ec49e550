/*
 * Session lifecycle, configuration cache and the error accessors of the
 * public API.
 */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "conf/master.h"
#include "types/timezone.h"

bool session_conf_bool(const lm_session *s, const char *key, bool dflt)
{
    const char *v = lm_conf_get(s->conf, key);
    if (v == NULL)
        return dflt;
    return strcasecmp(v, "true") == 0;
}

lm_parse_options session_parse_options(const lm_session *s)
{
    lm_parse_options o;
    o.escaped_string_literals = session_conf_bool(s, "spark.sql.parser.escapedStringLiterals", false);
    o.legacy_setops_precedence = session_conf_bool(s, "spark.sql.legacy.setopsPrecedence.enabled", false);
    o.exponent_literal_as_decimal =
        session_conf_bool(s, "spark.sql.legacy.exponentLiteralAsDecimal.enabled", false);
    return o;
}

lm_status session_refresh_conf(lm_session *s)
{
    s->ansi = session_conf_bool(s, "spark.sql.ansi.enabled", false);
    s->case_sensitive = session_conf_bool(s, "spark.sql.caseSensitive", false);
    const char *sp = lm_conf_get(s->conf, "spark.sql.shuffle.partitions");
    s->shuffle_partitions = sp ? atoi(sp) : 200;
    if (s->shuffle_partitions <= 0)
        s->shuffle_partitions = 200;
    const char *tzname = lm_conf_get(s->conf, "spark.sql.session.timeZone");
    if (tzname == NULL) {
        tzname = getenv("TZ");
        if (tzname == NULL || *tzname == '\0')
            tzname = "UTC";
    }
    lm_error e;
    lm_error_init(&e);
    const lm_tz *tz = lm_tz_get(tzname, &e);
    if (tz == NULL) {
        lm_error_move(&s->error, &e);
        return LM_ERROR;
    }
    s->tz = tz;
    return LM_OK;
}

/* spark.driver.memory: a bare number is MiB, as Spark reads it. */
static void session_memory_init(lm_session *s)
{
    const char *v = lm_conf_get(s->conf, "spark.driver.memory");
    int64_t bytes = 0;
    if (v != NULL && v[strspn(v, " 0123456789")] == '\0') {
        int64_t mib = 0;
        if (lm_conf_parse_bytes(v, LM_BYTE_MIB, &mib, &s->error) == LM_OK)
            bytes = mib * 1024 * 1024;
    } else if (v != NULL) {
        lm_conf_parse_bytes(v, LM_BYTE_B, &bytes, &s->error);
    } else {
        bytes = INT64_C(1) << 30; /* Spark's default, 1g */
    }
    lm_memcap_init(&s->memcap, bytes);
}

lm_session *lm_session_open(const lm_conf *conf, char **err_out)
{
    lm_session *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    lm_error_init(&s->error);
    lm_catalog_init(&s->catalog);
    s->conf = lm_conf_new();
    if (s->conf == NULL) {
        free(s);
        return NULL;
    }
    if (conf != NULL) {
        for (size_t i = 0;; i++) {
            const char *k, *v;
            if (!lm_conf_at(conf, i, &k, &v))
                break;
            if (lm_conf_set(s->conf, k, v) != LM_OK) {
                lm_session_close(s);
                return NULL;
            }
        }
    }
    /* bad configuration fails the session at open, with Spark's texts */
    for (size_t i = 0; s->error.status == LM_OK; i++) {
        const char *k, *v;
        if (!lm_conf_at(s->conf, i, &k, &v))
            break;
        lm_conf_validate(k, v, &s->error);
    }
    const char *master = lm_conf_get(s->conf, "spark.master");
    if (s->error.status == LM_OK && master != NULL) {
        lm_master m;
        lm_master_parse(master, NULL, &m, &s->error);
        lm_master_clear(&m);
    }
    if (s->error.status == LM_OK && (s->initial_conf = lm_conf_copy(s->conf)) == NULL)
        lm_error_oom(&s->error);
    if (s->error.status == LM_OK)
        session_memory_init(s);
    if (s->error.status != LM_OK || session_refresh_conf(s) != LM_OK) {
        if (err_out)
            *err_out = strdup(s->error.message ? s->error.message : "invalid configuration");
        lm_session_close(s);
        return NULL;
    }
    return s;
}

void lm_session_close(lm_session *s)
{
    if (s == NULL)
        return;
    rdd_ctx_free(s->rdd);
    lm_catalog_free(&s->catalog);
    lm_conf_free(s->conf);
    lm_conf_free(s->initial_conf);
    lm_error_clear(&s->error);
    free(s);
}

const char *lm_errmsg(const lm_session *s)
{
    return s && s->error.message ? s->error.message : "";
}

const char *lm_errclass(const lm_session *s)
{
    return s ? s->error.error_class : NULL;
}

const char *lm_sqlstate(const lm_session *s)
{
    return s ? s->error.sqlstate : NULL;
}

const char *lm_errexception(const lm_session *s)
{
    return s ? s->error.exception : NULL;
}

bool lm_errparam(const lm_session *s, int i, const char **name, const char **value)
{
    if (s == NULL || i < 0 || i >= s->error.nparams)
        return false;
    *name = s->error.params[i].name;
    *value = s->error.params[i].value;
    return true;
}

static void json_string(lm_strbuf *sb, const char *s)
{
    lm_strbuf_putc(sb, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            lm_strbuf_putc(sb, '\\');
        if (*s == '\n') {
            lm_strbuf_puts(sb, "\\n");
            continue;
        }
        lm_strbuf_putc(sb, *s);
    }
    lm_strbuf_putc(sb, '"');
}

char *lm_errjson(const lm_session *s)
{
    if (s == NULL || s->error.error_class == NULL)
        return NULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "{\n  \"errorClass\" : ");
    json_string(&sb, s->error.error_class);
    if (s->error.sqlstate) {
        lm_strbuf_puts(&sb, ",\n  \"sqlState\" : ");
        json_string(&sb, s->error.sqlstate);
    }
    if (s->error.nparams) {
        lm_strbuf_puts(&sb, ",\n  \"messageParameters\" : {\n");
        for (int i = 0; i < s->error.nparams; i++) {
            lm_strbuf_puts(&sb, "    ");
            json_string(&sb, s->error.params[i].name);
            lm_strbuf_puts(&sb, " : ");
            json_string(&sb, s->error.params[i].value);
            lm_strbuf_puts(&sb, i + 1 < s->error.nparams ? ",\n" : "\n");
        }
        lm_strbuf_puts(&sb, "  }");
    }
    lm_strbuf_puts(&sb, "\n}");
    return lm_strbuf_detach(&sb);
}

lm_status lm_session_conf_set(lm_session *s, const char *key, const char *value)
{
    lm_status st = lm_conf_validate(key, value, &s->error);
    if (st != LM_OK)
        return st;
    st = lm_conf_set(s->conf, key, value);
    if (st != LM_OK)
        return lm_error_oom(&s->error);
    return session_refresh_conf(s);
}

char *lm_session_conf_get(lm_session *s, const char *key)
{
    const char *v = lm_conf_get(s->conf, key);
    return v ? strdup(v) : NULL;
}

lm_status lm_session_conf_reset(lm_session *s, const char *key)
{
    if (key == NULL) {
        lm_conf *c = lm_conf_copy(s->initial_conf);
        if (c == NULL)
            return lm_error_oom(&s->error);
        lm_conf_free(s->conf);
        s->conf = c;
        return session_refresh_conf(s);
    }
    const char *v = lm_conf_get(s->initial_conf, key);
    if (v != NULL) {
        if (lm_conf_set(s->conf, key, v) != LM_OK)
            return lm_error_oom(&s->error);
    } else {
        lm_conf_unset(s->conf, key);
    }
    return session_refresh_conf(s);
}
