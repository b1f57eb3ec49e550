/*
 * The JSON reader: JSON Lines by default (one record per line), or one
 * record per file with multiLine. A record that is an object becomes a row;
 * an array of objects becomes one row per element; anything else, or text
 * that does not parse, is a malformed record for the parse mode. Values are
 * converted as Spark's JacksonParser does: strict token types (a string is
 * not a number), empty strings rejected for non-string types, any value
 * read into a string column as its JSON text, and a failing field of a
 * top-level object leaving the other fields as a partial result.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session/session.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/interval.h"

lm_status json_ropts_init(json_ropts *o, lm_session *s, lm_error *err, const lm_options *opts)
{
    memset(o, 0, sizeof *o);
    static const char *const cs_keys[] = {"encoding", "charset", NULL};
    lm_status rc;
    if ((rc = io_opt_bool(err, opts, "primitivesAsString", false, &o->primitives_as_string)) !=
            LM_OK ||
        (rc = io_opt_bool(err, opts, "prefersDecimal", false, &o->prefers_decimal)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "allowComments", false, &o->p.allow_comments)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "allowUnquotedFieldNames", false,
                          &o->p.allow_unquoted_names)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "allowSingleQuotes", true, &o->p.allow_single_quotes)) !=
            LM_OK ||
        (rc = io_opt_bool(err, opts, "allowNumericLeadingZeros", false,
                          &o->p.allow_leading_zeros)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "allowNonNumericNumbers", true, &o->p.allow_non_numeric)) !=
            LM_OK ||
        (rc = io_opt_bool(err, opts, "allowBackslashEscapingAnyCharacter", false,
                          &o->p.allow_backslash_any)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "allowUnquotedControlChars", false,
                          &o->p.allow_unquoted_ctrl)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "dropFieldIfAllNull", false, &o->drop_field_if_all_null)) !=
            LM_OK ||
        (rc = io_opt_bool(err, opts, "multiLine", false, &o->multiline)) != LM_OK ||
        (rc = io_opt_bool(err, opts, "inferTimestamp", false, &o->infer_timestamp)) != LM_OK)
        return rc;
    o->line_sep = io_opt(opts, "lineSep");
    if (o->line_sep && o->line_sep[0] == '\0')
        return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "requirement failed: 'lineSep' cannot be an empty string");
    o->charset = io_opt_any(opts, cs_keys);
    if (o->charset) {
        if ((rc = io_charset_check(err, o->charset)) != LM_OK)
            return rc;
        bool denied = strcasecmp(o->charset, "UTF-16") == 0 || strcasecmp(o->charset, "UTF-32") == 0;
        if (!o->multiline && denied)
            return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                                "requirement failed: The %s encoding must not be included in the "
                                "denyList when multiLine is disabled:\ndenyList: UTF-16, UTF-32",
                                o->charset);
        if (!o->multiline && !io_charset_is_utf8(o->charset) && o->line_sep == NULL)
            return lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                                "requirement failed: The lineSep option must be specified for the "
                                "%s encoding",
                                o->charset);
    }
    o->mode = io_opt_mode(opts);
    o->corrupt_col = io_corrupt_column(opts, s);
    if ((rc = io_opt_sampling(err, opts, &o->sampling_ratio)) != LM_OK)
        return rc;
    const lm_tz *tz;
    if ((rc = io_opt_zone(err, opts, s, &tz)) != LM_OK)
        return rc;
    o->case_sensitive = s->case_sensitive;
    return io_datetime_init(&o->dt, err, opts, tz);
}

void json_ropts_free(json_ropts *o)
{
    io_datetime_free(&o->dt);
}

/* ------------------------------------------------------------ conversion */

/* Why a value did not convert (JacksonParser's exceptions). */
typedef struct jfail {
    char msg[256];
    bool string_as_type; /* CANNOT_PARSE_STRING_AS_DATATYPE */
    bool upgrade;        /* SparkUpgradeException: fatal */
    const char *up_text;
    size_t up_len;
} jfail;

typedef struct jconv {
    const json_ropts *o;
    lm_arena *a;
    lm_strbuf sb;
    jfail f;
    const char *field; /* top-level field being converted, for messages */
} jconv;

static bool conv(jconv *c, const lm_type *t, const json_node *nd, lm_value *out);

