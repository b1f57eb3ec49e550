/*
 * The text of failure reports: the side-by-side table of a row or column
 * comparison, its one-line form for CI logs, and how values are written.
 *
 *   [DIFFERENT_ROWS] Results do not match: (33.33333 %)
 *   rows compared in any order; actual 3 rows, expected 3 rows
 *     | actual               || expected
 *     | id | name  | score   || id | name  | score
 *   --+----+-------+---------++----+-------+------
 *     | 1  | alice | 1.5     || 1  | alice | 1.5
 *   ! | 2  | bob   | 2.0     || 2  | bobby | 2.0
 *     |    | ^^^   |         ||    | ^^^^^ |
 *
 * Why this shape: the two sides sit next to each other so a difference is
 * read across one line (chispa's idea), each side keeps its own column
 * names (they may differ), and differing cells are underlined with carets
 * as a compiler marks a column, because CI logs and files carry no colour.
 * On a terminal the carets give way to colour (red actual, green expected)
 * unless NO_COLOR is set (https://no-color.org). Lines never end in blanks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tk.h"

#include "render/render.h"

#define TK_RED "\033[31m"
#define TK_GREEN "\033[32m"
#define TK_BOLD_RED "\033[1;31m"
#define TK_RESET "\033[0m"

tk_style tk_style_resolve(lmt_color color, lmt_format format, int max_errors, bool show_only_diff,
                          bool for_terminal)
{
    tk_style st;
    const char *nc = getenv("NO_COLOR");
    bool no_color = nc != NULL && *nc != '\0';
    if (color == LMT_COLOR_ALWAYS)
        st.color = true;
    else if (color == LMT_COLOR_NEVER || !for_terminal)
        st.color = false;
    else
        st.color = !no_color && isatty(STDERR_FILENO);
    const char *cm = getenv("LMT_COMPACT");
    if (format == LMT_FORMAT_COMPACT)
        st.compact = true;
    else if (format == LMT_FORMAT_FULL)
        st.compact = false;
    else
        st.compact = cm != NULL && strcmp(cm, "1") == 0;
    if (st.compact)
        st.color = false;
    st.max_errors = max_errors > 0 ? max_errors : 0;
    st.show_only_diff = show_only_diff;
    return st;
}

void tk_percent(lm_strbuf *sb, int64_t differing, int64_t total)
{
    double pct = total > 0 ? 100.0 * (double)differing / (double)total : 0.0;
    lm_strbuf_printf(sb, "(%.5f %%)", pct);
}

/* A string needs quotes when its show() text would be mistaken for another
   value or would hide characters: empty, "NULL", blanks at either end,
   control characters, or already quoted. */
static bool needs_quotes(const char *p, int32_t n)
{
    if (n == 0 || (n == 4 && memcmp(p, "NULL", 4) == 0))
        return true;
    if (p[0] == ' ' || p[n - 1] == ' ' || p[0] == '"')
        return true;
    for (int32_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
            return true;
    return false;
}

static void quote_string(lm_strbuf *sb, const char *p, int32_t n)
{
    lm_strbuf_putc(sb, '"');
    for (int32_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        switch (ch) {
        case '"':
            lm_strbuf_puts(sb, "\\\"");
            break;
        case '\\':
            lm_strbuf_puts(sb, "\\\\");
            break;
        case '\n':
            lm_strbuf_puts(sb, "\\n");
            break;
        case '\t':
            lm_strbuf_puts(sb, "\\t");
            break;
        case '\r':
            lm_strbuf_puts(sb, "\\r");
            break;
        default:
            if (ch < 0x20 || ch == 0x7f)
                lm_strbuf_printf(sb, "\\x%02x", ch);
            else
                lm_strbuf_putc(sb, (char)ch);
        }
    }
    lm_strbuf_putc(sb, '"');
}

void tk_render_cell(lm_strbuf *sb, const lm_type *t, const lm_value *v, const struct lm_tz *tz)
{
    if (!v->is_null && t->id == LM_TYPE_STRING && needs_quotes(v->u.str.ptr, v->u.str.len)) {
        quote_string(sb, v->u.str.ptr, v->u.str.len);
        return;
    }
    lm_render(sb, t, v, LM_STYLE_SHOW, tz);
}

/* Display width: one column per code point (UTF-8 continuation bytes do
   not count), which is right for the scripts test data usually holds. */
static int text_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

static void pad(lm_strbuf *sb, int n)
{
    if (n > 0)
        lm_strbuf_repeat(sb, ' ', (size_t)n);
}

/* Removes blanks before the end of each line appended since `from`. */
static void rstrip_line(lm_strbuf *sb, size_t from)
{
    while (sb->len > from && sb->data[sb->len - 1] == ' ')
        sb->len--;
    if (sb->data)
        sb->data[sb->len] = '\0';
}

typedef struct cells {
    int64_t nshown;
    int64_t *shown; /* line indexes displayed */
    char **text;    /* [shown][col][side] */
    bool *diff;     /* [shown][col] */
} cells;

static char **cell_at(const cells *c, int ncols, int64_t s, int k, int side)
{
    return &c->text[(s * ncols + k) * 2 + side];
}

static char *render_to_string(const lm_type *t, const lm_value *v, const struct lm_tz *tz)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    tk_render_cell(&sb, t, v, tz);
    return lm_strbuf_detach(&sb);
}

