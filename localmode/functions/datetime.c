/*
 * Date and time functions on top of types/datetime.h (calendar, zones,
 * Spark's default forms) and types/datetime_format.h (Spark 3 patterns).
 * TIMESTAMP values are read in the session zone (ec->tz); date fields of
 * timestamps and strings go through Spark's implicit casts to DATE.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "expr/cast.h"
#include "functions/decimal_ops.h"
#include "functions/families.h"
#include "functions/fn_util.h"
#include "types/datetime.h"
#include "types/datetime_format.h"

#define NI LM_FN_NULL_INTOLERANT

static const lm_tz *zone(lm_eval_ctx *ec)
{
    return ec->tz ? ec->tz : lm_tz_utc();
}

static lm_status expect(lm_resolve_ctx *rc, lm_expr *call, int i, const lm_type *t, lm_error *err)
{
    if (call->args[i]->type->id == t->id)
        return LM_OK;
    return fn_expect(rc, call, i, t, NULL, err);
}

/* A DATE argument: timestamps and strings cast implicitly. */
static lm_status expect_date(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    return expect(rc, call, i, lm_type_date(), err);
}

static lm_status expect_ts(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    lm_type_id id = call->args[i]->type->id;
    if (id == LM_TYPE_TIMESTAMP || id == LM_TYPE_TIMESTAMP_NTZ)
        return LM_OK;
    return fn_expect(rc, call, i, lm_type_timestamp(), "\"TIMESTAMP\"", err);
}

static lm_status res(lm_resolve_ctx *rc, lm_expr *call, lm_type *t, lm_error *err)
{
    return fn_set_result(rc, call, t, fn_args_nullable(call), err);
}

/* ------------------------------------------------------------ current */

static lm_status resolve_current_date(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_date(), false, err);
}

static lm_status eval_current_date(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                   lm_value *out)
{
    *out = lm_value_i64(lm_ts_to_date(lm_ts_now(), zone(ec)));
    return LM_OK;
}

static lm_status resolve_current_ts(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    bool local = strcmp(call->fn->name, "localtimestamp") == 0;
    return fn_set_result(rc, call, local ? lm_type_timestamp_ntz() : lm_type_timestamp(), false,
                         err);
}

static lm_status eval_current_ts(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    int64_t now = lm_ts_now();
    if (call->type->id == LM_TYPE_TIMESTAMP_NTZ) {
        int64_t r;
        if (lm_ts_to_ntz(now, zone(ec), &r))
            now = r;
    }
    *out = lm_value_i64(now);
    return LM_OK;
}

static lm_status resolve_current_tz(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    return fn_set_result(rc, call, lm_type_string(), false, err);
}

static lm_status eval_current_tz(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    const char *id = lm_tz_id(zone(ec));
    return fn_out_str(ec, out, id, strlen(id));
}

/* ------------------------------------------------------------ parsing */

static void free_dtf(void *p)
{
    lm_dtf_free(p);
}

/* Compiles a literal pattern once; NULL when the pattern is not literal. */
static lm_status prepare_format(lm_resolve_ctx *rc, lm_expr *call, int i, bool parsing,
                                lm_error *err)
{
    lm_value v;
    if (i >= call->nargs || !fn_const_value(rc, call->args[i], &v) || v.is_null)
        return LM_OK;
    char *p = lm_arena_strndup(rc->a, v.u.str.ptr, (size_t)v.u.str.len);
    if (p == NULL)
        return fn_oom(err);
    lm_dtf *f = lm_dtf_compile(p, parsing, err);
    if (f == NULL)
        return LM_ERROR;
    if (!lm_arena_on_free(rc->a, free_dtf, f)) {
        lm_dtf_free(f);
        return fn_oom(err);
    }
    call->aux = f;
    return LM_OK;
}

static lm_dtf *format_of(lm_eval_ctx *ec, const lm_expr *call, const lm_value *fmt, bool parsing,
                         bool *owned)
{
    *owned = false;
    if (call->aux)
        return call->aux;
    char *p = lm_arena_strndup(ec->arena, fmt->u.str.ptr, (size_t)fmt->u.str.len);
    if (p == NULL)
        return NULL;
    lm_dtf *f = lm_dtf_compile(p, parsing, ec->err);
    *owned = f != NULL;
    return f;
}