static void type_name(char *buf, size_t cap, const lm_type *t)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_sql_string(&sb, t);
    snprintf(buf, cap, "%s", lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
}

static const char *token_name(const json_node *nd)
{
    switch (nd->kind) {
    case JN_TRUE:
        return "VALUE_TRUE";
    case JN_FALSE:
        return "VALUE_FALSE";
    case JN_INT:
        return "VALUE_NUMBER_INT";
    case JN_FLOAT:
        return "VALUE_NUMBER_FLOAT";
    case JN_STRING:
        return "VALUE_STRING";
    case JN_OBJECT:
        return "START_OBJECT";
    case JN_ARRAY:
        return "START_ARRAY";
    default:
        return "VALUE_NULL";
    }
}

/* failedConversion: empty strings and mismatched tokens. */
static bool failed(jconv *c, const lm_type *t, const json_node *nd)
{
    char tn[128];
    type_name(tn, sizeof tn, t);
    if (nd->kind == JN_STRING && nd->n == 0) {
        snprintf(c->f.msg, sizeof c->f.msg,
                 "[EMPTY_JSON_FIELD_VALUE] Failed to parse an empty string for data type \"%.100s\".",
                 tn);
        return false;
    }
    snprintf(c->f.msg, sizeof c->f.msg,
             "[CANNOT_PARSE_JSON_FIELD] Cannot parse the field name `%s` and the value %.*s of the "
             "JSON token type %s to target Spark data type \"%.60s\".",
             c->field ? c->field : "", nd->kind == JN_STRING || nd->kind == JN_INT ||
                                               nd->kind == JN_FLOAT
                                           ? (int)(nd->n > 64 ? 64 : nd->n)
                                           : 0,
             nd->text ? nd->text : "", token_name(nd), tn);
    return false;
}

static bool string_as_type(jconv *c, const lm_type *t, const json_node *nd)
{
    c->f.string_as_type = true;
    snprintf(c->f.msg, sizeof c->f.msg, "'%.*s'|%s", nd->n > 100 ? 100 : nd->n, nd->text,
             t->id == LM_TYPE_FLOAT ? "FloatType" : t->id == LM_TYPE_DOUBLE ? "DoubleType"
                                                                             : "DecimalType");
    return false;
}

static bool conv_int(jconv *c, const lm_type *t, const json_node *nd, int64_t lo, int64_t hi,
                     lm_value *out)
{
    int64_t v;
    if (nd->kind != JN_INT)
        return failed(c, t, nd);
    if (!io_java_parse_long(nd->text, (size_t)nd->n, lo, hi, &v)) {
        snprintf(c->f.msg, sizeof c->f.msg, "Numeric value (%.*s) out of range", nd->n > 64 ? 64 : nd->n,
                 nd->text);
        return false;
    }
    *out = lm_value_i64(v);
    return true;
}

static bool special_float(const json_ropts *o, const json_node *nd, double *d)
{
    if (!o->p.allow_non_numeric || nd->kind != JN_STRING)
        return false;
    const char *s = nd->text;
    if (strcmp(s, "NaN") == 0)
        *d = __builtin_nan("");
    else if (strcmp(s, "+INF") == 0 || strcmp(s, "+Infinity") == 0 || strcmp(s, "Infinity") == 0)
        *d = __builtin_inf();
    else if (strcmp(s, "-INF") == 0 || strcmp(s, "-Infinity") == 0)
        *d = -__builtin_inf();
    else
        return false;
    return true;
}

static bool number_value(const json_node *nd, double *d)
{
    if (nd->num == JNUM_NAN) {
        *d = __builtin_nan("");
        return true;
    }
    if (nd->num == JNUM_POS_INF) {
        *d = __builtin_inf();
        return true;
    }
    if (nd->num == JNUM_NEG_INF) {
        *d = -__builtin_inf();
        return true;
    }
    return io_java_parse_double(nd->text, (size_t)nd->n, d);
}

static bool base64_decode(lm_arena *a, const char *s, size_t n, lm_value *out)
{
    char *o = lm_arena_alloc(a, n + 1);
    if (o == NULL)
        return false;
    size_t k = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        else if (c == '=')
            break;
        else
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[k++] = (char)((acc >> bits) & 0xFF);
        }
    }
    *out = lm_value_str(o, (int32_t)k);
    return true;
}

static bool conv_struct(jconv *c, const lm_type *t, const json_node *nd, lm_value *out,
                        bool *partial);

