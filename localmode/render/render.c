/*
 * Value rendering in each of Spark's text contexts (see render.h).
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/datetime.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/numfmt.h"
#include "types/timezone.h"

static void render_any(lm_strbuf *sb, const lm_type *t, const lm_value *v, lm_render_style style,
                       const lm_tz *tz, bool nested);

/* Appends bytes as UTF-8, replacing malformed sequences with U+FFFD as
   Java's decoder does for binary shown as text. */
static void put_utf8(lm_strbuf *sb, const char *s, int32_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    int32_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (int k = 1; ok && k < len; k++)
            ok = (p[i + k] & 0xC0) == 0x80;
        if (ok && len == 2 && c < 0xC2)
            ok = false;
        if (ok) {
            lm_strbuf_append(sb, s + i, (size_t)len);
            i += len;
        } else {
            lm_strbuf_puts(sb, "\xEF\xBF\xBD");
            i++;
        }
    }
}

static void put_double(lm_strbuf *sb, double d)
{
    char buf[40];
    lm_format_double(buf, d);
    lm_strbuf_puts(sb, buf);
}

static void put_float(lm_strbuf *sb, float f)
{
    char buf[40];
    lm_format_float(buf, f);
    lm_strbuf_puts(sb, buf);
}

static void put_decimal(lm_strbuf *sb, const lm_type *t, lm_int128 v)
{
    char buf[64];
    lm_decimal_to_string(buf, v, t->scale);
    lm_strbuf_puts(sb, buf);
}

/* Java's BigDecimal.toString: plain unless the scale is negative or the
   adjusted exponent is below -6, then one digit, a point and E-notation.
   Spark names decimal literals this way (e.g. 1.230E-26). */
static void put_decimal_java(lm_strbuf *sb, const lm_type *t, lm_int128 v)
{
    char buf[64];
    lm_decimal_to_string(buf, v, 0);
    const char *digits = buf[0] == '-' ? buf + 1 : buf;
    int nd = (int)strlen(digits);
    int adjusted = (nd - 1) - t->scale;
    if (adjusted >= -6) {
        put_decimal(sb, t, v);
        return;
    }
    if (buf[0] == '-')
        lm_strbuf_putc(sb, '-');
    lm_strbuf_putc(sb, digits[0]);
    if (nd > 1) {
        lm_strbuf_putc(sb, '.');
        lm_strbuf_puts(sb, digits + 1);
    }
    lm_strbuf_printf(sb, "E%s%d", adjusted >= 0 ? "+" : "", adjusted);
}

static void put_sql_string(lm_strbuf *sb, const char *s, int32_t n)
{
    lm_strbuf_putc(sb, '\'');
    for (int32_t i = 0; i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\')
            lm_strbuf_putc(sb, '\\');
        lm_strbuf_putc(sb, s[i]);
    }
    lm_strbuf_putc(sb, '\'');
}

static void put_interval(lm_strbuf *sb, const lm_type *t, const lm_value *v, lm_render_style style)
{
    /* only the SQL test runner (HiveResult) prints the bare "1-2" form;
       casts to string, show() and names use the ANSI literal form */
    lm_interval_style is = style == LM_STYLE_HIVE ? LM_INTERVAL_HIVE : LM_INTERVAL_ANSI;
    if (t->id == LM_TYPE_YM_INTERVAL)
        lm_interval_ym_format(sb, (int32_t)v->u.i64, is, t->start_field, t->end_field);
    else if (t->id == LM_TYPE_DT_INTERVAL)
        lm_interval_dt_format(sb, v->u.i64, is, t->start_field, t->end_field);
    else
        lm_interval_format(sb, &v->u.iv);
}

typedef struct map_entry_text {
    char *text;
} map_entry_text;

static int cmp_text(const void *a, const void *b)
{
    return strcmp(((const map_entry_text *)a)->text, ((const map_entry_text *)b)->text);
}