static lm_status resolve_to_ts(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const char *n = call->fn->name;
    lm_type *t = strcmp(n, "to_date") == 0            ? lm_type_date()
                 : strcmp(n, "to_timestamp_ntz") == 0 ? lm_type_timestamp_ntz()
                                                      : lm_type_timestamp();
    lm_type_id in = call->args[0]->type->id;
    if (call->nargs == 1) {
        if (in != LM_TYPE_STRING && in != LM_TYPE_DATE && in != LM_TYPE_TIMESTAMP &&
            in != LM_TYPE_TIMESTAMP_NTZ && in != LM_TYPE_NULL)
            return lm_coerce_unexpected_input(rc, call, 0,
                                              "(\"STRING\" or \"DATE\" or \"TIMESTAMP\" or "
                                              "\"TIMESTAMP_NTZ\")",
                                              err);
        return fn_set_result(rc, call, t, true, err);
    }
    if (in != LM_TYPE_DATE && in != LM_TYPE_TIMESTAMP && in != LM_TYPE_TIMESTAMP_NTZ &&
        expect(rc, call, 0, lm_type_string(), err) != LM_OK)
        return LM_ERROR;
    if (expect(rc, call, 1, lm_type_string(), err) != LM_OK ||
        prepare_format(rc, call, 1, true, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, t, true, err);
}

static lm_status eval_to_ts(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    const lm_type *from = call->args[0]->type;
    *out = lm_value_null();
    if (call->nargs == 1 || from->id != LM_TYPE_STRING) {
        if (a[0].is_null)
            return LM_OK;
        return lm_cast_value(ec, from, call->type, &a[0], out, 0);
    }
    if (a[0].is_null || a[1].is_null)
        return LM_OK;
    bool owned;
    lm_dtf *f = format_of(ec, call, &a[1], true, &owned);
    if (f == NULL)
        return LM_ERROR;
    lm_dtf_result r;
    const char *s = a[0].u.str.ptr;
    size_t n = (size_t)a[0].u.str.len;
    if (call->type->id == LM_TYPE_DATE) {
        int32_t d;
        int64_t us;
        r = lm_dtf_parse_ts(f, s, n, zone(ec), &us);
        if (r == LM_DTF_OK) {
            d = lm_ts_to_date(us, zone(ec));
            *out = lm_value_i64(d);
        }
    } else if (call->type->id == LM_TYPE_TIMESTAMP_NTZ) {
        int64_t us;
        r = lm_dtf_parse_ntz(f, s, n, false, &us);
        if (r == LM_DTF_OK)
            *out = lm_value_i64(us);
    } else {
        int64_t us;
        r = lm_dtf_parse_ts(f, s, n, zone(ec), &us);
        if (r == LM_DTF_OK)
            *out = lm_value_i64(us);
    }
    if (owned)
        lm_dtf_free(f);
    if (r == LM_DTF_UPGRADE)
        return lm_dtf_upgrade_error(ec->err, s, n);
    if (r == LM_DTF_FAIL && ec->ansi) {
        char *v = lm_arena_strndup(ec->arena, s, n);
        lm_eval_error(ec, LM_EXC_DATETIME, "CANNOT_PARSE_TIMESTAMP", "22007",
                      "[CANNOT_PARSE_TIMESTAMP] Text '%s' could not be parsed. Use `try_to_timestamp` "
                      "to tolerate invalid input string and return NULL instead. If necessary set "
                      "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                      v ? v : "");
        return LM_ERROR;
    }
    return LM_OK;
}

/* unix_timestamp / to_unix_timestamp: seconds, default pattern yyyy-MM-dd HH:mm:ss */
static lm_status resolve_unix_ts(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs >= 1) {
        lm_type_id in = call->args[0]->type->id;
        if (in != LM_TYPE_DATE && in != LM_TYPE_TIMESTAMP && in != LM_TYPE_TIMESTAMP_NTZ &&
            expect(rc, call, 0, lm_type_string(), err) != LM_OK)
            return LM_ERROR;
    }
    if (call->nargs == 2 && (expect(rc, call, 1, lm_type_string(), err) != LM_OK ||
                             prepare_format(rc, call, 1, true, err) != LM_OK))
        return LM_ERROR;
    if (call->nargs == 1 && call->args[0]->type->id == LM_TYPE_STRING) {
        lm_dtf *f = lm_dtf_compile("yyyy-MM-dd HH:mm:ss", true, err);
        if (f == NULL)
            return LM_ERROR;
        if (!lm_arena_on_free(rc->a, free_dtf, f)) {
            lm_dtf_free(f);
            return fn_oom(err);
        }
        call->aux = f;
    }
    return fn_set_result(rc, call, lm_type_long(), true, err);
}

static lm_status eval_unix_ts(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    *out = lm_value_null();
    if (call->nargs == 0) {
        *out = lm_value_i64(lm_floor_div(lm_ts_now(), LM_MICROS_PER_SECOND));
        return LM_OK;
    }
    if (a[0].is_null || (call->nargs == 2 && a[1].is_null))
        return LM_OK;
    const lm_type *t = call->args[0]->type;
    int64_t us;
    if (t->id == LM_TYPE_DATE) {
        if (!lm_date_to_ts((int32_t)a[0].u.i64, zone(ec), &us))
            return LM_OK;
    } else if (t->id == LM_TYPE_TIMESTAMP) {
        us = a[0].u.i64;
    } else if (t->id == LM_TYPE_TIMESTAMP_NTZ) {
        us = a[0].u.i64;
    } else {
        bool owned;
        lm_dtf *f = format_of(ec, call, &a[1], true, &owned);
        if (f == NULL)
            return LM_ERROR;
        lm_dtf_result r = lm_dtf_parse_ts(f, a[0].u.str.ptr, (size_t)a[0].u.str.len, zone(ec), &us);
        if (owned)
            lm_dtf_free(f);
        if (r == LM_DTF_UPGRADE)
            return lm_dtf_upgrade_error(ec->err, a[0].u.str.ptr, (size_t)a[0].u.str.len);
        if (r != LM_DTF_OK)
            return LM_OK;
    }
    *out = lm_value_i64(lm_floor_div(us, LM_MICROS_PER_SECOND));
    return LM_OK;
}

/* from_unixtime(sec[, fmt]) */
static lm_status resolve_from_unixtime(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect(rc, call, 0, lm_type_long(), err) != LM_OK)
        return LM_ERROR;
    if (call->nargs == 2) {
        if (expect(rc, call, 1, lm_type_string(), err) != LM_OK ||
            prepare_format(rc, call, 1, false, err) != LM_OK)
            return LM_ERROR;
    } else {
        lm_dtf *f = lm_dtf_compile("yyyy-MM-dd HH:mm:ss", false, err);
        if (f == NULL)
            return LM_ERROR;
        if (!lm_arena_on_free(rc->a, free_dtf, f)) {
            lm_dtf_free(f);
            return fn_oom(err);
        }
        call->aux = f;
    }
    return fn_set_result(rc, call, lm_type_string(), fn_args_nullable(call), err);
}

