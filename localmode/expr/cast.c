/*
 * CAST with Spark 3.5's semantics.
 *
 * Three evaluation modes, as Spark's EvalMode: LEGACY (the non-ANSI
 * default: NULL where a value cannot be converted, Java narrowing for
 * integral overflow), ANSI (Spark's errors CAST_INVALID_INPUT,
 * CAST_OVERFLOW, NUMERIC_VALUE_OUT_OF_RANGE) and TRY (ANSI rules, but NULL
 * instead of every error). Which pairs of types may be cast at all follows
 * Cast.canCast / Cast.canANSICast.
 *
 * Casts to STRING produce exactly Spark's text: Java's float forms,
 * BigDecimal.toString for decimals (toPlainString under ANSI), `[a, b]`
 * for arrays, `{k -> v}` for maps, `{a, b}` for structs with nested NULLs
 * as `null`, binary as its raw bytes.
 */
#include "expr/cast.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "functions/decimal_ops.h"
#include "functions/fn_util.h"
#include "types/numfmt.h"
#include "types/datetime.h"
#include "types/interval.h"

enum { MODE_LEGACY = 0, MODE_TRY = 1, MODE_ANSI = 2 };

/* ------------------------------------------------------------ canCast */

static bool is_integral_id(lm_type_id id)
{
    return id == LM_TYPE_BYTE || id == LM_TYPE_SHORT || id == LM_TYPE_INT || id == LM_TYPE_LONG;
}

static bool is_numeric_id(lm_type_id id)
{
    return is_integral_id(id) || id == LM_TYPE_FLOAT || id == LM_TYPE_DOUBLE ||
           id == LM_TYPE_DECIMAL;
}

static bool is_ts_id(lm_type_id id)
{
    return id == LM_TYPE_TIMESTAMP || id == LM_TYPE_TIMESTAMP_NTZ;
}

static bool can_cast(const lm_type *from, const lm_type *to, bool ansi);

static bool can_cast_complex(const lm_type *from, const lm_type *to, bool ansi)
{
    if (from->id == LM_TYPE_ARRAY && to->id == LM_TYPE_ARRAY)
        return can_cast(from->elem, to->elem, ansi);
    if (from->id == LM_TYPE_MAP && to->id == LM_TYPE_MAP)
        return can_cast(from->key, to->key, ansi) && can_cast(from->value, to->value, ansi);
    if (from->id == LM_TYPE_STRUCT && to->id == LM_TYPE_STRUCT) {
        if (from->nfields != to->nfields)
            return false;
        for (int i = 0; i < from->nfields; i++)
            if (!can_cast(from->fields[i].type, to->fields[i].type, ansi))
                return false;
        return true;
    }
    return false;
}

static bool can_cast(const lm_type *from, const lm_type *to, bool ansi)
{
    lm_type_id f = from->id, t = to->id;
    if (lm_type_same_ignoring_nullable(from, to))
        return true;
    if (f == LM_TYPE_NULL)
        return true;
    if (t == LM_TYPE_STRING)
        return true;
    if (f == LM_TYPE_STRING)
        return t == LM_TYPE_BINARY || t == LM_TYPE_BOOLEAN || is_numeric_id(t) ||
               t == LM_TYPE_DATE || is_ts_id(t) || t == LM_TYPE_INTERVAL ||
               t == LM_TYPE_DT_INTERVAL || t == LM_TYPE_YM_INTERVAL;
    switch (t) {
    case LM_TYPE_BINARY:
        return !ansi && is_integral_id(f);
    case LM_TYPE_BOOLEAN:
        if (is_numeric_id(f))
            return true;
        return !ansi && (f == LM_TYPE_DATE || f == LM_TYPE_TIMESTAMP);
    case LM_TYPE_TIMESTAMP:
        if (f == LM_TYPE_DATE || f == LM_TYPE_TIMESTAMP_NTZ || is_numeric_id(f))
            return true;
        return !ansi && f == LM_TYPE_BOOLEAN;
    case LM_TYPE_TIMESTAMP_NTZ:
        return f == LM_TYPE_DATE || f == LM_TYPE_TIMESTAMP;
    case LM_TYPE_DATE:
        return is_ts_id(f);
    case LM_TYPE_DT_INTERVAL:
        return f == LM_TYPE_DT_INTERVAL || is_integral_id(f) || f == LM_TYPE_DECIMAL;
    case LM_TYPE_YM_INTERVAL:
        return f == LM_TYPE_YM_INTERVAL || is_integral_id(f) || f == LM_TYPE_DECIMAL;
    default:
        break;
    }
    if (is_numeric_id(t)) {
        if (is_numeric_id(f) || f == LM_TYPE_BOOLEAN || f == LM_TYPE_TIMESTAMP)
            return true;
        if (f == LM_TYPE_DT_INTERVAL || f == LM_TYPE_YM_INTERVAL)
            return is_integral_id(t) || t == LM_TYPE_DECIMAL;
        return !ansi && f == LM_TYPE_DATE;
    }
    return can_cast_complex(from, to, ansi);
}

bool lm_cast_can(const lm_type *from, const lm_type *to)
{
    return can_cast(from, to, false);
}

bool lm_cast_can_ansi(const lm_type *from, const lm_type *to)
{
    return can_cast(from, to, true);
}

/* ------------------------------------------------------------ errors */

static const lm_tz *zone(lm_eval_ctx *ec)
{
    return ec->tz ? ec->tz : lm_tz_utc();
}

static void type_sql_q(lm_strbuf *sb, const lm_type *t)
{
    lm_strbuf_putc(sb, '"');
    lm_type_sql_string(sb, t);
    lm_strbuf_putc(sb, '"');
}

static void append_string_value(lm_strbuf *sb, const lm_type *t, const lm_value *v,
                                const lm_tz *tz, bool plain_decimal);

/* Literal.sql of a value, for error parameters (toSQLValue). */