static bool conv(jconv *c, const lm_type *t, const json_node *nd, lm_value *out)
{
    *out = lm_value_null();
    if (nd->kind == JN_NULL)
        return true;
    const json_ropts *o = c->o;
    switch (t->id) {
    case LM_TYPE_STRING:
        if (nd->kind == JN_STRING) {
            *out = lm_value_str(nd->text, nd->n);
            return true;
        }
        lm_strbuf_reset(&c->sb);
        json_serialize(&c->sb, nd);
        {
            char *m = lm_arena_strndup(c->a, lm_strbuf_cstr(&c->sb), c->sb.len);
            if (m == NULL)
                return false;
            *out = lm_value_str(m, (int32_t)c->sb.len);
        }
        return true;
    case LM_TYPE_BOOLEAN:
        if (nd->kind == JN_TRUE || nd->kind == JN_FALSE) {
            *out = lm_value_bool(nd->kind == JN_TRUE);
            return true;
        }
        return failed(c, t, nd);
    case LM_TYPE_BYTE:
        /* Jackson's getByteValue accepts -128..255 and wraps 128..255 */
        if (!conv_int(c, t, nd, INT8_MIN, 255, out))
            return false;
        out->u.i64 = (int8_t)(uint8_t)(out->u.i64 & 0xFF);
        return true;
    case LM_TYPE_SHORT:
        return conv_int(c, t, nd, INT16_MIN, INT16_MAX, out);
    case LM_TYPE_INT:
        return conv_int(c, t, nd, INT32_MIN, INT32_MAX, out);
    case LM_TYPE_LONG:
        return conv_int(c, t, nd, INT64_MIN, INT64_MAX, out);
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE: {
        double d;
        if (nd->kind == JN_INT || nd->kind == JN_FLOAT) {
            if (t->id == LM_TYPE_FLOAT && nd->num == JNUM_DOUBLE) {
                float f;
                if (!io_java_parse_float(nd->text, (size_t)nd->n, &f))
                    return failed(c, t, nd);
                *out = lm_value_f32(f);
                return true;
            }
            if (!number_value(nd, &d))
                return failed(c, t, nd);
        } else if (nd->kind == JN_STRING && nd->n > 0) {
            if (!special_float(o, nd, &d))
                return string_as_type(c, t, nd);
        } else {
            return failed(c, t, nd);
        }
        *out = t->id == LM_TYPE_FLOAT ? lm_value_f32((float)d) : lm_value_f64(d);
        return true;
    }
    case LM_TYPE_DECIMAL: {
        lm_int128 v;
        if ((nd->kind == JN_INT || nd->kind == JN_FLOAT) && nd->num != JNUM_NAN &&
            nd->num != JNUM_POS_INF && nd->num != JNUM_NEG_INF) {
            if (!lm_decimal_parse_to(nd->text, (size_t)nd->n, t->precision, t->scale, &v)) {
                snprintf(c->f.msg, sizeof c->f.msg,
                         "[NUMERIC_VALUE_OUT_OF_RANGE] %.*s cannot be represented as "
                         "Decimal(%d, %d).",
                         nd->n > 64 ? 64 : nd->n, nd->text, t->precision, t->scale);
                return false;
            }
            *out = lm_value_dec(v);
            return true;
        }
        if (nd->kind == JN_STRING && nd->n > 0) {
            char buf[512];
            size_t k = 0;
            for (int i = 0; i < nd->n && k + 1 < sizeof buf; i++)
                if (nd->text[i] != ',')
                    buf[k++] = nd->text[i];
            int bp, bs;
            if (!io_java_bigdecimal(buf, k, &bp, &bs) ||
                !lm_decimal_parse_to(buf, k, t->precision, t->scale, &v))
                return string_as_type(c, t, nd);
            *out = lm_value_dec(v);
            return true;
        }
        return failed(c, t, nd);
    }
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ: {
        if (t->id == LM_TYPE_TIMESTAMP && nd->kind == JN_INT) {
            int64_t secs;
            if (!io_java_parse_long(nd->text, (size_t)nd->n, INT64_MIN, INT64_MAX, &secs))
                return failed(c, t, nd);
            *out = lm_value_i64((int64_t)((uint64_t)secs * 1000000u));
            return true;
        }
        if (nd->kind != JN_STRING || nd->n == 0)
            return failed(c, t, nd);
        io_parse_result r;
        if (t->id == LM_TYPE_DATE) {
            int32_t d;
            r = io_parse_date(&o->dt, nd->text, (size_t)nd->n, &d);
            *out = lm_value_i64(d);
        } else {
            int64_t m;
            r = t->id == LM_TYPE_TIMESTAMP ? io_parse_timestamp(&o->dt, nd->text, (size_t)nd->n, &m)
                                           : io_parse_timestamp_ntz(&o->dt, nd->text,
                                                                    (size_t)nd->n, &m);
            *out = lm_value_i64(m);
        }
        if (r == IO_PARSE_UPGRADE) {
            c->f.upgrade = true;
            c->f.up_text = nd->text;
            c->f.up_len = (size_t)nd->n;
        }
        if (r != IO_PARSE_OK) {
            *out = lm_value_null();
            snprintf(c->f.msg, sizeof c->f.msg, "Text '%.*s' could not be parsed",
                     nd->n > 100 ? 100 : nd->n, nd->text);
            return false;
        }
        return true;
    }
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL: {
        if (nd->kind != JN_STRING)
            return failed(c, t, nd);
        lm_error e;
        lm_error_init(&e);
        lm_status rc;
        if (t->id == LM_TYPE_YM_INTERVAL) {
            int32_t months;
            rc = lm_interval_parse_ym(nd->text, (size_t)nd->n, t->start_field, t->end_field,
                                      &months, &e);
            *out = lm_value_i64(months);
        } else {
            int64_t micros;
            rc = lm_interval_parse_dt(nd->text, (size_t)nd->n, t->start_field, t->end_field,
                                      &micros, &e);
            *out = lm_value_i64(micros);
        }
        if (rc != LM_OK) {
            snprintf(c->f.msg, sizeof c->f.msg, "%.200s", e.message ? e.message : "");
            *out = lm_value_null();
        }
        lm_error_clear(&e);
        return rc == LM_OK;
    }
    case LM_TYPE_BINARY:
        if (nd->kind != JN_STRING)
            return failed(c, t, nd);
        if (!base64_decode(c->a, nd->text, (size_t)nd->n, out)) {
            snprintf(c->f.msg, sizeof c->f.msg, "Failed to decode VALUE_STRING as base64");
            return false;
        }
        return true;
    case LM_TYPE_ARRAY: {
        if (nd->kind != JN_ARRAY)
            return failed(c, t, nd);
        lm_array_value *av = lm_arena_alloc(c->a, sizeof *av);
        lm_value *ev = lm_arena_calloc(c->a, (size_t)nd->n + 1, sizeof *ev);
        if (av == NULL || ev == NULL)
            return false;
        for (int i = 0; i < nd->n; i++)
            if (!conv(c, t->elem, &nd->kids[i], &ev[i]))
                return false;
        av->n = nd->n;
        av->elems = ev;
        out->is_null = false;
        out->u.arr = av;
        return true;
    }
    case LM_TYPE_MAP: {
        if (nd->kind != JN_OBJECT)
            return failed(c, t, nd);
        lm_map_value *mv = lm_arena_alloc(c->a, sizeof *mv);
        lm_value *ks = lm_arena_calloc(c->a, (size_t)nd->n + 1, sizeof *ks);
        lm_value *vs = lm_arena_calloc(c->a, (size_t)nd->n + 1, sizeof *vs);
        if (mv == NULL || ks == NULL || vs == NULL)
            return false;
        for (int i = 0; i < nd->n; i++) {
            ks[i] = lm_value_str(nd->keys[i], nd->klens[i]);
            if (!conv(c, t->value, &nd->kids[i], &vs[i]))
                return false;
        }
        mv->n = nd->n;
        mv->keys = ks;
        mv->values = vs;
        out->is_null = false;
        out->u.map = mv;
        return true;
    }
    case LM_TYPE_STRUCT: {
        if (nd->kind != JN_OBJECT)
            return failed(c, t, nd);
        bool partial = false;
        return conv_struct(c, t, nd, out, &partial) && !partial;
    }
    default:
        return failed(c, t, nd);
    }
}