static lm_status eval_from_unixtime(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                    lm_value *out)
{
    bool owned;
    lm_dtf *f = format_of(ec, call, call->nargs == 2 ? &a[1] : NULL, false, &owned);
    if (f == NULL)
        return LM_ERROR;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    lm_dtf_format_ts(f, &sb, a[0].u.i64 * LM_MICROS_PER_SECOND, zone(ec));
    if (owned)
        lm_dtf_free(f);
    return fn_out_sb(ec, out, &sb);
}

static lm_status resolve_date_format(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_ts(rc, call, 0, err) != LM_OK || expect(rc, call, 1, lm_type_string(), err) != LM_OK ||
        prepare_format(rc, call, 1, false, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_string(), fn_args_nullable(call), err);
}

static lm_status eval_date_format(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                  lm_value *out)
{
    bool owned;
    lm_dtf *f = format_of(ec, call, &a[1], false, &owned);
    if (f == NULL)
        return LM_ERROR;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "");
    if (call->args[0]->type->id == LM_TYPE_TIMESTAMP_NTZ)
        lm_dtf_format_ntz(f, &sb, a[0].u.i64);
    else
        lm_dtf_format_ts(f, &sb, a[0].u.i64, zone(ec));
    if (owned)
        lm_dtf_free(f);
    return fn_out_sb(ec, out, &sb);
}

/* ------------------------------------------------------ date arithmetic */

static lm_status resolve_date_add(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_date(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    lm_type_id t = call->args[1]->type->id;
    if (t == LM_TYPE_STRING || t == LM_TYPE_NULL) {
        if (fn_cast_arg(rc, call, 1, lm_type_int(), err) != LM_OK)
            return LM_ERROR;
    } else if (t != LM_TYPE_INT && t != LM_TYPE_SHORT && t != LM_TYPE_BYTE)
        return lm_coerce_unexpected_input(rc, call, 1, "(\"INT\" or \"SMALLINT\" or \"TINYINT\")",
                                          err);
    return res(rc, call, lm_type_date(), err);
}

static lm_status eval_date_add(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                               lm_value *out)
{
    int32_t n = (int32_t)a[1].u.i64;
    if (strcmp(call->fn->name, "date_sub") == 0)
        n = (int32_t)(0u - (uint32_t)n);
    *out = lm_value_i64(lm_date_add_days((int32_t)a[0].u.i64, n));
    return LM_OK;
}

static lm_status resolve_datediff(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_date(rc, call, 0, err) != LM_OK || expect_date(rc, call, 1, err) != LM_OK)
        return LM_ERROR;
    return res(rc, call, lm_type_int(), err);
}

static lm_status eval_datediff(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                               lm_value *out)
{
    *out = lm_value_i64((int32_t)(a[0].u.i64 - a[1].u.i64));
    return LM_OK;
}

static lm_status resolve_add_months(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_date(rc, call, 0, err) != LM_OK || expect(rc, call, 1, lm_type_int(), err) != LM_OK)
        return LM_ERROR;
    return res(rc, call, lm_type_date(), err);
}

static lm_status eval_add_months(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                 lm_value *out)
{
    int32_t r;
    if (!lm_date_add_months((int32_t)a[0].u.i64, (int32_t)a[1].u.i64, &r))
        *out = lm_value_null();
    else
        *out = lm_value_i64(r);
    return LM_OK;
}

static lm_status resolve_months_between(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (call->nargs == 2) {
        lm_expr *t = lm_arena_calloc(rc->a, 1, sizeof *t);
        lm_expr **args = lm_arena_alloc(rc->a, sizeof *args * 3);
        if (t == NULL || args == NULL)
            return fn_oom(err);
        t->kind = LM_EXPR_LITERAL;
        t->start = t->stop = -1;
        t->type = lm_type_boolean();
        t->value = lm_value_bool(true);
        t->resolved = true;
        args[0] = call->args[0];
        args[1] = call->args[1];
        args[2] = t;
        call->args = args;
        call->nargs = 3;
    }
    if (expect(rc, call, 0, lm_type_timestamp(), err) != LM_OK ||
        expect(rc, call, 1, lm_type_timestamp(), err) != LM_OK ||
        expect(rc, call, 2, lm_type_boolean(), err) != LM_OK)
        return LM_ERROR;
    return res(rc, call, lm_type_double(), err);
}

static lm_status eval_months_between(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                     lm_value *out)
{
    *out = lm_value_f64(lm_ts_months_between(a[0].u.i64, a[1].u.i64, a[2].u.b, zone(ec)));
    return LM_OK;
}

static lm_status resolve_date1(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_date(rc, call, 0, err) != LM_OK)
        return LM_ERROR;
    return res(rc, call, lm_type_date(), err);
}

static lm_status eval_last_day(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                               lm_value *out)
{
    *out = lm_value_i64(lm_date_last_day((int32_t)a[0].u.i64));
    return LM_OK;
}

