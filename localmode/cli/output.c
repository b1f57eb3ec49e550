/*
 * Result printing for the CLI: Spark's show() table, tab-separated text as
 * `spark-sql -S` prints it, CSV with a header, or JSON Lines.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "api/df.h"
#include "cli/cli.h"
#include "render/render.h"
#include "session/session.h"

/* RFC 4180 quoting: only fields holding a separator, quote or newline. */
static void csv_field(lm_strbuf *sb, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        lm_strbuf_puts(sb, s);
        return;
    }
    lm_strbuf_putc(sb, '"');
    for (; *s; s++) {
        if (*s == '"')
            lm_strbuf_putc(sb, '"');
        lm_strbuf_putc(sb, *s);
    }
    lm_strbuf_putc(sb, '"');
}

static void json_string(lm_strbuf *sb, const char *s, size_t n)
{
    lm_strbuf_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': lm_strbuf_puts(sb, "\\\""); break;
        case '\\': lm_strbuf_puts(sb, "\\\\"); break;
        case '\n': lm_strbuf_puts(sb, "\\n"); break;
        case '\r': lm_strbuf_puts(sb, "\\r"); break;
        case '\t': lm_strbuf_puts(sb, "\\t"); break;
        default:
            if (c < 0x20)
                lm_strbuf_printf(sb, "\\u%04x", c);
            else
                lm_strbuf_putc(sb, (char)c);
        }
    }
    lm_strbuf_putc(sb, '"');
}

/* JSON value: numbers and booleans bare, everything else as its string form. */
static void json_value(lm_strbuf *sb, const lm_type *t, const lm_value *v, const struct lm_tz *tz)
{
    if (v->is_null) {
        lm_strbuf_puts(sb, "null");
        return;
    }
    switch (t->id) {
    case LM_TYPE_ARRAY:
        lm_strbuf_putc(sb, '[');
        for (int32_t i = 0; i < v->u.arr->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            json_value(sb, t->elem, &v->u.arr->elems[i], tz);
        }
        lm_strbuf_putc(sb, ']');
        return;
    case LM_TYPE_STRUCT:
        lm_strbuf_putc(sb, '{');
        for (int i = 0; i < t->nfields; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            json_string(sb, t->fields[i].name, strlen(t->fields[i].name));
            lm_strbuf_putc(sb, ':');
            json_value(sb, t->fields[i].type, &v->u.st->fields[i], tz);
        }
        lm_strbuf_putc(sb, '}');
        return;
    case LM_TYPE_MAP:
        lm_strbuf_putc(sb, '{');
        for (int32_t i = 0; i < v->u.map->n; i++) {
            lm_strbuf key;
            lm_strbuf_init(&key);
            lm_render(&key, t->key, &v->u.map->keys[i], LM_STYLE_CAST, tz);
            if (i)
                lm_strbuf_putc(sb, ',');
            json_string(sb, lm_strbuf_cstr(&key), key.len);
            lm_strbuf_free(&key);
            lm_strbuf_putc(sb, ':');
            json_value(sb, t->value, &v->u.map->values[i], tz);
        }
        lm_strbuf_putc(sb, '}');
        return;
    case LM_TYPE_BOOLEAN:
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_DECIMAL:
        lm_render(sb, t, v, LM_STYLE_CAST, tz);
        return;
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE: {
        double d = t->id == LM_TYPE_FLOAT ? v->u.f32 : v->u.f64;
        if (d != d || d - d != 0) {
            lm_strbuf tmp;
            lm_strbuf_init(&tmp);
            lm_render(&tmp, t, v, LM_STYLE_CAST, tz);
            json_string(sb, lm_strbuf_cstr(&tmp), tmp.len);
            lm_strbuf_free(&tmp);
        } else {
            lm_render(sb, t, v, LM_STYLE_CAST, tz);
        }
        return;
    }
    default: {
        lm_strbuf tmp;
        lm_strbuf_init(&tmp);
        lm_render(&tmp, t, v, LM_STYLE_CAST, tz);
        json_string(sb, lm_strbuf_cstr(&tmp), tmp.len);
        lm_strbuf_free(&tmp);
        return;
    }
    }
}

static lm_status print_rows(lm_df *df, const cli_opts *o, FILE *out)
{
    lm_rows *rows = NULL;
    lm_status st = lm_df_collect(df, &rows);
    if (st != LM_OK)
        return st;
    int nc = lm_rows_num_columns(rows);
    const lm_type *schema = rows->table->schema;
    lm_strbuf line;
    lm_strbuf_init(&line);
    if (o->format == CLI_CSV) {
        for (int c = 0; c < nc; c++) {
            if (c)
                lm_strbuf_putc(&line, ',');
            csv_field(&line, schema->fields[c].name);
        }
        fputs(lm_strbuf_cstr(&line), out);
        fputc('\n', out);
    }
    for (int64_t r = 0; r < lm_rows_count(rows); r++) {
        lm_strbuf_reset(&line);
        if (o->format == CLI_JSON)
            lm_strbuf_putc(&line, '{');
        bool first = true;
        for (int c = 0; c < nc; c++) {
            const lm_value *v = &rows->rows[r][c];
            if (o->format == CLI_JSON) {
                /* Spark's JSON writer omits null fields */
                if (v->is_null)
                    continue;
                if (!first)
                    lm_strbuf_putc(&line, ',');
                json_string(&line, schema->fields[c].name, strlen(schema->fields[c].name));
                lm_strbuf_putc(&line, ':');
                json_value(&line, schema->fields[c].type, v, rows->tz);
                first = false;
                continue;
            }
            if (c)
                lm_strbuf_putc(&line, o->format == CLI_TSV ? '\t' : ',');
            char *cell = lm_rows_render(rows, r, c, o->format == CLI_TSV ? LM_RENDER_HIVE
                                                                         : LM_RENDER_SHOW);
            if (cell == NULL) {
                st = LM_ENOMEM;
                break;
            }
            if (o->format == CLI_CSV) {
                csv_field(&line, v->is_null ? "" : cell);
            } else {
                lm_strbuf_puts(&line, cell);
            }
            free(cell);
        }
        if (o->format == CLI_JSON)
            lm_strbuf_putc(&line, '}');
        fputs(lm_strbuf_cstr(&line), out);
        fputc('\n', out);
    }
    lm_strbuf_free(&line);
    lm_rows_free(rows);
    return st;
}

lm_status cli_print(lm_df *df, const cli_opts *o, FILE *out)
{
    if (o->format != CLI_TABLE)
        return print_rows(df, o, out);
    char *text = lm_df_show_string(df, INT_MAX, o->truncate, false);
    if (text == NULL)
        return df->session->error.status ? df->session->error.status : LM_ENOMEM;
    fputs(text, out);
    free(text);
    return LM_OK;
}