static void render_complex(lm_strbuf *sb, const lm_type *t, const lm_value *v,
                           lm_render_style style, const lm_tz *tz)
{
    bool hive = style == LM_STYLE_HIVE;
    const char *sep = hive ? "," : ", ";
    if (t->id == LM_TYPE_ARRAY) {
        lm_strbuf_putc(sb, '[');
        for (int32_t i = 0; i < v->u.arr->n; i++) {
            if (i)
                lm_strbuf_puts(sb, sep);
            render_any(sb, t->elem, &v->u.arr->elems[i], style, tz, true);
        }
        lm_strbuf_putc(sb, ']');
        return;
    }
    if (t->id == LM_TYPE_STRUCT) {
        lm_strbuf_putc(sb, '{');
        for (int i = 0; i < t->nfields; i++) {
            if (i)
                lm_strbuf_puts(sb, sep);
            if (hive)
                lm_strbuf_printf(sb, "\"%s\":", t->fields[i].name);
            render_any(sb, t->fields[i].type, &v->u.st->fields[i], style, tz, true);
        }
        lm_strbuf_putc(sb, '}');
        return;
    }
    /* MAP: the SQL test runner prints entries sorted by their text */
    const lm_map_value *m = v->u.map;
    map_entry_text *ents = calloc((size_t)(m->n + 1), sizeof *ents);
    if (ents == NULL) {
        sb->failed = true;
        return;
    }
    for (int32_t i = 0; i < m->n; i++) {
        lm_strbuf e;
        lm_strbuf_init(&e);
        render_any(&e, t->key, &m->keys[i], style, tz, true);
        lm_strbuf_puts(&e, hive ? ":" : " -> ");
        render_any(&e, t->value, &m->values[i], style, tz, true);
        ents[i].text = lm_strbuf_detach(&e);
        if (ents[i].text == NULL)
            sb->failed = true;
    }
    if (hive && !sb->failed)
        qsort(ents, (size_t)m->n, sizeof *ents, cmp_text);
    lm_strbuf_putc(sb, '{');
    for (int32_t i = 0; i < m->n; i++) {
        if (i)
            lm_strbuf_puts(sb, sep);
        if (ents[i].text)
            lm_strbuf_puts(sb, ents[i].text);
        free(ents[i].text);
    }
    lm_strbuf_putc(sb, '}');
    free(ents);
}

static void render_sql(lm_strbuf *sb, const lm_type *t, const lm_value *v, const lm_tz *tz)
{
    char buf[64];
    switch (t->id) {
    case LM_TYPE_STRING:
        put_sql_string(sb, v->u.str.ptr, v->u.str.len);
        return;
    case LM_TYPE_BYTE:
        lm_strbuf_printf(sb, "%lldY", (long long)v->u.i64);
        return;
    case LM_TYPE_SHORT:
        lm_strbuf_printf(sb, "%lldS", (long long)v->u.i64);
        return;
    case LM_TYPE_LONG:
        lm_strbuf_printf(sb, "%lldL", (long long)v->u.i64);
        return;
    case LM_TYPE_DOUBLE:
        if (v->u.f64 != v->u.f64 || v->u.f64 - v->u.f64 != 0) {
            lm_strbuf_puts(sb, "CAST('");
            put_double(sb, v->u.f64);
            lm_strbuf_puts(sb, "' AS DOUBLE)");
        } else {
            put_double(sb, v->u.f64);
            lm_strbuf_putc(sb, 'D');
        }
        return;
    case LM_TYPE_FLOAT:
        lm_strbuf_puts(sb, "CAST('");
        put_float(sb, v->u.f32);
        lm_strbuf_puts(sb, "' AS FLOAT)");
        return;
    case LM_TYPE_DECIMAL:
        put_decimal(sb, t, v->u.dec);
        lm_strbuf_puts(sb, "BD");
        return;
    case LM_TYPE_DATE:
        lm_date_format(buf, (int32_t)v->u.i64);
        lm_strbuf_printf(sb, "DATE '%s'", buf);
        return;
    case LM_TYPE_TIMESTAMP:
        lm_ts_format(buf, v->u.i64, tz ? tz : lm_tz_utc());
        lm_strbuf_printf(sb, "TIMESTAMP '%s'", buf);
        return;
    case LM_TYPE_TIMESTAMP_NTZ:
        lm_ts_ntz_format(buf, v->u.i64);
        lm_strbuf_printf(sb, "TIMESTAMP_NTZ '%s'", buf);
        return;
    case LM_TYPE_BINARY:
        lm_strbuf_puts(sb, "X'");
        for (int32_t i = 0; i < v->u.str.len; i++)
            lm_strbuf_printf(sb, "%02X", (unsigned char)v->u.str.ptr[i]);
        lm_strbuf_putc(sb, '\'');
        return;
    case LM_TYPE_INTERVAL:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        put_interval(sb, t, v, LM_STYLE_SQL);
        return;
    default:
        render_any(sb, t, v, LM_STYLE_CAST, tz, false);
        return;
    }
}