static lm_status resolve_next_day(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect_date(rc, call, 0, err) != LM_OK || expect(rc, call, 1, lm_type_string(), err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_date(), true, err);
}

static lm_status eval_next_day(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                               lm_value *out)
{
    int32_t r;
    if (!lm_date_next_day((int32_t)a[0].u.i64, a[1].u.str.ptr, (size_t)a[1].u.str.len, &r)) {
        *out = lm_value_null();
        if (ec->ansi) {
            char *v = lm_arena_strndup(ec->arena, a[1].u.str.ptr, (size_t)a[1].u.str.len);
            lm_eval_error(ec, LM_EXC_ILLEGAL_ARG, "ILLEGAL_DAY_OF_WEEK", "22009",
                          "[ILLEGAL_DAY_OF_WEEK] Illegal input for day of week: %s.", v ? v : "");
            return LM_ERROR;
        }
        return LM_OK;
    }
    *out = lm_value_i64(r);
    return LM_OK;
}

/* ------------------------------------------------------ field extraction */

enum field {
    F_YEAR, F_QUARTER, F_MONTH, F_DAY, F_DOW, F_DOW_ISO, F_DOY, F_WEEKDAY, F_WEEK, F_YEAROFWEEK,
    F_HOUR, F_MINUTE, F_SECOND, F_SECOND_FRAC, F_INVALID
};

static enum field field_of_name(const char *n)
{
    static const struct {
        const char *name;
        enum field f;
    } k[] = {
        {"year", F_YEAR}, {"quarter", F_QUARTER}, {"month", F_MONTH}, {"day", F_DAY},
        {"dayofmonth", F_DAY}, {"dayofweek", F_DOW}, {"dayofyear", F_DOY}, {"weekday", F_WEEKDAY},
        {"weekofyear", F_WEEK}, {"hour", F_HOUR}, {"minute", F_MINUTE}, {"second", F_SECOND},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strcmp(k[i].name, n) == 0)
            return k[i].f;
    return F_INVALID;
}

/* DatePart.parseExtractField synonyms. */
static enum field parse_extract_field(const char *s, size_t n)
{
    char b[32];
    if (n >= sizeof b)
        return F_INVALID;
    for (size_t i = 0; i < n; i++)
        b[i] = (char)toupper((unsigned char)s[i]);
    b[n] = 0;
    static const struct {
        const char *name;
        enum field f;
    } k[] = {
        {"YEAR", F_YEAR}, {"Y", F_YEAR}, {"YEARS", F_YEAR}, {"YR", F_YEAR}, {"YRS", F_YEAR},
        {"YEAROFWEEK", F_YEAROFWEEK}, {"QUARTER", F_QUARTER}, {"QTR", F_QUARTER},
        {"MONTH", F_MONTH}, {"MON", F_MONTH}, {"MONS", F_MONTH}, {"MONTHS", F_MONTH},
        {"WEEK", F_WEEK}, {"W", F_WEEK}, {"WEEKS", F_WEEK}, {"DAY", F_DAY}, {"D", F_DAY},
        {"DAYS", F_DAY}, {"DAYOFWEEK", F_DOW}, {"DOW", F_DOW}, {"DAYOFWEEK_ISO", F_DOW_ISO},
        {"DOW_ISO", F_DOW_ISO}, {"DOY", F_DOY}, {"HOUR", F_HOUR}, {"H", F_HOUR},
        {"HOURS", F_HOUR}, {"HR", F_HOUR}, {"HRS", F_HOUR}, {"MINUTE", F_MINUTE},
        {"M", F_MINUTE}, {"MIN", F_MINUTE}, {"MINS", F_MINUTE}, {"MINUTES", F_MINUTE},
        {"SECOND", F_SECOND_FRAC}, {"S", F_SECOND_FRAC}, {"SEC", F_SECOND_FRAC},
        {"SECONDS", F_SECOND_FRAC}, {"SECS", F_SECOND_FRAC},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strcmp(k[i].name, b) == 0)
            return k[i].f;
    return F_INVALID;
}

static bool time_field(enum field f)
{
    return f == F_HOUR || f == F_MINUTE || f == F_SECOND || f == F_SECOND_FRAC;
}

static lm_status resolve_field(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    enum field f = field_of_name(call->fn->name);
    lm_status st = time_field(f) ? expect_ts(rc, call, 0, err) : expect_date(rc, call, 0, err);
    if (st != LM_OK)
        return st;
    return res(rc, call, lm_type_int(), err);
}

