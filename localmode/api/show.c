/*
 * Dataset.show(): the text table Spark prints, cell truncation, alignment
 * and the "only showing top N rows" footer included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/df.h"
#include "render/render.h"
#include "session/session.h"

/* Width in characters of UTF-8 text (code points), as Spark pads by chars. */
static size_t text_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Byte offset of the first `chars` characters. */
static size_t prefix_bytes(const char *s, size_t chars)
{
    size_t i = 0, n = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (n == chars)
                break;
            n++;
        }
        i++;
    }
    return i;
}

static char *truncated(const char *s, int truncate)
{
    size_t w = text_width(s);
    if (truncate <= 0 || w <= (size_t)truncate)
        return strdup(s);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (truncate < 4) {
        lm_strbuf_append(&sb, s, prefix_bytes(s, (size_t)truncate));
    } else {
        lm_strbuf_append(&sb, s, prefix_bytes(s, (size_t)truncate - 3));
        lm_strbuf_puts(&sb, "...");
    }
    return lm_strbuf_detach(&sb);
}

static void pad(lm_strbuf *sb, const char *s, size_t width, bool left)
{
    size_t w = text_width(s);
    if (left)
        lm_strbuf_repeat(sb, ' ', width > w ? width - w : 0);
    lm_strbuf_puts(sb, s);
    if (!left)
        lm_strbuf_repeat(sb, ' ', width > w ? width - w : 0);
}

char *lm_df_show_string(lm_df *df, int n, int truncate, bool vertical)
{
    if (lm_df_compute(df) != LM_OK)
        return NULL;
    lm_table *t = df->result;
    int ncols = t->schema->nfields;
    int64_t take = t->nrows < (int64_t)n ? t->nrows : (int64_t)n;
    if (take < 0)
        take = 0;
    bool more = t->nrows > take;
    /* cells[0] is the header */
    char ***cells = calloc((size_t)(take + 1), sizeof *cells);
    size_t *widths = calloc((size_t)(ncols + 1), sizeof *widths);
    lm_arena a;
    lm_arena_init(&a, 64 * 1024);
    lm_value *row = calloc((size_t)(ncols + 1), sizeof *row);
    bool ok = cells && widths && row;
    for (int64_t r = 0; ok && r <= take; r++) {
        cells[r] = calloc((size_t)(ncols + 1), sizeof(char *));
        ok = cells[r] != NULL;
    }
    for (int c = 0; ok && c < ncols; c++)
        ok = (cells[0][c] = truncated(t->schema->fields[c].name, truncate)) != NULL;
    int64_t r = 1;
    for (int b = 0; ok && b < t->nbatches && r <= take; b++) {
        for (int32_t i = 0; ok && i < t->batches[b]->nrows && r <= take; i++, r++) {
            ok = lm_batch_get_row(t->batches[b], i, row, &a);
            for (int c = 0; ok && c < ncols; c++) {
                lm_strbuf sb;
                lm_strbuf_init(&sb);
                lm_render(&sb, t->schema->fields[c].type, &row[c], LM_STYLE_SHOW, df->session->tz);
                char *txt = lm_strbuf_detach(&sb);
                ok = txt != NULL;
                if (ok) {
                    cells[r][c] = truncated(txt, truncate);
                    ok = cells[r][c] != NULL;
                }
                free(txt);
            }
        }
    }
    lm_strbuf out;
    lm_strbuf_init(&out);
    if (ok && !vertical) {
        for (int c = 0; c < ncols; c++) {
            widths[c] = 3;
            for (int64_t k = 0; k <= take; k++) {
                size_t w = text_width(cells[k][c]);
                if (w > widths[c])
                    widths[c] = w;
            }
        }
        lm_strbuf sep;
        lm_strbuf_init(&sep);
        lm_strbuf_putc(&sep, '+');
        for (int c = 0; c < ncols; c++) {
            lm_strbuf_repeat(&sep, '-', widths[c]);
            lm_strbuf_putc(&sep, '+');
        }
        lm_strbuf_putc(&sep, '\n');
        lm_strbuf_puts(&out, lm_strbuf_cstr(&sep));
        for (int64_t k = 0; k <= take; k++) {
            lm_strbuf_putc(&out, '|');
            for (int c = 0; c < ncols; c++) {
                pad(&out, cells[k][c], widths[c], truncate > 0);
                lm_strbuf_putc(&out, '|');
            }
            lm_strbuf_putc(&out, '\n');
            if (k == 0)
                lm_strbuf_puts(&out, lm_strbuf_cstr(&sep));
        }
        lm_strbuf_puts(&out, lm_strbuf_cstr(&sep));
        lm_strbuf_free(&sep);
    } else if (ok) {
        /* both columns are at least 3 wide, as in the table form */
        size_t fw = 3, dw = 3;
        for (int c = 0; c < ncols; c++) {
            size_t w = text_width(cells[0][c]);
            if (w > fw)
                fw = w;
            for (int64_t k = 1; k <= take; k++) {
                w = text_width(cells[k][c]);
                if (w > dw)
                    dw = w;
            }
        }
        for (int64_t k = 1; k <= take; k++) {
            lm_strbuf head;
            lm_strbuf_init(&head);
            lm_strbuf_printf(&head, "-RECORD %lld", (long long)(k - 1));
            lm_strbuf_puts(&out, lm_strbuf_cstr(&head));
            size_t hw = text_width(lm_strbuf_cstr(&head));
            lm_strbuf_repeat(&out, '-', fw + dw + 5 > hw ? fw + dw + 5 - hw : 0);
            lm_strbuf_putc(&out, '\n');
            lm_strbuf_free(&head);
            for (int c = 0; c < ncols; c++) {
                lm_strbuf_putc(&out, ' ');
                pad(&out, cells[0][c], fw, false);
                lm_strbuf_puts(&out, " | ");
                pad(&out, cells[k][c], dw, false);
                lm_strbuf_puts(&out, " \n");
            }
        }
        if (take == 0)
            lm_strbuf_puts(&out, "(0 rows)\n");
    }
    if (ok && more)
        lm_strbuf_printf(&out, "only showing top %d %s\n", n, n == 1 ? "row" : "rows");
    for (int64_t k = 0; cells && k <= take; k++) {
        for (int c = 0; cells[k] && c < ncols; c++)
            free(cells[k][c]);
        free(cells[k]);
    }
    free(cells);
    free(widths);
    free(row);
    lm_arena_free(&a);
    if (!ok) {
        lm_strbuf_free(&out);
        lm_error_oom(&df->session->error);
        return NULL;
    }
    return lm_strbuf_detach(&out);
}

lm_status lm_df_show(lm_df *df, int n, int truncate, bool vertical)
{
    char *s = lm_df_show_string(df, n, truncate, vertical);
    if (s == NULL)
        return df->session->error.status ? df->session->error.status : LM_ENOMEM;
    fputs(s, stdout);
    free(s);
    return LM_OK;
}