void fn_sql_value(lm_strbuf *sb, const lm_type *t, const lm_value *v, const lm_tz *tz)
{
    if (v->is_null) {
        lm_strbuf_puts(sb, "NULL");
        return;
    }
    switch (t->id) {
    case LM_TYPE_STRING:
        lm_strbuf_putc(sb, '\'');
        for (int32_t i = 0; i < v->u.str.len; i++) {
            char c = v->u.str.ptr[i];
            if (c == '\'' || c == '\\')
                lm_strbuf_putc(sb, '\\');
            lm_strbuf_putc(sb, c);
        }
        lm_strbuf_putc(sb, '\'');
        return;
    case LM_TYPE_BYTE: lm_strbuf_printf(sb, "%lldY", (long long)v->u.i64); return;
    case LM_TYPE_SHORT: lm_strbuf_printf(sb, "%lldS", (long long)v->u.i64); return;
    case LM_TYPE_LONG: lm_strbuf_printf(sb, "%lldL", (long long)v->u.i64); return;
    case LM_TYPE_DOUBLE: {
        double d = v->u.f64;
        if (isnan(d))
            lm_strbuf_puts(sb, "CAST('NaN' AS DOUBLE)");
        else if (isinf(d))
            lm_strbuf_puts(sb, d > 0 ? "CAST('Infinity' AS DOUBLE)" : "CAST('-Infinity' AS DOUBLE)");
        else {
            char b[LM_NUMFMT_BUFSZ];
            lm_format_double(b, d);
            lm_strbuf_printf(sb, "%sD", b);
        }
        return;
    }
    case LM_TYPE_FLOAT: {
        float f = v->u.f32;
        if (isnan(f))
            lm_strbuf_puts(sb, "CAST('NaN' AS FLOAT)");
        else if (isinf(f))
            lm_strbuf_puts(sb, f > 0 ? "CAST('Infinity' AS FLOAT)" : "CAST('-Infinity' AS FLOAT)");
        else {
            char b[LM_NUMFMT_BUFSZ];
            lm_format_float(b, f);
            lm_strbuf_printf(sb, "%sF", b);
        }
        return;
    }
    case LM_TYPE_DECIMAL: {
        char b[FN_DEC_BUF];
        fn_dec_format(b, v->u.dec, t->scale);
        lm_strbuf_printf(sb, "%sBD", b);
        return;
    }
    case LM_TYPE_DATE:
        lm_strbuf_puts(sb, "DATE '");
        append_string_value(sb, t, v, tz, true);
        lm_strbuf_putc(sb, '\'');
        return;
    case LM_TYPE_TIMESTAMP:
        lm_strbuf_puts(sb, "TIMESTAMP '");
        append_string_value(sb, t, v, tz, true);
        lm_strbuf_putc(sb, '\'');
        return;
    case LM_TYPE_TIMESTAMP_NTZ:
        lm_strbuf_puts(sb, "TIMESTAMP_NTZ '");
        append_string_value(sb, t, v, tz, true);
        lm_strbuf_putc(sb, '\'');
        return;
    default:
        append_string_value(sb, t, v, tz, true);
        return;
    }
}