static lm_status extract_value(lm_eval_ctx *ec, enum field f, const lm_type *t, const lm_value *v,
                               lm_value *out)
{
    if (t->id == LM_TYPE_YM_INTERVAL) {
        int64_t m = v->u.i64;
        *out = lm_value_i64(f == F_YEAR ? m / 12 : m % 12);
        return LM_OK;
    }
    if (t->id == LM_TYPE_DT_INTERVAL) {
        int64_t us = v->u.i64;
        switch (f) {
        case F_DAY: *out = lm_value_i64(us / LM_MICROS_PER_DAY); break;
        case F_HOUR: *out = lm_value_i64(us % LM_MICROS_PER_DAY / LM_MICROS_PER_HOUR); break;
        case F_MINUTE: *out = lm_value_i64(us % LM_MICROS_PER_HOUR / LM_MICROS_PER_MINUTE); break;
        default: *out = lm_value_dec(us % LM_MICROS_PER_MINUTE); break;
        }
        return LM_OK;
    }
    if (t->id == LM_TYPE_INTERVAL) {
        const lm_interval *iv = &v->u.iv;
        switch (f) {
        case F_YEAR: *out = lm_value_i64(iv->months / 12); break;
        case F_MONTH: *out = lm_value_i64(iv->months % 12); break;
        case F_DAY: *out = lm_value_i64(iv->days); break;
        case F_HOUR: *out = lm_value_i64(iv->micros / LM_MICROS_PER_HOUR); break;
        case F_MINUTE: *out = lm_value_i64(iv->micros % LM_MICROS_PER_HOUR / LM_MICROS_PER_MINUTE); break;
        default: *out = lm_value_dec(iv->micros % LM_MICROS_PER_MINUTE); break;
        }
        return LM_OK;
    }
    lm_datetime_fields fl;
    int32_t days;
    if (t->id == LM_TYPE_DATE) {
        days = (int32_t)v->u.i64;
        memset(&fl, 0, sizeof fl);
    } else {
        if (t->id == LM_TYPE_TIMESTAMP)
            lm_ts_fields(v->u.i64, zone(ec), &fl);
        else
            lm_ts_ntz_fields(v->u.i64, &fl);
        days = fl.days;
    }
    int64_t r = 0;
    switch (f) {
    case F_YEAR: r = lm_date_year(days); break;
    case F_QUARTER: r = lm_date_quarter(days); break;
    case F_MONTH: r = lm_date_month(days); break;
    case F_DAY: r = lm_date_day_of_month(days); break;
    case F_DOW: r = lm_date_day_of_week(days); break;
    case F_DOW_ISO: r = lm_date_weekday(days) + 1; break;
    case F_DOY: r = lm_date_day_of_year(days); break;
    case F_WEEKDAY: r = lm_date_weekday(days); break;
    case F_WEEK: r = lm_date_iso_week(days); break;
    case F_YEAROFWEEK: r = lm_date_iso_week_year(days); break;
    case F_HOUR: r = fl.hour; break;
    case F_MINUTE: r = fl.minute; break;
    case F_SECOND: r = fl.second; break;
    case F_SECOND_FRAC:
        *out = lm_value_dec((lm_int128)fl.second * 1000000 + fl.micros);
        return LM_OK;
    default: break;
    }
    *out = lm_value_i64(r);
    return LM_OK;
}

static lm_status eval_field(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    return extract_value(ec, field_of_name(call->fn->name), call->args[0]->type, &a[0], out);
}

/* extract(field FROM src) / date_part(field, src) / datepart: the parser
   passes the field as a string literal first. */
static lm_status resolve_extract(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    /* Spark's Extract.createExpr: the field must be a foldable STRING (or
       NULL) expression, else requireLiteralParameter names the function
       as called (date_part / datepart). */
    lm_value fv;
    lm_type_id fid = call->args[0]->type->id;
    if ((fid != LM_TYPE_STRING && fid != LM_TYPE_NULL) ||
        !fn_const_value(rc, call->args[0], &fv)) {
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1100", NULL,
                     "The 'field' parameter of function '%s' needs to be a string literal.",
                     call->fn->name);
        lm_error_param_add(err, "argName", "field");
        lm_error_param_add(err, "funcName", call->fn->name);
        lm_error_param_add(err, "requiredType", "string");
        lm_error_set_context(err, call->start, call->stop);
        return LM_ERROR;
    }
    if (fv.is_null)
        return fn_set_result(rc, call, lm_type_double(), true, err);
    enum field f = parse_extract_field(fv.u.str.ptr, (size_t)fv.u.str.len);
    const lm_type *t = call->args[1]->type;
    bool ok = f != F_INVALID;
    lm_type *rt = lm_type_int();
    if (ok && (t->id == LM_TYPE_YM_INTERVAL || t->id == LM_TYPE_DT_INTERVAL ||
               t->id == LM_TYPE_INTERVAL)) {
        if (t->id == LM_TYPE_YM_INTERVAL)
            ok = f == F_YEAR || f == F_MONTH;
        else if (t->id == LM_TYPE_DT_INTERVAL)
            ok = f == F_DAY || f == F_HOUR || f == F_MINUTE || f == F_SECOND_FRAC;
        else
            ok = f == F_YEAR || f == F_MONTH || f == F_DAY || f == F_HOUR || f == F_MINUTE ||
                 f == F_SECOND_FRAC;
        if (f == F_MONTH || f == F_HOUR || f == F_MINUTE)
            rt = t->id == LM_TYPE_INTERVAL && f == F_HOUR ? lm_type_long() : lm_type_byte();
        if (t->id == LM_TYPE_INTERVAL && f == F_DAY)
            rt = lm_type_int();
    } else if (ok) {
        if (time_field(f)) {
            if (t->id != LM_TYPE_TIMESTAMP && t->id != LM_TYPE_TIMESTAMP_NTZ &&
                fn_expect(rc, call, 1, lm_type_timestamp(), "\"TIMESTAMP\"", err) != LM_OK)
                return LM_ERROR;
        } else if (t->id != LM_TYPE_DATE && t->id != LM_TYPE_TIMESTAMP &&
                   t->id != LM_TYPE_TIMESTAMP_NTZ &&
                   fn_expect(rc, call, 1, lm_type_date(), "\"DATE\"", err) != LM_OK)
            return LM_ERROR;
    }
    if (!ok) {
        char *fq = lm_arena_printf(rc->a, "`%.*s`", fv.u.str.len, fv.u.str.ptr);
        char *e = lm_coerce_quote_sql(rc, call->args[1]);
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "INVALID_EXTRACT_FIELD", "42601",
                     "[INVALID_EXTRACT_FIELD] Cannot extract %s from %s.", fq ? fq : "", e ? e : "");
        lm_error_param_add(err, "field", fq);
        lm_error_param_add(err, "expr", e);
        lm_error_set_context(err, call->start, call->stop);
        return LM_ERROR;
    }
    if (f == F_SECOND_FRAC)
        rt = lm_type_decimal(8, 6);
    call->aux = (void *)(intptr_t)(f + 1);
    return fn_set_result(rc, call, rt, call->args[1]->nullable, err);
}