static void render_any(lm_strbuf *sb, const lm_type *t, const lm_value *v, lm_render_style style,
                       const lm_tz *tz, bool nested)
{
    if (v->is_null || t->id == LM_TYPE_NULL) {
        lm_strbuf_puts(sb, nested ? "null" : "NULL");
        return;
    }
    if (style == LM_STYLE_SQL) {
        render_sql(sb, t, v, tz);
        return;
    }
    char buf[64];
    switch (t->id) {
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
        put_float(sb, v->u.f32);
        return;
    case LM_TYPE_DOUBLE:
        put_double(sb, v->u.f64);
        return;
    case LM_TYPE_DECIMAL:
        if (style == LM_STYLE_PRETTY)
            put_decimal_java(sb, t, v->u.dec);
        else
            put_decimal(sb, t, v->u.dec);
        return;
    case LM_TYPE_STRING:
        if (style == LM_STYLE_PRETTY) {
            lm_strbuf_append(sb, v->u.str.ptr, (size_t)v->u.str.len);
            return;
        }
        if (nested && style == LM_STYLE_HIVE)
            lm_strbuf_putc(sb, '"');
        lm_strbuf_append(sb, v->u.str.ptr, (size_t)v->u.str.len);
        if (nested && style == LM_STYLE_HIVE)
            lm_strbuf_putc(sb, '"');
        return;
    case LM_TYPE_BINARY:
        if (style == LM_STYLE_SHOW) {
            lm_strbuf_putc(sb, '[');
            for (int32_t i = 0; i < v->u.str.len; i++)
                lm_strbuf_printf(sb, i ? " %02X" : "%02X", (unsigned char)v->u.str.ptr[i]);
            lm_strbuf_putc(sb, ']');
        } else if (style == LM_STYLE_PRETTY) {
            render_sql(sb, t, v, tz);
        } else {
            put_utf8(sb, v->u.str.ptr, v->u.str.len);
        }
        return;
    case LM_TYPE_DATE:
        if (style == LM_STYLE_PRETTY) {
            render_sql(sb, t, v, tz);
            return;
        }
        lm_date_format(buf, (int32_t)v->u.i64);
        lm_strbuf_puts(sb, buf);
        return;
    case LM_TYPE_TIMESTAMP:
        if (style == LM_STYLE_PRETTY) {
            render_sql(sb, t, v, tz);
            return;
        }
        lm_ts_format(buf, v->u.i64, tz ? tz : lm_tz_utc());
        lm_strbuf_puts(sb, buf);
        return;
    case LM_TYPE_TIMESTAMP_NTZ:
        if (style == LM_STYLE_PRETTY) {
            render_sql(sb, t, v, tz);
            return;
        }
        lm_ts_ntz_format(buf, v->u.i64);
        lm_strbuf_puts(sb, buf);
        return;
    case LM_TYPE_INTERVAL:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        put_interval(sb, t, v, style);
        return;
    case LM_TYPE_ARRAY:
    case LM_TYPE_MAP:
    case LM_TYPE_STRUCT:
        /* a UDT prints its object's toString in every context but SQL */
        if (t->udt != NULL && style != LM_STYLE_SQL) {
            t->udt->to_string(sb, v);
            return;
        }
        render_complex(sb, t, v, style == LM_STYLE_PRETTY ? LM_STYLE_CAST : style, tz);
        return;
    default:
        lm_strbuf_puts(sb, "?");
        return;
    }
}

void lm_render(lm_strbuf *sb, const lm_type *t, const lm_value *v, lm_render_style style,
               const lm_tz *tz)
{
    render_any(sb, t, v, style, tz, false);
}