/* convertObject: fields matched by exact name, the last duplicate winning,
   unknown fields skipped. A field that fails leaves the others converted
   and sets *partial. */
static bool conv_struct(jconv *c, const lm_type *t, const json_node *nd, lm_value *out,
                        bool *partial)
{
    lm_struct_value *sv = lm_arena_alloc(c->a, sizeof *sv);
    lm_value *fv = lm_arena_calloc(c->a, (size_t)t->nfields + 1, sizeof *fv);
    if (sv == NULL || fv == NULL)
        return false;
    for (int i = 0; i < t->nfields; i++)
        fv[i] = lm_value_null();
    for (int k = 0; k < nd->n; k++) {
        int idx = -1;
        for (int i = 0; i < t->nfields; i++)
            if ((size_t)nd->klens[k] == strlen(t->fields[i].name) &&
                memcmp(nd->keys[k], t->fields[i].name, (size_t)nd->klens[k]) == 0) {
                idx = i;
                break;
            }
        if (idx < 0)
            continue;
        if (!conv(c, t->fields[idx].type, &nd->kids[k], &fv[idx])) {
            if (c->f.upgrade)
                return false;
            fv[idx] = lm_value_null();
            *partial = true;
        }
    }
    sv->n = t->nfields;
    sv->fields = fv;
    out->is_null = false;
    out->u.st = sv;
    return true;
}