static lm_status err_invalid_input(lm_eval_ctx *ec, const lm_type *from, const lm_type *to,
                                   const lm_value *in)
{
    lm_strbuf val, st, tt;
    lm_strbuf_init(&val);
    lm_strbuf_init(&st);
    lm_strbuf_init(&tt);
    fn_sql_value(&val, from, in, zone(ec));
    type_sql_q(&st, from);
    type_sql_q(&tt, to);
    lm_eval_error(ec, LM_EXC_NUMBER_FORMAT, "CAST_INVALID_INPUT", "22018",
                  "[CAST_INVALID_INPUT] The value %s of the type %s cannot be cast to %s because "
                  "it is malformed. Correct the value as per the syntax, or change its target "
                  "type. Use `try_cast` to tolerate malformed input and return NULL instead. If "
                  "necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                  lm_strbuf_cstr(&val), lm_strbuf_cstr(&st), lm_strbuf_cstr(&tt));
    lm_error_param_add(ec->err, "expression", lm_strbuf_cstr(&val));
    lm_error_param_add(ec->err, "sourceType", lm_strbuf_cstr(&st));
    lm_error_param_add(ec->err, "targetType", lm_strbuf_cstr(&tt));
    lm_error_param_add(ec->err, "ansiConfig", "\"spark.sql.ansi.enabled\"");
    lm_strbuf_free(&val);
    lm_strbuf_free(&st);
    lm_strbuf_free(&tt);
    return LM_ERROR;
}

static lm_status err_overflow(lm_eval_ctx *ec, const lm_type *from, const lm_type *to,
                              const lm_value *in)
{
    lm_strbuf val, st, tt;
    lm_strbuf_init(&val);
    lm_strbuf_init(&st);
    lm_strbuf_init(&tt);
    fn_sql_value(&val, from, in, zone(ec));
    type_sql_q(&st, from);
    type_sql_q(&tt, to);
    lm_eval_error(ec, LM_EXC_ARITH, "CAST_OVERFLOW", "22003",
                  "[CAST_OVERFLOW] The value %s of the type %s cannot be cast to %s due to an "
                  "overflow. Use `try_cast` to tolerate overflow and return NULL instead. If "
                  "necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                  lm_strbuf_cstr(&val), lm_strbuf_cstr(&st), lm_strbuf_cstr(&tt));
    lm_error_param_add(ec->err, "value", lm_strbuf_cstr(&val));
    lm_error_param_add(ec->err, "sourceType", lm_strbuf_cstr(&st));
    lm_error_param_add(ec->err, "targetType", lm_strbuf_cstr(&tt));
    lm_error_param_add(ec->err, "ansiConfig", "\"spark.sql.ansi.enabled\"");
    lm_strbuf_free(&val);
    lm_strbuf_free(&st);
    lm_strbuf_free(&tt);
    return LM_ERROR;
}

/* NUMERIC_VALUE_OUT_OF_RANGE: a value that does not fit DECIMAL(p, s). */

lm_status fn_decimal_out_of_range(lm_eval_ctx *ec, const char *value, int precision, int scale)
{
    char p[16], s[16];
    snprintf(p, sizeof p, "%d", precision);
    snprintf(s, sizeof s, "%d", scale);
    lm_eval_error(ec, LM_EXC_ARITH, "NUMERIC_VALUE_OUT_OF_RANGE", "22003",
                  "[NUMERIC_VALUE_OUT_OF_RANGE] %s cannot be represented as Decimal(%d, %d). If "
                  "necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, "
                  "and return NULL instead.",
                  value, precision, scale);
    lm_error_param_add(ec->err, "value", value);
    lm_error_param_add(ec->err, "precision", p);
    lm_error_param_add(ec->err, "scale", s);
    lm_error_param_add(ec->err, "config", "\"spark.sql.ansi.enabled\"");
    return LM_ERROR;
}

/* What a failed conversion gives in each mode. */
static lm_status fail_invalid(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                              const lm_value *in, lm_value *out)
{
    *out = lm_value_null();
    if (mode == MODE_ANSI)
        return err_invalid_input(ec, from, to, in);
    return LM_OK;
}

static lm_status fail_overflow(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                               const lm_value *in, lm_value *out)
{
    *out = lm_value_null();
    if (mode == MODE_ANSI)
        return err_overflow(ec, from, to, in);
    return LM_OK;
}

/* ------------------------------------------------------------ to string */

static const char *ym_unit(int f)
{
    return f == LM_YM_YEAR ? "YEAR" : "MONTH";
}

static const char *dt_unit(int f)
{
    switch (f) {
    case LM_DT_DAY: return "DAY";
    case LM_DT_HOUR: return "HOUR";
    case LM_DT_MINUTE: return "MINUTE";
    default: return "SECOND";
    }
}


void fn_append_ym_interval(lm_strbuf *sb, int64_t months, int sf, int ef)
{
    const char *sign = months < 0 ? "-" : "";
    uint64_t am = months < 0 ? (uint64_t)0 - (uint64_t)months : (uint64_t)months;
    lm_strbuf_puts(sb, "INTERVAL '");
    if (sf == LM_YM_YEAR && ef == LM_YM_YEAR)
        lm_strbuf_printf(sb, "%s%llu", sign, (unsigned long long)(am / 12));
    else if (sf == LM_YM_YEAR)
        lm_strbuf_printf(sb, "%s%llu-%llu", sign, (unsigned long long)(am / 12),
                         (unsigned long long)(am % 12));
    else
        lm_strbuf_printf(sb, "%s%llu", sign, (unsigned long long)am);
    lm_strbuf_puts(sb, "' ");
    lm_strbuf_puts(sb, ym_unit(sf));
    if (sf != ef) {
        lm_strbuf_puts(sb, " TO ");
        lm_strbuf_puts(sb, ym_unit(ef));
    }
}

static void append_seconds(lm_strbuf *sb, uint64_t rest)
{
    char b[FN_DEC_BUF];
    int n = fn_dec_format(b, (lm_int128)rest, 6);
    while (n > 0 && b[n - 1] == '0')
        b[--n] = 0;
    if (n > 0 && b[n - 1] == '.')
        b[--n] = 0;
    if (rest < 10 * (uint64_t)LM_MICROS_PER_SECOND)
        lm_strbuf_putc(sb, '0');
    lm_strbuf_puts(sb, b);
}


void fn_append_dt_interval(lm_strbuf *sb, int64_t micros, int sf, int ef)
{
    const char *sign = micros < 0 ? "-" : "";
    uint64_t rest = micros < 0 ? (uint64_t)0 - (uint64_t)micros : (uint64_t)micros;
    lm_strbuf_puts(sb, "INTERVAL '");
    lm_strbuf_puts(sb, sign);
    switch (sf) {
    case LM_DT_DAY:
        lm_strbuf_printf(sb, "%llu", (unsigned long long)(rest / LM_MICROS_PER_DAY));
        rest %= LM_MICROS_PER_DAY;
        break;
    case LM_DT_HOUR:
        lm_strbuf_printf(sb, "%02llu", (unsigned long long)(rest / LM_MICROS_PER_HOUR));
        rest %= LM_MICROS_PER_HOUR;
        break;
    case LM_DT_MINUTE:
        lm_strbuf_printf(sb, "%02llu", (unsigned long long)(rest / LM_MICROS_PER_MINUTE));
        rest %= LM_MICROS_PER_MINUTE;
        break;
    default:
        append_seconds(sb, rest);
        break;
    }
    if (sf < LM_DT_HOUR && LM_DT_HOUR <= ef) {
        lm_strbuf_printf(sb, " %02llu", (unsigned long long)(rest / LM_MICROS_PER_HOUR));
        rest %= LM_MICROS_PER_HOUR;
    }
    if (sf < LM_DT_MINUTE && LM_DT_MINUTE <= ef) {
        lm_strbuf_printf(sb, ":%02llu", (unsigned long long)(rest / LM_MICROS_PER_MINUTE));
        rest %= LM_MICROS_PER_MINUTE;
    }
    if (sf < LM_DT_SECOND && LM_DT_SECOND <= ef) {
        lm_strbuf_putc(sb, ':');
        append_seconds(sb, rest);
    }
    lm_strbuf_puts(sb, "' ");
    lm_strbuf_puts(sb, dt_unit(sf));
    if (sf != ef) {
        lm_strbuf_puts(sb, " TO ");
        lm_strbuf_puts(sb, dt_unit(ef));
    }
}

static void append_string_value(lm_strbuf *sb, const lm_type *t, const lm_value *v,
                                const lm_tz *tz, bool plain_decimal)
{
    if (v->is_null) {
        lm_strbuf_puts(sb, "null");
        return;
    }
    char b[FN_DEC_BUF];
    switch (t->id) {
    case LM_TYPE_NULL:
        lm_strbuf_puts(sb, "null");
        return;
    case LM_TYPE_BOOLEAN:
        lm_strbuf_puts(sb, v->u.b ? "true" : "false");
        return;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        lm_strbuf_printf(sb, "%lld", (long long)v->u.i64);
        return;
    case LM_TYPE_FLOAT:
        lm_format_float(b, v->u.f32);
        lm_strbuf_puts(sb, b);
        return;
    case LM_TYPE_DOUBLE:
        lm_format_double(b, v->u.f64);
        lm_strbuf_puts(sb, b);
        return;
    case LM_TYPE_DECIMAL:
        if (plain_decimal)
            fn_dec_format(b, v->u.dec, t->scale);
        else
            fn_dec_format_java(b, v->u.dec, t->scale);
        lm_strbuf_puts(sb, b);
        return;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        lm_strbuf_append(sb, v->u.str.ptr, (size_t)v->u.str.len);
        return;
    case LM_TYPE_DATE: {
        char d[LM_DATE_BUF];
        lm_date_format(d, (int32_t)v->u.i64);
        lm_strbuf_puts(sb, d);
        return;
    }
    case LM_TYPE_TIMESTAMP: {
        char d[LM_TS_BUF];
        lm_ts_format(d, v->u.i64, tz ? tz : lm_tz_utc());
        lm_strbuf_puts(sb, d);
        return;
    }
    case LM_TYPE_TIMESTAMP_NTZ: {
        char d[LM_TS_BUF];
        lm_ts_ntz_format(d, v->u.i64);
        lm_strbuf_puts(sb, d);
        return;
    }
    case LM_TYPE_INTERVAL:
        lm_interval_format(sb, &v->u.iv);
        return;
    case LM_TYPE_YM_INTERVAL:
        lm_interval_ym_format(sb, (int32_t)v->u.i64, LM_INTERVAL_ANSI, t->start_field,
                              t->end_field);
        return;
    case LM_TYPE_DT_INTERVAL:
        lm_interval_dt_format(sb, v->u.i64, LM_INTERVAL_ANSI, t->start_field, t->end_field);
        return;
    case LM_TYPE_ARRAY:
        lm_strbuf_putc(sb, '[');
        for (int32_t i = 0; i < v->u.arr->n; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            append_string_value(sb, t->elem, &v->u.arr->elems[i], tz, plain_decimal);
        }
        lm_strbuf_putc(sb, ']');
        return;
    case LM_TYPE_MAP:
        lm_strbuf_putc(sb, '{');
        for (int32_t i = 0; i < v->u.map->n; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            append_string_value(sb, t->key, &v->u.map->keys[i], tz, plain_decimal);
            lm_strbuf_puts(sb, " -> ");
            append_string_value(sb, t->value, &v->u.map->values[i], tz, plain_decimal);
        }
        lm_strbuf_putc(sb, '}');
        return;
    case LM_TYPE_STRUCT:
        /* Cast of a UDT to string is udt.deserialize(v).toString */
        if (t->udt != NULL) {
            t->udt->to_string(sb, v);
            return;
        }
        lm_strbuf_putc(sb, '{');
        for (int32_t i = 0; i < v->u.st->n; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            append_string_value(sb, t->fields[i].type, &v->u.st->fields[i], tz, plain_decimal);
        }
        lm_strbuf_putc(sb, '}');
        return;
    default:
        return;
    }
}

/* CAST(v AS STRING) text appended to sb (non-ANSI decimal form unless
   plain_decimal). Exposed for string functions (concat, concat_ws ...). */
void fn_append_as_string(lm_strbuf *sb, const lm_type *t, const lm_value *v, const lm_tz *tz,
                         bool plain_decimal)
{
    append_string_value(sb, t, v, tz, plain_decimal);
}

static lm_status to_string(lm_eval_ctx *ec, const lm_type *from, const lm_value *in,
                           lm_value *out, bool plain_decimal)
{
    if (from->id == LM_TYPE_STRING || from->id == LM_TYPE_BINARY) {
        *out = *in;
        return LM_OK;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    append_string_value(&sb, from, in, zone(ec), plain_decimal);
    return fn_out_sb(ec, out, &sb);
}

lm_status lm_cast_to_string(lm_eval_ctx *ec, const lm_type *from, const lm_value *in,
                            lm_value *out)
{
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    return to_string(ec, from, in, out, ec->ansi);
}

/* ------------------------------------------------------------ numbers */

static int64_t int_min(lm_type_id id)
{
    switch (id) {
    case LM_TYPE_BYTE: return INT8_MIN;
    case LM_TYPE_SHORT: return INT16_MIN;
    case LM_TYPE_INT: return INT32_MIN;
    default: return INT64_MIN;
    }
}

static int64_t int_max(lm_type_id id)
{
    switch (id) {
    case LM_TYPE_BYTE: return INT8_MAX;
    case LM_TYPE_SHORT: return INT16_MAX;
    case LM_TYPE_INT: return INT32_MAX;
    default: return INT64_MAX;
    }
}

/* Java narrowing of a long to the target width (two's complement wrap). */
static int64_t narrow(int64_t x, lm_type_id id)
{
    switch (id) {
    case LM_TYPE_BYTE: return (int8_t)(uint8_t)(uint64_t)x;
    case LM_TYPE_SHORT: return (int16_t)(uint16_t)(uint64_t)x;
    case LM_TYPE_INT: return (int32_t)(uint32_t)(uint64_t)x;
    default: return x;
    }
}

/* Java's (long) d and (int) d: saturating, NaN -> 0. */
static int64_t d2l(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

static int32_t d2i(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 2147483647.0)
        return INT32_MAX;
    if (d <= -2147483648.0)
        return INT32_MIN;
    return (int32_t)d;
}

static lm_status to_integral(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                             const lm_value *in, lm_value *out)
{
    lm_type_id t = to->id;
    bool strict = mode != MODE_LEGACY;
    switch (from->id) {
    case LM_TYPE_BOOLEAN:
        *out = lm_value_i64(in->u.b ? 1 : 0);
        return LM_OK;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG: {
        int64_t x = in->u.i64;
        if (x < int_min(t) || x > int_max(t)) {
            if (strict)
                return fail_overflow(ec, mode, from, to, in, out);
            x = narrow(x, t);
        }
        *out = lm_value_i64(x);
        return LM_OK;
    }
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE: {
        double d = from->id == LM_TYPE_FLOAT ? (double)in->u.f32 : in->u.f64;
        if (strict) {
            double lo = (double)int_min(t), hi = (double)int_max(t);
            bool ok = floor(d) <= hi && ceil(d) >= lo;
            if (!ok)
                return fail_overflow(ec, mode, from, to, in, out);
            *out = lm_value_i64(t == LM_TYPE_LONG ? d2l(d) : (int64_t)d2i(d));
            return LM_OK;
        }
        if (t == LM_TYPE_LONG)
            *out = lm_value_i64(d2l(d));
        else
            *out = lm_value_i64(narrow(d2i(d), t));
        return LM_OK;
    }
    case LM_TYPE_DECIMAL: {
        lm_int128 q = in->u.dec / fn_dec_pow10(from->scale);
        if (q < (lm_int128)int_min(t) || q > (lm_int128)int_max(t)) {
            if (strict)
                return fail_overflow(ec, mode, from, to, in, out);
            *out = lm_value_i64(narrow((int64_t)(uint64_t)(unsigned __int128)q, t));
            return LM_OK;
        }
        *out = lm_value_i64((int64_t)q);
        return LM_OK;
    }
    case LM_TYPE_STRING: {
        const char *s = in->u.str.ptr;
        size_t n = (size_t)in->u.str.len;
        bool ok;
        int64_t x = 0;
        switch (t) {
        case LM_TYPE_BYTE: {
            int8_t v;
            ok = lm_parse_byte(s, n, &v);
            x = v;
            break;
        }
        case LM_TYPE_SHORT: {
            int16_t v;
            ok = lm_parse_short(s, n, &v);
            x = v;
            break;
        }
        case LM_TYPE_INT: {
            int32_t v;
            ok = lm_parse_int(s, n, &v);
            x = v;
            break;
        }
        default:
            ok = lm_parse_long(s, n, &x);
            break;
        }
        if (!ok)
            return fail_invalid(ec, mode, from, to, in, out);
        *out = lm_value_i64(x);
        return LM_OK;
    }
    case LM_TYPE_TIMESTAMP: {
        int64_t secs = lm_floor_div(in->u.i64, LM_MICROS_PER_SECOND);
        if (secs < int_min(t) || secs > int_max(t)) {
            if (strict)
                return fail_overflow(ec, mode, from, to, in, out);
            secs = narrow(secs, t);
        }
        *out = lm_value_i64(secs);
        return LM_OK;
    }
    case LM_TYPE_DATE:
        *out = lm_value_null();
        return LM_OK;
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL: {
        int64_t unit = 1;
        if (from->id == LM_TYPE_YM_INTERVAL)
            unit = from->end_field == LM_YM_YEAR ? 12 : 1;
        else
            switch (from->end_field) {
            case LM_DT_DAY: unit = LM_MICROS_PER_DAY; break;
            case LM_DT_HOUR: unit = LM_MICROS_PER_HOUR; break;
            case LM_DT_MINUTE: unit = LM_MICROS_PER_MINUTE; break;
            default: unit = LM_MICROS_PER_SECOND; break;
            }
        int64_t x = in->u.i64 / unit;
        if (x < int_min(t) || x > int_max(t)) {
            /* Spark raises CAST_OVERFLOW for intervals in every mode */
            *out = lm_value_null();
            if (mode == MODE_TRY)
                return LM_OK;
            return err_overflow(ec, from, to, in);
        }
        *out = lm_value_i64(x);
        return LM_OK;
    }
    default:
        *out = lm_value_null();
        return LM_OK;
    }
}

static lm_status to_fractional(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                               const lm_value *in, lm_value *out)
{
    bool dbl = to->id == LM_TYPE_DOUBLE;
    double d;
    switch (from->id) {
    case LM_TYPE_BOOLEAN: d = in->u.b ? 1 : 0; break;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        if (!dbl) {
            *out = lm_value_f32((float)in->u.i64);
            return LM_OK;
        }
        d = (double)in->u.i64;
        break;
    case LM_TYPE_FLOAT: d = (double)in->u.f32; break;
    case LM_TYPE_DOUBLE: d = in->u.f64; break;
    case LM_TYPE_DECIMAL:
        if (!dbl) {
            char b[FN_DEC_BUF];
            fn_dec_format(b, in->u.dec, from->scale);
            float f;
            if (!lm_parse_float(b, strlen(b), &f))
                f = (float)fn_dec_to_double(in->u.dec, from->scale);
            *out = lm_value_f32(f);
            return LM_OK;
        }
        d = fn_dec_to_double(in->u.dec, from->scale);
        break;
    case LM_TYPE_TIMESTAMP: d = (double)in->u.i64 / 1e6; break;
    case LM_TYPE_STRING:
        if (dbl) {
            if (!lm_parse_double(in->u.str.ptr, (size_t)in->u.str.len, &d))
                return fail_invalid(ec, mode, from, to, in, out);
        } else {
            float f;
            if (!lm_parse_float(in->u.str.ptr, (size_t)in->u.str.len, &f))
                return fail_invalid(ec, mode, from, to, in, out);
            *out = lm_value_f32(f);
            return LM_OK;
        }
        break;
    default:
        *out = lm_value_null();
        return LM_OK;
    }
    *out = dbl ? lm_value_f64(d) : lm_value_f32((float)d);
    return LM_OK;
}

static lm_status decimal_overflow(lm_eval_ctx *ec, int mode, const char *text, const lm_type *to,
                                  lm_value *out)
{
    *out = lm_value_null();
    if (mode == MODE_ANSI)
        return fn_decimal_out_of_range(ec, text, to->precision, to->scale);
    return LM_OK;
}

static void trim_ws(const char **s, size_t *n)
{
    while (*n > 0 && ((unsigned char)(*s)[0] <= 0x20 || (*s)[0] == 0x7f)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((unsigned char)(*s)[*n - 1] <= 0x20 || (*s)[*n - 1] == 0x7f))
        (*n)--;
}

static lm_status to_decimal(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                            const lm_value *in, lm_value *out)
{
    int p = to->precision, s = to->scale;
    lm_int128 r;
    char text[FN_DEC_BUF];
    switch (from->id) {
    case LM_TYPE_BOOLEAN:
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG: {
        int64_t x = from->id == LM_TYPE_BOOLEAN ? (in->u.b ? 1 : 0) : in->u.i64;
        if (!fn_dec_change((lm_int128)x, 0, p, s, FN_ROUND_HALF_UP, &r)) {
            snprintf(text, sizeof text, "%lld", (long long)x);
            return decimal_overflow(ec, mode, text, to, out);
        }
        *out = lm_value_dec(r);
        return LM_OK;
    }
    case LM_TYPE_DECIMAL:
        if (!fn_dec_change(in->u.dec, from->scale, p, s, FN_ROUND_HALF_UP, &r)) {
            fn_dec_format(text, in->u.dec, from->scale);
            return decimal_overflow(ec, mode, text, to, out);
        }
        *out = lm_value_dec(r);
        return LM_OK;
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE:
    case LM_TYPE_TIMESTAMP: {
        double d = from->id == LM_TYPE_FLOAT    ? (double)in->u.f32
                   : from->id == LM_TYPE_DOUBLE ? in->u.f64
                                                : (double)in->u.i64 / 1e6;
        if (isnan(d) || isinf(d)) {
            *out = lm_value_null();
            if (mode == MODE_ANSI)
                return err_invalid_input(ec, from, to, in);
            return LM_OK;
        }
        if (!fn_dec_from_double(d, p, s, &r)) {
            lm_format_double(text, d);
            return decimal_overflow(ec, mode, text, to, out);
        }
        *out = lm_value_dec(r);
        return LM_OK;
    }
    case LM_TYPE_STRING: {
        const char *str = in->u.str.ptr;
        size_t n = (size_t)in->u.str.len;
        trim_ws(&str, &n);
        lm_int128 v;
        int sc;
        if (!fn_dec_parse(str, n, &v, &sc))
            return fail_invalid(ec, mode, from, to, in, out);
        if (!fn_dec_change(v, sc, p, s, FN_ROUND_HALF_UP, &r)) {
            fn_dec_format(text, v, sc);
            return decimal_overflow(ec, mode, text, to, out);
        }
        *out = lm_value_dec(r);
        return LM_OK;
    }
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL: {
        /* the interval in its end unit, as a decimal with the unit's scale */
        int scale = 0;
        lm_int128 v = in->u.i64;
        if (from->id == LM_TYPE_YM_INTERVAL) {
            if (from->end_field == LM_YM_YEAR)
                v = in->u.i64 / 12;
        } else {
            switch (from->end_field) {
            case LM_DT_DAY: v = in->u.i64 / LM_MICROS_PER_DAY; break;
            case LM_DT_HOUR: v = in->u.i64 / LM_MICROS_PER_HOUR; break;
            case LM_DT_MINUTE: v = in->u.i64 / LM_MICROS_PER_MINUTE; break;
            default: scale = 6; break;
            }
        }
        if (!fn_dec_change(v, scale, p, s, FN_ROUND_HALF_UP, &r)) {
            fn_dec_format(text, v, scale);
            *out = lm_value_null();
            if (mode == MODE_TRY)
                return LM_OK;
            return fn_decimal_out_of_range(ec, text, p, s);
        }
        *out = lm_value_dec(r);
        return LM_OK;
    }
    default:
        *out = lm_value_null();
        return LM_OK;
    }
}

static lm_status to_boolean(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                            const lm_value *in, lm_value *out)
{
    switch (from->id) {
    case LM_TYPE_STRING: {
        bool b;
        if (!lm_parse_bool(in->u.str.ptr, (size_t)in->u.str.len, &b))
            return fail_invalid(ec, mode, from, to, in, out);
        *out = lm_value_bool(b);
        return LM_OK;
    }
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_TIMESTAMP:
        *out = lm_value_bool(in->u.i64 != 0);
        return LM_OK;
    case LM_TYPE_FLOAT:
        *out = lm_value_bool(in->u.f32 != 0);
        return LM_OK;
    case LM_TYPE_DOUBLE:
        *out = lm_value_bool(in->u.f64 != 0);
        return LM_OK;
    case LM_TYPE_DECIMAL:
        *out = lm_value_bool(in->u.dec != 0);
        return LM_OK;
    default:
        *out = lm_value_null();
        return LM_OK;
    }
}

/* ------------------------------------------------------------ datetime */

static lm_status to_date(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                         const lm_value *in, lm_value *out)
{
    switch (from->id) {
    case LM_TYPE_STRING: {
        int32_t d;
        if (!lm_date_parse(in->u.str.ptr, (size_t)in->u.str.len, &d))
            return fail_invalid(ec, mode, from, to, in, out);
        *out = lm_value_i64(d);
        return LM_OK;
    }
    case LM_TYPE_TIMESTAMP:
        *out = lm_value_i64(lm_ts_to_date(in->u.i64, zone(ec)));
        return LM_OK;
    case LM_TYPE_TIMESTAMP_NTZ:
        *out = lm_value_i64(lm_floor_div(in->u.i64, LM_MICROS_PER_DAY));
        return LM_OK;
    default:
        *out = lm_value_null();
        return LM_OK;
    }
}

static lm_status to_timestamp(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                              const lm_value *in, lm_value *out)
{
    int64_t r;
    switch (from->id) {
    case LM_TYPE_STRING:
        if (!lm_ts_parse(in->u.str.ptr, (size_t)in->u.str.len, zone(ec), &r))
            return fail_invalid(ec, mode, from, to, in, out);
        *out = lm_value_i64(r);
        return LM_OK;
    case LM_TYPE_DATE:
        if (!lm_date_to_ts((int32_t)in->u.i64, zone(ec), &r))
            return fail_overflow(ec, mode, from, to, in, out);
        *out = lm_value_i64(r);
        return LM_OK;
    case LM_TYPE_TIMESTAMP_NTZ:
        if (!lm_ts_ntz_to_ts(in->u.i64, zone(ec), &r))
            return fail_overflow(ec, mode, from, to, in, out);
        *out = lm_value_i64(r);
        return LM_OK;
    case LM_TYPE_BOOLEAN:
        *out = lm_value_i64(in->u.b ? 1 : 0);
        return LM_OK;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG: {
        /* seconds -> micros, saturating as Spark's SECONDS.toMicros */
        int64_t x = in->u.i64;
        if (x > INT64_MAX / LM_MICROS_PER_SECOND)
            r = mode == MODE_LEGACY ? INT64_MAX : 0;
        else if (x < INT64_MIN / LM_MICROS_PER_SECOND)
            r = mode == MODE_LEGACY ? INT64_MIN : 0;
        else
            r = x * LM_MICROS_PER_SECOND;
        if (mode != MODE_LEGACY && (x > INT64_MAX / LM_MICROS_PER_SECOND ||
                                    x < INT64_MIN / LM_MICROS_PER_SECOND))
            return fail_overflow(ec, mode, from, to, in, out);
        *out = lm_value_i64(r);
        return LM_OK;
    }
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE: {
        double d = from->id == LM_TYPE_FLOAT ? (double)in->u.f32 : in->u.f64;
        if (isnan(d) || isinf(d)) {
            if (mode == MODE_LEGACY) {
                *out = lm_value_null();
                return LM_OK;
            }
            return fail_overflow(ec, mode, from, to, in, out);
        }
        *out = lm_value_i64(d2l(d * 1e6));
        return LM_OK;
    }
    case LM_TYPE_DECIMAL: {
        lm_int128 r2;
        if (!fn_dec_rescale(in->u.dec, from->scale, 6, FN_ROUND_DOWN, &r2) ||
            r2 > INT64_MAX || r2 < INT64_MIN)
            return fail_overflow(ec, mode, from, to, in, out);
        *out = lm_value_i64((int64_t)r2);
        return LM_OK;
    }
    default:
        *out = lm_value_null();
        return LM_OK;
    }
}

static lm_status to_timestamp_ntz(lm_eval_ctx *ec, int mode, const lm_type *from,
                                  const lm_type *to, const lm_value *in, lm_value *out)
{
    int64_t r;
    switch (from->id) {
    case LM_TYPE_STRING:
        if (!lm_ts_ntz_parse(in->u.str.ptr, (size_t)in->u.str.len, true, &r))
            return fail_invalid(ec, mode, from, to, in, out);
        *out = lm_value_i64(r);
        return LM_OK;
    case LM_TYPE_DATE:
        *out = lm_value_i64(in->u.i64 * LM_MICROS_PER_DAY);
        return LM_OK;
    case LM_TYPE_TIMESTAMP:
        if (!lm_ts_to_ntz(in->u.i64, zone(ec), &r))
            return fail_overflow(ec, mode, from, to, in, out);
        *out = lm_value_i64(r);
        return LM_OK;
    default:
        *out = lm_value_null();
        return LM_OK;
    }
}

static int64_t dt_unit_micros(int f)
{
    switch (f) {
    case LM_DT_DAY: return LM_MICROS_PER_DAY;
    case LM_DT_HOUR: return LM_MICROS_PER_HOUR;
    case LM_DT_MINUTE: return LM_MICROS_PER_MINUTE;
    default: return LM_MICROS_PER_SECOND;
    }
}

static lm_status to_interval(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                             const lm_value *in, lm_value *out)
{
    bool ym = to->id == LM_TYPE_YM_INTERVAL;
    int64_t unit = ym ? (to->end_field == LM_YM_YEAR ? 12 : 1) : dt_unit_micros(to->end_field);
    if (from->id == to->id && (ym || from->id == LM_TYPE_DT_INTERVAL)) {
        /* narrowing the field range truncates to the new end unit */
        int64_t x = in->u.i64;
        *out = lm_value_i64(x / unit * unit);
        return LM_OK;
    }
    if (is_integral_id(from->id)) {
        int64_t x = in->u.i64;
        __int128 r = (__int128)x * unit;
        if ((ym && (r > INT32_MAX || r < INT32_MIN)) || r > INT64_MAX || r < INT64_MIN) {
            *out = lm_value_null();
            if (mode == MODE_TRY)
                return LM_OK;
            return err_overflow(ec, from, to, in);
        }
        *out = lm_value_i64((int64_t)r);
        return LM_OK;
    }
    if (from->id == LM_TYPE_DECIMAL) {
        /* value in the end unit: scale to micros/months, rounding HALF_UP */
        lm_int128 r;
        bool ok;
        if (ym) {
            ok = fn_dec_rescale(in->u.dec, from->scale, 0, FN_ROUND_HALF_UP, &r);
            if (ok)
                r *= unit;
            ok = ok && r <= INT32_MAX && r >= INT32_MIN;
        } else {
            lm_int128 scaled;
            ok = fn_dec_mul(in->u.dec, from->scale, (lm_int128)unit, 0, 0, &scaled);
            r = scaled;
            ok = ok && r <= INT64_MAX && r >= INT64_MIN;
            /* a type ending before SECOND holds whole end units: the rest is
               dropped, as Spark 3.5 gives 01:20:00 for 80.654321 minutes */
            if (to->end_field != LM_DT_SECOND)
                r = r / unit * unit;
        }
        if (!ok) {
            *out = lm_value_null();
            if (mode == MODE_TRY)
                return LM_OK;
            return err_overflow(ec, from, to, in);
        }
        *out = lm_value_i64((int64_t)r);
        return LM_OK;
    }
    if (from->id == LM_TYPE_STRING) {
        const char *str = in->u.str.ptr;
        size_t n = (size_t)in->u.str.len;
        if (to->id == LM_TYPE_INTERVAL) {
            lm_interval iv;
            if (!lm_interval_parse(str, n, &iv, NULL))
                return fail_invalid(ec, mode, from, to, in, out);
            *out = lm_value_null();
            out->is_null = false;
            out->u.iv = iv;
            return LM_OK;
        }
        /* Spark raises for malformed ANSI interval strings in every mode */
        lm_status st;
        if (ym) {
            int32_t m;
            st = lm_interval_parse_ym(str, n, to->start_field, to->end_field, &m, ec->err);
            *out = st == LM_OK ? lm_value_i64(m) : lm_value_null();
        } else {
            int64_t us;
            st = lm_interval_parse_dt(str, n, to->start_field, to->end_field, &us, ec->err);
            *out = st == LM_OK ? lm_value_i64(us) : lm_value_null();
        }
        return st;
    }
    *out = lm_value_null();
    return LM_OK;
}

/* ------------------------------------------------------------ complex */

static lm_status cast_any(lm_eval_ctx *ec, const lm_type *from, const lm_type *to,
                          const lm_value *in, lm_value *out, int mode);

static lm_status cast_elems(lm_eval_ctx *ec, const lm_type *from, const lm_type *to,
                            const lm_value *src, lm_value **dst, int32_t n, int mode)
{
    lm_value *d = fn_values(ec, (size_t)n);
    if (d == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++) {
        if (src[i].is_null) {
            d[i] = lm_value_null();
            continue;
        }
        lm_status st = cast_any(ec, from, to, &src[i], &d[i], mode);
        if (st != LM_OK)
            return st;
    }
    *dst = d;
    return LM_OK;
}

static lm_status to_complex(lm_eval_ctx *ec, int mode, const lm_type *from, const lm_type *to,
                            const lm_value *in, lm_value *out)
{
    lm_status st;
    if (to->id == LM_TYPE_ARRAY) {
        lm_value *e;
        if ((st = cast_elems(ec, from->elem, to->elem, in->u.arr->elems, &e, in->u.arr->n, mode)) !=
            LM_OK)
            return st;
        return fn_out_array(ec, out, e, in->u.arr->n);
    }
    if (to->id == LM_TYPE_MAP) {
        lm_map_value *m = fn_alloc(ec, sizeof *m);
        if (m == NULL)
            return LM_ENOMEM;
        m->n = in->u.map->n;
        if ((st = cast_elems(ec, from->key, to->key, in->u.map->keys, &m->keys, m->n, mode)) !=
                LM_OK ||
            (st = cast_elems(ec, from->value, to->value, in->u.map->values, &m->values, m->n,
                             mode)) != LM_OK)
            return st;
        *out = lm_value_null();
        out->is_null = false;
        out->u.map = m;
        return LM_OK;
    }
    lm_struct_value *s = fn_alloc(ec, sizeof *s);
    lm_value *f = fn_values(ec, (size_t)to->nfields);
    if (s == NULL || f == NULL)
        return LM_ENOMEM;
    s->n = to->nfields;
    s->fields = f;
    for (int i = 0; i < to->nfields; i++) {
        const lm_value *src = &in->u.st->fields[i];
        if (src->is_null) {
            f[i] = lm_value_null();
            continue;
        }
        if ((st = cast_any(ec, from->fields[i].type, to->fields[i].type, src, &f[i], mode)) !=
            LM_OK)
            return st;
    }
    *out = lm_value_null();
    out->is_null = false;
    out->u.st = s;
    return LM_OK;
}

static lm_status to_binary(lm_eval_ctx *ec, const lm_type *from, const lm_value *in,
                           lm_value *out)
{
    if (from->id == LM_TYPE_STRING) {
        *out = *in;
        return LM_OK;
    }
    /* integral -> big-endian bytes of its width */
    int w = from->id == LM_TYPE_BYTE ? 1 : from->id == LM_TYPE_SHORT ? 2 : from->id == LM_TYPE_INT ? 4 : 8;
    char b[8];
    uint64_t x = (uint64_t)in->u.i64;
    for (int i = 0; i < w; i++)
        b[i] = (char)(x >> (8 * (w - 1 - i)));
    return fn_out_str(ec, out, b, (size_t)w);
}

static lm_status cast_any(lm_eval_ctx *ec, const lm_type *from, const lm_type *to,
                          const lm_value *in, lm_value *out, int mode)
{
    if (in->is_null) {
        *out = lm_value_null();
        return LM_OK;
    }
    if (lm_type_equal(from, to) ||
        (from->id == to->id && !lm_type_is_complex(from) && from->id != LM_TYPE_DECIMAL &&
         from->id != LM_TYPE_YM_INTERVAL && from->id != LM_TYPE_DT_INTERVAL)) {
        *out = *in;
        return LM_OK;
    }
    if (from->id == LM_TYPE_NULL) {
        *out = lm_value_null();
        return LM_OK;
    }
    switch (to->id) {
    case LM_TYPE_STRING:
        return to_string(ec, from, in, out, mode != MODE_LEGACY);
    case LM_TYPE_BINARY:
        return to_binary(ec, from, in, out);
    case LM_TYPE_BOOLEAN:
        return to_boolean(ec, mode, from, to, in, out);
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        return to_integral(ec, mode, from, to, in, out);
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE:
        return to_fractional(ec, mode, from, to, in, out);
    case LM_TYPE_DECIMAL:
        return to_decimal(ec, mode, from, to, in, out);
    case LM_TYPE_DATE:
        return to_date(ec, mode, from, to, in, out);
    case LM_TYPE_TIMESTAMP:
        return to_timestamp(ec, mode, from, to, in, out);
    case LM_TYPE_TIMESTAMP_NTZ:
        return to_timestamp_ntz(ec, mode, from, to, in, out);
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
    case LM_TYPE_INTERVAL:
        return to_interval(ec, mode, from, to, in, out);
    case LM_TYPE_ARRAY:
    case LM_TYPE_MAP:
    case LM_TYPE_STRUCT:
        if (from->id != to->id) {
            *out = lm_value_null();
            return LM_OK;
        }
        return to_complex(ec, mode, from, to, in, out);
    default:
        *out = lm_value_null();
        return LM_OK;
    }
}

lm_status lm_cast_value(lm_eval_ctx *ec, const lm_type *from, const lm_type *to,
                        const lm_value *in, lm_value *out, int mode)
{
    int m = mode == 1 ? MODE_TRY : mode == 2 ? MODE_ANSI : (ec->ansi ? MODE_ANSI : MODE_LEGACY);
    lm_status st = cast_any(ec, from, to, in, out, m);
    if (st == LM_ERROR && m == MODE_TRY) {
        lm_error_clear(ec->err);
        *out = lm_value_null();
        return LM_OK;
    }
    return st;
}