/* Decides which lines are shown (show_only_diff, max_errors) and renders
   their cells. Returns false on allocation failure. */
static bool cells_build(cells *c, const tk_table *t, const tk_style *st, int64_t *hidden_equal,
                        int64_t *hidden_diff)
{
    memset(c, 0, sizeof *c);
    *hidden_equal = *hidden_diff = 0;
    c->shown = malloc(sizeof *c->shown * (size_t)(t->nlines ? t->nlines : 1));
    if (c->shown == NULL)
        return false;
    int64_t ndiff = 0;
    for (int64_t l = 0; l < t->nlines; l++) {
        if (!t->lines[l].differ) {
            if (st->show_only_diff)
                (*hidden_equal)++;
            else
                c->shown[c->nshown++] = l;
            continue;
        }
        if (st->max_errors > 0 && ndiff >= st->max_errors) {
            (*hidden_diff)++;
            continue;
        }
        ndiff++;
        c->shown[c->nshown++] = l;
    }
    size_t ncells = (size_t)(c->nshown ? c->nshown : 1) * (size_t)(t->ncols ? t->ncols : 1);
    c->text = calloc(ncells * 2, sizeof *c->text);
    c->diff = calloc(ncells, sizeof *c->diff);
    if (c->text == NULL || c->diff == NULL)
        return false;
    const struct lm_tz *tz = t->cmp->tz;
    for (int64_t s = 0; s < c->nshown; s++) {
        const tk_line *ln = &t->lines[c->shown[s]];
        for (int k = 0; k < t->ncols; k++) {
            const tk_col *col = &t->cols[k];
            const lm_value *av = ln->a >= 0 ? &t->arows[ln->a][col->acol] : NULL;
            const lm_value *ev = ln->e >= 0 ? &t->erows[ln->e][col->ecol] : NULL;
            char **ac = cell_at(c, t->ncols, s, k, 0), **ec = cell_at(c, t->ncols, s, k, 1);
            *ac = av ? render_to_string(col->atype, av, tz) : strdup("");
            *ec = ev ? render_to_string(col->etype, ev, tz) : strdup("");
            if (*ac == NULL || *ec == NULL)
                return false;
            c->diff[s * t->ncols + k] =
                av && ev && !tk_value_equal(t->cmp, col->atype, av, col->etype, ev);
        }
    }
    return true;
}

static void cells_free(cells *c, int ncols)
{
    if (c->text)
        for (int64_t i = 0; i < c->nshown * ncols * 2; i++)
            free(c->text[i]);
    free(c->text);
    free(c->diff);
    free(c->shown);
}