static lm_status eval_extract(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    if (call->aux == NULL || a[1].is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    enum field f = (enum field)((intptr_t)call->aux - 1);
    return extract_value(ec, f, call->args[1]->type, &a[1], out);
}

static void sql_extract(lm_strbuf *sb, const lm_expr *call)
{
    bool from = strcmp(call->fn->name, "date_part") != 0;
    lm_strbuf_puts(sb, call->fn->name);
    lm_strbuf_putc(sb, '(');
    lm_expr_pretty(sb, call->args[0]);
    lm_strbuf_puts(sb, from ? " FROM " : ", ");
    lm_expr_pretty(sb, call->args[1]);
    lm_strbuf_putc(sb, ')');
}

/* ------------------------------------------------------ truncation */

static lm_status resolve_trunc(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    bool date_trunc = strcmp(call->fn->name, "date_trunc") == 0;
    int vi = date_trunc ? 1 : 0, fi = date_trunc ? 0 : 1;
    if (expect(rc, call, fi, lm_type_string(), err) != LM_OK)
        return LM_ERROR;
    if (date_trunc) {
        if (expect_ts(rc, call, vi, err) != LM_OK)
            return LM_ERROR;
        return fn_set_result(rc, call, fn_tref(call->args[vi]->type), true, err);
    }
    if (expect_date(rc, call, vi, err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_date(), true, err);
}

static lm_status eval_trunc(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                            lm_value *out)
{
    bool date_trunc = strcmp(call->fn->name, "date_trunc") == 0;
    const lm_value *fmt = &a[date_trunc ? 0 : 1], *v = &a[date_trunc ? 1 : 0];
    lm_trunc_level lvl = lm_trunc_level_parse(fmt->u.str.ptr, (size_t)fmt->u.str.len);
    *out = lm_value_null();
    if (date_trunc) {
        int64_t r;
        const lm_tz *tz = call->type->id == LM_TYPE_TIMESTAMP_NTZ ? lm_tz_utc() : zone(ec);
        if (lvl != LM_TRUNC_INVALID && lm_ts_trunc(v->u.i64, lvl, tz, &r))
            *out = lm_value_i64(r);
        return LM_OK;
    }
    int32_t r;
    if (lvl != LM_TRUNC_INVALID && lm_date_trunc((int32_t)v->u.i64, lvl, &r))
        *out = lm_value_i64(r);
    return LM_OK;
}

/* ------------------------------------------------------ epoch conversions */

static lm_status resolve_ts_from(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    const lm_type *t = call->args[0]->type;
    if (strcmp(call->fn->name, "timestamp_seconds") == 0) {
        if (!lm_type_is_numeric(t) && fn_expect(rc, call, 0, lm_type_long(), "\"NUMERIC\"", err) != LM_OK)
            return LM_ERROR;
    } else if (!lm_type_is_integral(t) && fn_expect(rc, call, 0, lm_type_long(), "\"INTEGRAL\"", err) != LM_OK)
        return LM_ERROR;
    return res(rc, call, lm_type_timestamp(), err);
}

static lm_status eval_ts_from(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    const char *n = call->fn->name;
    const lm_type *t = call->args[0]->type;
    int64_t mult = strcmp(n, "timestamp_seconds") == 0  ? LM_MICROS_PER_SECOND
                   : strcmp(n, "timestamp_millis") == 0 ? LM_MICROS_PER_MILLI
                                                        : 1;
    int64_t r;
    if (lm_type_is_integral(t)) {
        if (__builtin_mul_overflow(a[0].u.i64, mult, &r))
            return fn_overflow_error(ec, "long overflow", NULL);
    } else if (t->id == LM_TYPE_DECIMAL) {
        lm_int128 q;
        if (!fn_dec_rescale(a[0].u.dec, t->scale, 6, FN_ROUND_DOWN, &q) || q > INT64_MAX ||
            q < INT64_MIN)
            return fn_overflow_error(ec, "long overflow", NULL);
        r = (int64_t)q;
    } else {
        double d = fn_to_double(t, &a[0]);
        if (d != d || d > 9.2e12 || d < -9.2e12) {
            *out = lm_value_null();
            return LM_OK;
        }
        r = (int64_t)(d * 1e6);
    }
    *out = lm_value_i64(r);
    return LM_OK;
}

static lm_status resolve_unix_of(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (strcmp(call->fn->name, "unix_date") == 0) {
        if (expect_date(rc, call, 0, err) != LM_OK)
            return LM_ERROR;
        return res(rc, call, lm_type_int(), err);
    }
    if (expect(rc, call, 0, lm_type_timestamp(), err) != LM_OK)
        return LM_ERROR;
    return res(rc, call, lm_type_long(), err);
}

static lm_status eval_unix_of(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    const char *n = call->fn->name;
    int64_t v = a[0].u.i64;
    if (strcmp(n, "unix_seconds") == 0)
        v = lm_floor_div(v, LM_MICROS_PER_SECOND);
    else if (strcmp(n, "unix_millis") == 0)
        v = lm_floor_div(v, LM_MICROS_PER_MILLI);
    *out = lm_value_i64(v);
    return LM_OK;
}

/* ------------------------------------------------------ constructors */

static lm_status resolve_make_date(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < 3; i++)
        if (expect(rc, call, i, lm_type_int(), err) != LM_OK)
            return LM_ERROR;
    return fn_set_result(rc, call, lm_type_date(), true, err);
}

static lm_status eval_make_date(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                                lm_value *out)
{
    int32_t d;
    if (!lm_date_make(a[0].u.i64, (int)a[1].u.i64, (int)a[2].u.i64, &d)) {
        *out = lm_value_null();
        if (ec->ansi) {
            lm_eval_error(ec, LM_EXC_DATETIME, "DATETIME_FIELD_OUT_OF_BOUNDS", "22023",
                          "[DATETIME_FIELD_OUT_OF_BOUNDS] Invalid date fields.");
            return LM_ERROR;
        }
        return LM_OK;
    }
    *out = lm_value_i64(d);
    return LM_OK;
}

static lm_status resolve_make_ts(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    for (int i = 0; i < 5; i++)
        if (expect(rc, call, i, lm_type_int(), err) != LM_OK)
            return LM_ERROR;
    lm_type *sec = lm_type_decimal(16, 6);
    lm_arena_keep_type(rc->a, sec);
    if (fn_expect(rc, call, 5, sec, "\"DECIMAL(16,6)\"", err) != LM_OK)
        return LM_ERROR;
    if (call->nargs == 7 && expect(rc, call, 6, lm_type_string(), err) != LM_OK)
        return LM_ERROR;
    bool ntz = strcmp(call->fn->name, "make_timestamp_ntz") == 0;
    return fn_set_result(rc, call, ntz ? lm_type_timestamp_ntz() : lm_type_timestamp(), true, err);
}

static lm_status eval_make_ts(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a,
                              lm_value *out)
{
    *out = lm_value_null();
    lm_int128 us = a[5].u.dec;
    int sec = (int)(us / 1000000);
    int32_t micros = (int32_t)(us % 1000000);
    int64_t mo = a[1].u.i64, d = a[2].u.i64, h = a[3].u.i64, mi = a[4].u.i64;
    if (sec == 60 && micros == 0) {
        sec = 0;
        mi += 1; /* Spark accepts 60 seconds as the next minute */
    }
    if (mo < 1 || mo > 12 || d < 1 || d > lm_date_days_in_month(a[0].u.i64, (int)mo) || h < 0 ||
        h > 23 || mi < 0 || mi > 60 || sec < 0 || sec > 59 || micros < 0)
        return LM_OK;
    const lm_tz *tz = zone(ec);
    if (call->nargs == 7) {
        char *id = lm_arena_strndup(ec->arena, a[6].u.str.ptr, (size_t)a[6].u.str.len);
        lm_error e;
        lm_error_init(&e);
        const lm_tz *t2 = id ? lm_tz_get(id, &e) : NULL;
        lm_error_clear(&e);
        if (t2 == NULL)
            return LM_OK;
        tz = t2;
    }
    int32_t days;
    if (!lm_date_make(a[0].u.i64, (int)mo, (int)d, &days))
        return LM_OK;
    int64_t r;
    if (call->type->id == LM_TYPE_TIMESTAMP_NTZ) {
        r = (int64_t)days * LM_MICROS_PER_DAY + h * LM_MICROS_PER_HOUR + mi * LM_MICROS_PER_MINUTE +
            sec * LM_MICROS_PER_SECOND + micros;
    } else {
        int64_t y;
        int mo2, d2;
        lm_date_to_civil(days, &y, &mo2, &d2);
        if (!lm_ts_from_local(y, mo2, d2, (int)h, (int)(mi % 60), sec, micros, tz, &r))
            return LM_OK;
        if (mi == 60)
            r += LM_MICROS_PER_HOUR;
    }
    *out = lm_value_i64(r);
    return LM_OK;
}

/* from_utc_timestamp(ts, tz) / to_utc_timestamp(ts, tz) */
static lm_status resolve_utc(lm_resolve_ctx *rc, lm_expr *call, lm_error *err)
{
    if (expect(rc, call, 0, lm_type_timestamp(), err) != LM_OK ||
        expect(rc, call, 1, lm_type_string(), err) != LM_OK)
        return LM_ERROR;
    return fn_set_result(rc, call, lm_type_timestamp(), true, err);
}

static lm_status eval_utc(lm_eval_ctx *ec, const lm_expr *call, const lm_value *a, lm_value *out)
{
    char *id = lm_arena_strndup(ec->arena, a[1].u.str.ptr, (size_t)a[1].u.str.len);
    lm_error e;
    lm_error_init(&e);
    const lm_tz *tz = id ? lm_tz_get(id, &e) : NULL;
    lm_error_clear(&e);
    *out = lm_value_null();
    if (tz == NULL)
        return LM_OK;
    int64_t us = a[0].u.i64, r;
    if (strcmp(call->fn->name, "from_utc_timestamp") == 0) {
        /* the UTC wall time shown in tz, re-read in the session zone */
        int64_t local;
        if (!lm_ts_to_ntz(us, tz, &local) || !lm_ts_ntz_to_ts(local, zone(ec), &r))
            return LM_OK;
    } else {
        int64_t local;
        if (!lm_ts_to_ntz(us, zone(ec), &local) || !lm_ts_ntz_to_ts(local, tz, &r))
            return LM_OK;
    }
    *out = lm_value_i64(r);
    return LM_OK;
}

/* ------------------------------------------------------------ table */

#define FN(nm, mn, mx, fl, rs, ev) \
    {.name = nm, .min_args = mn, .max_args = mx, .flags = fl, .resolve = rs, .eval = ev, \
     .pretty = nm}

static const lm_func_def k_defs[] = {
    FN("current_date", 0, 0, 0, resolve_current_date, eval_current_date),
    FN("curdate", 0, 0, 0, resolve_current_date, eval_current_date),
    FN("current_timestamp", 0, 0, 0, resolve_current_ts, eval_current_ts),
    FN("now", 0, 0, 0, resolve_current_ts, eval_current_ts),
    FN("localtimestamp", 0, 0, 0, resolve_current_ts, eval_current_ts),
    FN("current_timezone", 0, 0, 0, resolve_current_tz, eval_current_tz),
    FN("to_date", 1, 2, 0, resolve_to_ts, eval_to_ts),
    FN("to_timestamp", 1, 2, 0, resolve_to_ts, eval_to_ts),
    FN("to_timestamp_ltz", 1, 2, 0, resolve_to_ts, eval_to_ts),
    FN("to_timestamp_ntz", 1, 2, 0, resolve_to_ts, eval_to_ts),
    FN("unix_timestamp", 0, 2, 0, resolve_unix_ts, eval_unix_ts),
    FN("to_unix_timestamp", 1, 2, 0, resolve_unix_ts, eval_unix_ts),
    FN("from_unixtime", 1, 2, NI, resolve_from_unixtime, eval_from_unixtime),
    FN("date_format", 2, 2, NI, resolve_date_format, eval_date_format),
    FN("date_add", 2, 2, NI, resolve_date_add, eval_date_add),
    FN("dateadd", 2, 2, NI, resolve_date_add, eval_date_add),
    FN("date_sub", 2, 2, NI, resolve_date_add, eval_date_add),
    FN("datediff", 2, 2, NI, resolve_datediff, eval_datediff),
    FN("add_months", 2, 2, NI, resolve_add_months, eval_add_months),
    FN("months_between", 2, 3, NI, resolve_months_between, eval_months_between),
    FN("last_day", 1, 1, NI, resolve_date1, eval_last_day),
    FN("next_day", 2, 2, NI, resolve_next_day, eval_next_day),
    FN("year", 1, 1, NI, resolve_field, eval_field),
    FN("quarter", 1, 1, NI, resolve_field, eval_field),
    FN("month", 1, 1, NI, resolve_field, eval_field),
    FN("day", 1, 1, NI, resolve_field, eval_field),
    FN("dayofmonth", 1, 1, NI, resolve_field, eval_field),
    FN("dayofweek", 1, 1, NI, resolve_field, eval_field),
    FN("dayofyear", 1, 1, NI, resolve_field, eval_field),
    FN("weekday", 1, 1, NI, resolve_field, eval_field),
    FN("weekofyear", 1, 1, NI, resolve_field, eval_field),
    FN("hour", 1, 1, NI, resolve_field, eval_field),
    FN("minute", 1, 1, NI, resolve_field, eval_field),
    FN("second", 1, 1, NI, resolve_field, eval_field),
    {.name = "extract", .min_args = 2, .max_args = 2, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_extract, .eval = eval_extract, .sql = sql_extract},
    {.name = "datepart", .min_args = 2, .max_args = 2, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_extract, .eval = eval_extract, .sql = sql_extract},
    {.name = "date_part", .min_args = 2, .max_args = 2, .style = LM_STYLE_CUSTOM,
     .resolve = resolve_extract, .eval = eval_extract, .sql = sql_extract},
    FN("date_trunc", 2, 2, NI, resolve_trunc, eval_trunc),
    FN("trunc", 2, 2, NI, resolve_trunc, eval_trunc),
    FN("timestamp_seconds", 1, 1, NI, resolve_ts_from, eval_ts_from),
    FN("timestamp_millis", 1, 1, NI, resolve_ts_from, eval_ts_from),
    FN("timestamp_micros", 1, 1, NI, resolve_ts_from, eval_ts_from),
    FN("unix_seconds", 1, 1, NI, resolve_unix_of, eval_unix_of),
    FN("unix_millis", 1, 1, NI, resolve_unix_of, eval_unix_of),
    FN("unix_micros", 1, 1, NI, resolve_unix_of, eval_unix_of),
    FN("unix_date", 1, 1, NI, resolve_unix_of, eval_unix_of),
    FN("make_date", 3, 3, NI, resolve_make_date, eval_make_date),
    FN("make_timestamp", 6, 7, NI, resolve_make_ts, eval_make_ts),
    FN("make_timestamp_ntz", 6, 6, NI, resolve_make_ts, eval_make_ts),
    FN("from_utc_timestamp", 2, 2, NI, resolve_utc, eval_utc),
    FN("to_utc_timestamp", 2, 2, NI, resolve_utc, eval_utc),
};

const lm_func_table lm_funcs_datetime = {k_defs, sizeof k_defs / sizeof k_defs[0]};