/* ---------------------------------------------------------------- reader */

typedef struct json_reader {
    io_read *r;
    json_ropts o;
    io_sink sink;
    lm_type *parsed;
    lm_arena rec;
    jconv c;
    json_infer *ji; /* while inferring */
} json_reader;

static lm_status fail_fast_special(json_reader *jr, const char *text, size_t len)
{
    /* MALFORMED_RECORD_IN_PARSING.CANNOT_PARSE_STRING_AS_DATATYPE */
    const char *bar = strrchr(jr->c.f.msg, '|');
    char value[200], target[40];
    snprintf(value, sizeof value, "%.*s", bar ? (int)(bar - jr->c.f.msg) : 0, jr->c.f.msg);
    snprintf(target, sizeof target, "%s", bar ? bar + 1 : "");
    lm_strbuf rec;
    lm_strbuf_init(&rec);
    lm_strbuf_append(&rec, text, len);
    lm_strbuf fld;
    lm_strbuf_init(&fld);
    lm_strbuf_printf(&fld, "`%s`", jr->c.field ? jr->c.field : "");
    lm_error *err = jr->r->err;
    lm_error_set(err, LM_ERROR, LM_EXC_RUNTIME,
                 "MALFORMED_RECORD_IN_PARSING.CANNOT_PARSE_STRING_AS_DATATYPE", "22023",
                 "[MALFORMED_RECORD_IN_PARSING.CANNOT_PARSE_STRING_AS_DATATYPE] Malformed records "
                 "are detected in record parsing: %s.\nParse Mode: FAILFAST. To process malformed "
                 "records as null result, try setting the option 'mode' as 'PERMISSIVE'. Cannot "
                 "parse the value %s of the field %s as target spark data type %s from the input "
                 "type StringType.",
                 lm_strbuf_cstr(&rec), value, lm_strbuf_cstr(&fld), target);
    lm_error_param_add(err, "badRecord", lm_strbuf_cstr(&rec));
    lm_error_param_add(err, "failFastMode", "FAILFAST");
    lm_error_param_add(err, "fieldName", lm_strbuf_cstr(&fld));
    lm_error_param_add(err, "fieldValue", value);
    lm_error_param_add(err, "inputType", "StringType");
    lm_error_param_add(err, "targetType", target);
    lm_strbuf_free(&rec);
    lm_strbuf_free(&fld);
    return LM_ERROR;
}

/* A top-level object into the data columns; *bad when a field failed. */
static lm_status object_row(json_reader *jr, const json_node *nd, lm_value *vals, bool *bad)
{
    const lm_type *ps = jr->parsed;
    for (int i = 0; i < ps->nfields; i++)
        vals[i] = lm_value_null();
    for (int k = 0; k < nd->n; k++) {
        int idx = -1;
        for (int i = 0; i < ps->nfields; i++)
            if ((size_t)nd->klens[k] == strlen(ps->fields[i].name) &&
                memcmp(nd->keys[k], ps->fields[i].name, (size_t)nd->klens[k]) == 0) {
                idx = i;
                break;
            }
        if (idx < 0)
            continue;
        jr->c.field = ps->fields[idx].name;
        if (!conv(&jr->c, ps->fields[idx].type, &nd->kids[k], &vals[idx])) {
            if (jr->c.f.upgrade)
                return lm_dtf_upgrade_error(jr->r->err, jr->c.f.up_text, jr->c.f.up_len);
            /* the other fields still make a partial result */
            vals[idx] = lm_value_null();
            *bad = true;
        }
    }
    return LM_OK;
}