static int digits(int64_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* Appends one side of a line: "| a | b " with each cell padded to width. */
static void side_cells(lm_strbuf *sb, int ncols, const int *w, char *const *texts, const bool *diff,
                       const char *color)
{
    for (int k = 0; k < ncols; k++) {
        if (k > 0)
            lm_strbuf_putc(sb, '|');
        lm_strbuf_putc(sb, ' ');
        bool mark = color && diff && diff[k];
        if (mark)
            lm_strbuf_puts(sb, color);
        lm_strbuf_puts(sb, texts[k]);
        if (mark)
            lm_strbuf_puts(sb, TK_RESET);
        pad(sb, w[k] - text_width(texts[k]) + 1);
    }
}

void tk_table_render(lm_strbuf *sb, const tk_table *t, const tk_style *st)
{
    cells c = {0}; /* freed on every path, built only when the widths exist */
    int64_t hidden_equal = 0, hidden_diff = 0;
    int n = t->ncols;
    int *wa = calloc((size_t)(n ? n : 1), sizeof *wa);
    int *we = calloc((size_t)(n ? n : 1), sizeof *we);
    char **row_a = calloc((size_t)(n ? n : 1), sizeof *row_a);
    char **row_e = calloc((size_t)(n ? n : 1), sizeof *row_e);
    if (wa == NULL || we == NULL || row_a == NULL || row_e == NULL ||
        !cells_build(&c, t, st, &hidden_equal, &hidden_diff)) {
        sb->failed = true;
        goto out;
    }
    for (int k = 0; k < n; k++) {
        wa[k] = text_width(t->cols[k].aname);
        we[k] = text_width(t->cols[k].ename);
        for (int64_t s = 0; s < c.nshown; s++) {
            int x = text_width(*cell_at(&c, n, s, k, 0)), y = text_width(*cell_at(&c, n, s, k, 1));
            wa[k] = x > wa[k] ? x : wa[k];
            we[k] = y > we[k] ? y : we[k];
        }
    }
    /* each side is at least as wide as its label */
    if (t->alabel && n > 0) {
        int side = -1;
        for (int k = 0; k < n; k++)
            side += wa[k] + 3;
        int need = text_width(t->alabel) + 2;
        if (side < need)
            wa[n - 1] += need - side;
    }
    int gw = 2 + (t->numbered ? digits(t->nlines) + 1 : 0); /* "! " + "12 " */

    /* group labels, then column names */
    if (t->alabel) {
        size_t from = sb->len;
        pad(sb, gw);
        lm_strbuf_puts(sb, "| ");
        lm_strbuf_puts(sb, t->alabel);
        int side = -1;
        for (int k = 0; k < n; k++)
            side += wa[k] + 3;
        pad(sb, side - 1 - text_width(t->alabel));
        lm_strbuf_puts(sb, "|| ");
        lm_strbuf_puts(sb, t->elabel);
        rstrip_line(sb, from);
        lm_strbuf_putc(sb, '\n');
    }
    size_t from = sb->len;
    pad(sb, gw);
    lm_strbuf_putc(sb, '|');
    for (int k = 0; k < n; k++)
        row_a[k] = (char *)t->cols[k].aname, row_e[k] = (char *)t->cols[k].ename;
    side_cells(sb, n, wa, row_a, NULL, NULL);
    lm_strbuf_puts(sb, "||");
    side_cells(sb, n, we, row_e, NULL, NULL);
    rstrip_line(sb, from);
    lm_strbuf_putc(sb, '\n');
    lm_strbuf_repeat(sb, '-', (size_t)gw);
    lm_strbuf_putc(sb, '+');
    for (int k = 0; k < n; k++) {
        if (k > 0)
            lm_strbuf_putc(sb, '+');
        lm_strbuf_repeat(sb, '-', (size_t)wa[k] + 2);
    }
    lm_strbuf_puts(sb, "++");
    for (int k = 0; k < n; k++) {
        if (k > 0)
            lm_strbuf_putc(sb, '+');
        lm_strbuf_repeat(sb, '-', (size_t)we[k] + 2);
    }
    lm_strbuf_putc(sb, '\n');

    for (int64_t s = 0; s < c.nshown; s++) {
        const tk_line *ln = &t->lines[c.shown[s]];
        const bool *diff = &c.diff[s * n];
        for (int k = 0; k < n; k++) {
            row_a[k] = *cell_at(&c, n, s, k, 0);
            row_e[k] = *cell_at(&c, n, s, k, 1);
        }
        from = sb->len;
        if (ln->differ)
            lm_strbuf_puts(sb, st->color ? TK_BOLD_RED "!" TK_RESET " " : "! ");
        else
            lm_strbuf_puts(sb, "  ");
        if (t->numbered)
            lm_strbuf_printf(sb, "%*lld ", digits(t->nlines), (long long)c.shown[s] + 1);
        lm_strbuf_putc(sb, '|');
        side_cells(sb, n, wa, row_a, diff, st->color ? TK_RED : NULL);
        lm_strbuf_puts(sb, "||");
        side_cells(sb, n, we, row_e, diff, st->color ? TK_GREEN : NULL);
        rstrip_line(sb, from);
        lm_strbuf_putc(sb, '\n');
        bool any = false;
        for (int k = 0; k < n; k++)
            any |= diff[k];
        if (!any || st->color)
            continue;
        /* the caret line under the differing cells */
        from = sb->len;
        pad(sb, gw);
        lm_strbuf_putc(sb, '|');
        for (int side = 0; side < 2; side++) {
            const int *w = side ? we : wa;
            if (side)
                lm_strbuf_puts(sb, "||");
            for (int k = 0; k < n; k++) {
                if (k > 0)
                    lm_strbuf_putc(sb, '|');
                lm_strbuf_putc(sb, ' ');
                int tw = text_width(side ? row_e[k] : row_a[k]);
                if (diff[k]) {
                    lm_strbuf_repeat(sb, '^', (size_t)(tw > 0 ? tw : 1));
                    pad(sb, w[k] - (tw > 0 ? tw : 1) + 1);
                } else {
                    pad(sb, w[k] + 1);
                }
            }
        }
        rstrip_line(sb, from);
        lm_strbuf_putc(sb, '\n');
    }
    if (hidden_diff > 0)
        lm_strbuf_printf(sb, "(%lld more differing row%s not shown: max_errors = %d)\n",
                         (long long)hidden_diff, hidden_diff == 1 ? "" : "s", st->max_errors);
    if (hidden_equal > 0)
        lm_strbuf_printf(sb, "(%lld equal row%s not shown)\n", (long long)hidden_equal,
                         hidden_equal == 1 ? "" : "s");
out:
    cells_free(&c, n);
    free(wa);
    free(we);
    free(row_a);
    free(row_e);
}

static void tuple(lm_strbuf *sb, const tk_table *t, int64_t row, bool actual)
{
    lm_strbuf_putc(sb, '(');
    for (int k = 0; k < t->ncols; k++) {
        const tk_col *col = &t->cols[k];
        if (k > 0)
            lm_strbuf_puts(sb, ", ");
        if (actual)
            tk_render_cell(sb, col->atype, &t->arows[row][col->acol], t->cmp->tz);
        else
            tk_render_cell(sb, col->etype, &t->erows[row][col->ecol], t->cmp->tz);
    }
    lm_strbuf_putc(sb, ')');
}

void tk_table_render_compact(lm_strbuf *sb, const tk_table *t, int limit)
{
    int shown = 0;
    int64_t more = 0;
    for (int64_t l = 0; l < t->nlines; l++) {
        const tk_line *ln = &t->lines[l];
        if (!ln->differ)
            continue;
        if (shown >= limit) {
            more++;
            continue;
        }
        shown++;
        lm_strbuf_puts(sb, "; ");
        if (t->numbered)
            lm_strbuf_printf(sb, "row %lld: ", (long long)l + 1);
        if (ln->a >= 0 && ln->e >= 0) {
            lm_strbuf_printf(sb, "%s ", t->alabel ? t->alabel : t->cols[0].aname);
            tuple(sb, t, ln->a, true);
            lm_strbuf_printf(sb, " != %s ", t->elabel ? t->elabel : t->cols[0].ename);
            tuple(sb, t, ln->e, false);
        } else if (ln->a >= 0) {
            lm_strbuf_puts(sb, "unexpected ");
            tuple(sb, t, ln->a, true);
        } else {
            lm_strbuf_puts(sb, "missing ");
            tuple(sb, t, ln->e, false);
        }
    }
    if (more > 0)
        lm_strbuf_printf(sb, "; ... %lld more", (long long)more);
}
