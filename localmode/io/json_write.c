/*
 * The JSON writer, as Spark's JacksonGenerator: one object per row in
 * schema order, fields holding null left out (spark.sql.jsonGenerator.
 * ignoreNullFields, default true) while nulls inside arrays and maps stay
 * `null`, strings escaped as Jackson does, NaN and infinities written as
 * the quoted strings Jackson produces, dates and timestamps as strings in
 * the write patterns, binary as base64, each row ended by lineSep ("\n").
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session/session.h"
#include "types/numfmt.h"
#include "valtext.h"

typedef struct jw {
    io_write *w;
    io_datetime_out dt;
    bool ignore_nulls;
    lm_strbuf tmp;
} jw;

static void base64(lm_strbuf *sb, const unsigned char *p, size_t n)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) | p[i + 2];
        char o[4] = {tbl[v >> 18], tbl[(v >> 12) & 63], tbl[(v >> 6) & 63], tbl[v & 63]};
        lm_strbuf_append(sb, o, 4);
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        char o[4] = {tbl[v >> 18], tbl[(v >> 12) & 63], i + 1 < n ? tbl[(v >> 6) & 63] : '=', '='};
        lm_strbuf_append(sb, o, 4);
    }
}

static lm_status value(jw *j, lm_strbuf *sb, const lm_type *t, const lm_value *v);

static lm_status fields(jw *j, lm_strbuf *sb, const lm_type *st, const lm_value *vals)
{
    lm_strbuf_putc(sb, '{');
    bool first = true;
    for (int i = 0; i < st->nfields; i++) {
        if (vals[i].is_null && j->ignore_nulls)
            continue;
        if (!first)
            lm_strbuf_putc(sb, ',');
        first = false;
        lm_strbuf_putc(sb, '"');
        json_escape(sb, st->fields[i].name, strlen(st->fields[i].name));
        lm_strbuf_puts(sb, "\":");
        lm_status rc = value(j, sb, st->fields[i].type, &vals[i]);
        if (rc != LM_OK)
            return rc;
    }
    lm_strbuf_putc(sb, '}');
    return LM_OK;
}

static void quoted_text(jw *j, lm_strbuf *sb)
{
    lm_strbuf_putc(sb, '"');
    json_escape(sb, j->tmp.data ? j->tmp.data : "", j->tmp.len);
    lm_strbuf_putc(sb, '"');
}

static lm_status value(jw *j, lm_strbuf *sb, const lm_type *t, const lm_value *v)
{
    if (v->is_null) {
        lm_strbuf_puts(sb, "null");
        return LM_OK;
    }
    char buf[LM_NUMFMT_BUFSZ];
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_DECIMAL:
        return io_value_text(j->w->err, &j->dt, sb, t, v);
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE: {
        double d = t->id == LM_TYPE_FLOAT ? (double)v->u.f32 : v->u.f64;
        if (d != d)
            lm_strbuf_puts(sb, "\"NaN\"");
        else if (d == __builtin_inf())
            lm_strbuf_puts(sb, "\"Infinity\"");
        else if (d == -__builtin_inf())
            lm_strbuf_puts(sb, "\"-Infinity\"");
        else {
            if (t->id == LM_TYPE_FLOAT)
                lm_format_float(buf, v->u.f32);
            else
                lm_format_double(buf, v->u.f64);
            lm_strbuf_puts(sb, buf);
        }
        return LM_OK;
    }
    case LM_TYPE_STRING:
        lm_strbuf_putc(sb, '"');
        json_escape(sb, v->u.str.ptr, (size_t)v->u.str.len);
        lm_strbuf_putc(sb, '"');
        return LM_OK;
    case LM_TYPE_BINARY:
        lm_strbuf_putc(sb, '"');
        base64(sb, (const unsigned char *)v->u.str.ptr, (size_t)v->u.str.len);
        lm_strbuf_putc(sb, '"');
        return LM_OK;
    case LM_TYPE_ARRAY:
        lm_strbuf_putc(sb, '[');
        for (int i = 0; i < v->u.arr->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            lm_status rc = value(j, sb, t->elem, &v->u.arr->elems[i]);
            if (rc != LM_OK)
                return rc;
        }
        lm_strbuf_putc(sb, ']');
        return LM_OK;
    case LM_TYPE_MAP:
        lm_strbuf_putc(sb, '{');
        for (int i = 0; i < v->u.map->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            lm_strbuf_reset(&j->tmp);
            lm_status rc = io_value_text(j->w->err, &j->dt, &j->tmp, t->key, &v->u.map->keys[i]);
            if (rc != LM_OK)
                return rc;
            quoted_text(j, sb);
            lm_strbuf_putc(sb, ':');
            rc = value(j, sb, t->value, &v->u.map->values[i]);
            if (rc != LM_OK)
                return rc;
        }
        lm_strbuf_putc(sb, '}');
        return LM_OK;
    case LM_TYPE_STRUCT:
        return fields(j, sb, t, v->u.st->fields);
    default: {
        lm_strbuf_reset(&j->tmp);
        lm_status rc = io_value_text(j->w->err, &j->dt, &j->tmp, t, v);
        if (rc != LM_OK)
            return rc;
        quoted_text(j, sb);
        return LM_OK;
    }
    }
}

lm_status io_json_write_check(io_write *w)
{
    io_datetime_out dt;
    lm_status rc = io_datetime_out_init(&dt, w->err, w->opts, w->tz);
    if (rc == LM_OK)
        io_datetime_out_free(&dt);
    return rc;
}

lm_status io_json_write_rows(io_write *w, lm_value *const *rows, int64_t nrows, io_buf *out)
{
    jw j;
    memset(&j, 0, sizeof j);
    j.w = w;
    lm_status rc = io_datetime_out_init(&j.dt, w->err, w->opts, w->tz);
    if (rc != LM_OK)
        return rc;
    bool ignore = true;
    rc = io_opt_bool(w->err, w->opts, "ignoreNullFields", true, &ignore);
    if (rc == LM_OK && io_opt(w->opts, "ignoreNullFields") == NULL)
        ignore = session_conf_bool(w->s, "spark.sql.jsonGenerator.ignoreNullFields", true);
    j.ignore_nulls = ignore;
    const char *sep = io_opt(w->opts, "lineSep");
    if (sep == NULL || sep[0] == '\0')
        sep = "\n";
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_init(&j.tmp);
    for (int64_t r = 0; r < nrows && rc == LM_OK; r++) {
        lm_strbuf_reset(&sb);
        rc = fields(&j, &sb, w->schema, rows[r]);
        if (rc != LM_OK)
            break;
        lm_strbuf_puts(&sb, sep);
        if (!lm_strbuf_ok(&sb) || !io_buf_append(out, sb.data, sb.len))
            rc = lm_error_oom(w->err);
    }
    lm_strbuf_free(&sb);
    lm_strbuf_free(&j.tmp);
    io_datetime_out_free(&j.dt);
    return rc;
}