static lm_status bad(json_reader *jr, int file, const lm_value *vals, const char *text, size_t len)
{
    if (jr->o.mode == IO_FAILFAST && jr->c.f.string_as_type)
        return fail_fast_special(jr, text, len);
    return io_sink_bad(&jr->sink, file, vals, text, len, jr->c.f.msg[0] ? jr->c.f.msg : NULL);
}

/* One record (a line, or a whole file in multi-line mode). */
static lm_status record(json_reader *jr, int file, const char *text, size_t len)
{
    lm_arena_free(&jr->rec);
    memset(&jr->c.f, 0, sizeof jr->c.f);
    jr->c.field = NULL;
    json_node *root = NULL;
    char msg[256];
    json_parse_status ps = json_parse(&jr->o.p, &jr->rec, text, len, &root, msg, sizeof msg);
    if (ps == JP_NOMEM)
        return lm_error_oom(jr->r->err);
    if (ps == JP_EMPTY)
        return LM_OK;
    int nd = jr->parsed->nfields;
    lm_value *vals = lm_arena_calloc(&jr->rec, (size_t)nd + 1, sizeof *vals);
    if (vals == NULL)
        return lm_error_oom(jr->r->err);
    if (ps == JP_SYNTAX) {
        snprintf(jr->c.f.msg, sizeof jr->c.f.msg, "com.fasterxml.jackson.core.JsonParseException: %.200s",
                 msg);
        return bad(jr, file, NULL, text, len);
    }
    if (root->kind == JN_OBJECT) {
        bool b = false;
        lm_status rc = object_row(jr, root, vals, &b);
        if (rc != LM_OK)
            return rc;
        return b ? bad(jr, file, vals, text, len) : io_sink_row(&jr->sink, file, vals);
    }
    if (root->kind == JN_ARRAY) {
        /* each element a row; a null or non-object element spoils the record */
        for (int i = 0; i < root->n; i++) {
            if (root->kids[i].kind != JN_OBJECT) {
                if (root->kids[i].kind == JN_NULL)
                    snprintf(jr->c.f.msg, sizeof jr->c.f.msg,
                             "[INVALID_JSON_ROOT_FIELD] Cannot convert JSON root field to target "
                             "Spark type.");
                else
                    failed(&jr->c, jr->parsed, &root->kids[i]);
                return bad(jr, file, NULL, text, len);
            }
        }
        lm_value **rows = lm_arena_calloc(&jr->rec, (size_t)root->n + 1, sizeof *rows);
        if (rows == NULL)
            return lm_error_oom(jr->r->err);
        bool any_bad = false;
        for (int i = 0; i < root->n; i++) {
            rows[i] = lm_arena_calloc(&jr->rec, (size_t)nd + 1, sizeof *rows[i]);
            if (rows[i] == NULL)
                return lm_error_oom(jr->r->err);
            bool b = false;
            lm_status rc = object_row(jr, &root->kids[i], rows[i], &b);
            if (rc != LM_OK)
                return rc;
            any_bad |= b;
        }
        for (int i = 0; i < root->n; i++) {
            lm_status rc = any_bad ? bad(jr, file, rows[i], text, len)
                                   : io_sink_row(&jr->sink, file, rows[i]);
            if (rc != LM_OK)
                return rc;
        }
        return LM_OK;
    }
    if (root->kind == JN_NULL)
        snprintf(jr->c.f.msg, sizeof jr->c.f.msg,
                 "[INVALID_JSON_ROOT_FIELD] Cannot convert JSON root field to target Spark type.");
    else
        failed(&jr->c, jr->parsed, root);
    return bad(jr, file, NULL, text, len);
}

/* Decodes file f into UTF-8 text. Multi-line files without an encoding
   are detected as Jackson does; JSON Lines are read as UTF-8 bytes (bad
   bytes then fail the record, as Jackson's byte parser fails). */
static lm_status load(json_reader *jr, int f)
{
    io_read *r = jr->r;
    io_buf *b = &r->texts[f];
    lm_status rc = io_read_file(r->err, r->faults, r->src->files[f].path, b);
    if (rc != LM_OK)
        return rc;
    if (jr->o.charset)
        return io_decode(r->err, jr->o.charset, b);
    if (jr->o.multiline) {
        const char *cs = io_detect_json_charset(b->data, b->len);
        if (strcmp(cs, "UTF-8") != 0)
            return io_decode(r->err, cs, b);
    }
    if (b->len >= 3 && memcmp(b->data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(b->data, b->data + 3, b->len - 3 + 1);
        b->len -= 3;
    }
    return LM_OK;
}

/* Calls fn for every record of every file. */
typedef lm_status (*record_fn)(json_reader *jr, int file, const char *text, size_t len);

static lm_status each_record(json_reader *jr, record_fn fn)
{
    io_read *r = jr->r;
    for (int f = 0; f < r->src->nfiles; f++) {
        const io_buf *b = &r->texts[f];
        if (jr->o.multiline) {
            lm_status rc = fn(jr, f, b->data, b->len);
            if (rc != LM_OK)
                return rc;
            continue;
        }
        io_lines it;
        io_lines_init(&it, b->data, b->len, jr->o.line_sep);
        const char *line;
        size_t len;
        while (io_lines_next(&it, &line, &len)) {
            lm_status rc = fn(jr, f, line, len);
            if (rc != LM_OK)
                return rc;
        }
    }
    return LM_OK;
}

static lm_status infer_record(json_reader *jr, int file, const char *text, size_t len)
{
    (void)file;
    lm_arena_free(&jr->rec);
    json_node *root = NULL;
    json_parse_status ps = json_parse(&jr->o.p, &jr->rec, text, len, &root, NULL, 0);
    if (ps == JP_NOMEM)
        return lm_error_oom(jr->r->err);
    return json_infer_add(jr->ji, ps == JP_EMPTY ? NULL : root, ps == JP_SYNTAX);
}

lm_status io_json_read(io_read *r, lm_table **out)
{
    json_reader jr;
    memset(&jr, 0, sizeof jr);
    jr.r = r;
    lm_arena_init(&jr.rec, 16384);
    lm_status rc = json_ropts_init(&jr.o, r->s, r->err, r->opts);
    lm_type *schema = NULL;
    if (rc == LM_OK && r->user_schema) {
        for (int i = 0; i < r->user_schema->nfields && rc == LM_OK; i++) {
            const lm_field *f = &r->user_schema->fields[i];
            if (strcmp(f->name, jr.o.corrupt_col) == 0 && f->type->id != LM_TYPE_STRING)
                rc = io_corrupt_type_error(r->err);
        }
        schema = lm_type_ref((lm_type *)r->user_schema);
    }
    for (int f = 0; rc == LM_OK && f < r->src->nfiles; f++)
        rc = load(&jr, f);
    if (rc == LM_OK && schema == NULL) {
        jr.ji = json_infer_new(&jr.o, r->err);
        if (jr.ji == NULL) {
            rc = r->err->status;
        } else {
            rc = each_record(&jr, infer_record);
            if (rc == LM_OK)
                rc = json_infer_finish(jr.ji, &schema);
            json_infer_free(jr.ji);
            jr.ji = NULL;
        }
        if (rc == LM_OK)
            rc = io_check_duplicate_columns(r->err, schema, jr.o.case_sensitive);
    }
    if (rc == LM_OK)
        rc = io_sink_init(&jr.sink, r->err, schema, jr.o.corrupt_col, r->src, jr.o.mode,
                          &jr.parsed);
    if (rc == LM_OK) {
        jr.c.o = &jr.o;
        jr.c.a = &jr.rec;
        lm_strbuf_init(&jr.c.sb);
        if (schema->nfields > 0)
            rc = each_record(&jr, record);
        lm_strbuf_free(&jr.c.sb);
    }
    if (rc == LM_OK) {
        *out = io_sink_finish(&jr.sink);
        if (*out == NULL)
            rc = lm_error_oom(r->err);
    }
    io_sink_free(&jr.sink);
    lm_type_unref(jr.parsed);
    lm_type_unref(schema);
    lm_arena_free(&jr.rec);
    json_ropts_free(&jr.o);
    return rc;
}
