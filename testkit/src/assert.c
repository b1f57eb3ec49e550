/*
 * The comparisons behind the assertions (DataFrames, schemas, two columns,
 * literal rows) and the glue that turns a failed comparison into a failed
 * cmocka test.
 *
 * Each comparison has two forms. lmt_*_equal returns an lmt_result with
 * the report, so a test (or a property) can inspect a failure without
 * failing; lmt_assert_* builds the same report for the terminal (colour
 * when stderr is one) and fails the test with it. Order of checks, as
 * pyspark and chispa do: schema first (rows of different shapes cannot be
 * compared sensibly), then rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tk.h"

#include "session/session.h"

lmt_df_opts lmt_df_opts_default(void)
{
    lmt_df_opts o;
    memset(&o, 0, sizeof o);
    o.ignore_nullable = true;
    o.rtol = 1e-5;
    o.atol = 1e-8;
    return o;
}

void lmt_result_free(lmt_result *r)
{
    if (r == NULL)
        return;
    free(r->report);
    r->report = NULL;
}

/* cmocka formats each message into a 1 KiB buffer, so a long report is
   handed over in pieces that never cross that limit. */
static void print_report(const char *text)
{
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        const char *line = p;
        size_t left = n;
        while (left > 0) {
            int chunk = left > 512 ? 512 : (int)left;
            print_error("%.*s", chunk, line);
            line += chunk;
            left -= (size_t)chunk;
        }
        print_error("\n");
        p += n;
        if (*p == '\n')
            p++;
    }
}

/* Prints and frees text, then fails the test (longjmp: nothing after). */
static void fail_owned(char *text, const char *file, int line)
{
    print_report(text ? text : "localmode testkit: out of memory\n");
    free(text);
    _fail(file, line);
}

void tk_fail(const char *text, const char *file, int line)
{
    print_report(text);
    _fail(file, line);
}

void lmt_check_at(lmt_result r, const char *file, int line)
{
    if (r.outcome == LMT_EQUAL) {
        lmt_result_free(&r);
        return;
    }
    fail_owned(r.report, file, line);
}

static lmt_result result_of(lmt_outcome outcome, lm_strbuf *sb, int64_t differing, int64_t total)
{
    lmt_result r;
    r.outcome = outcome;
    r.differing = differing;
    r.total = total;
    r.report = lm_strbuf_detach(sb);
    if (r.report == NULL) {
        r.outcome = LMT_ERROR;
        r.report = strdup("[ERROR] out of memory");
    }
    return r;
}

static lmt_result equal_result(int64_t total)
{
    lmt_result r = {LMT_EQUAL, NULL, 0, total};
    return r;
}

static lmt_result error_result(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static lmt_result error_result(const char *fmt, ...)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "[ERROR] ");
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    lm_strbuf_puts(&sb, buf);
    return result_of(LMT_ERROR, &sb, 0, 0);
}

static tk_schema_opts schema_opts(const lmt_df_opts *o)
{
    tk_schema_opts so;
    so.ignore_nullable = o->ignore_nullable;
    so.ignore_metadata = o->ignore_metadata;
    so.ignore_column_order = o->ignore_column_order;
    so.ignore_column_names = o->ignore_column_names;
    so.ignore_column_types = o->ignore_column_types;
    so.ignore_columns = o->ignore_columns;
    return so;
}

/* The schema report: the lines of tk_schema_diff under a heading, or one
   line joined by "; " in the compact form. */
static lmt_result schema_result(lm_strbuf *lines, int diffs, int total, const tk_style *st)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "[DIFFERENT_SCHEMA] Schemas do not match (actual vs expected):");
    const char *p = lm_strbuf_cstr(lines);
    if (st->compact) {
        bool first = true;
        while (*p) {
            while (*p == ' ')
                p++;
            size_t n = strcspn(p, "\n");
            lm_strbuf_puts(&sb, first ? " " : "; ");
            lm_strbuf_append(&sb, p, n);
            first = false;
            p += n;
            if (*p == '\n')
                p++;
        }
    } else {
        lm_strbuf_putc(&sb, '\n');
        lm_strbuf_puts(&sb, p);
        if (sb.len > 0 && sb.data[sb.len - 1] == '\n')
            sb.data[--sb.len] = '\0';
    }
    lm_strbuf_free(lines);
    return result_of(LMT_DIFFERENT_SCHEMA, &sb, diffs, total);
}

/* ------------------------------------------------------ row comparison */

typedef struct rows_cmp {
    const tk_cmp *cmp;
    const tk_col *cols;
    int ncols;
    lm_value *const *arows;
    int64_t na;
    lm_value *const *erows;
    int64_t ne;
    bool ordered;
} rows_cmp;

static int equal_cells(const rows_cmp *rc, int64_t a, int64_t e)
{
    int n = 0;
    for (int k = 0; k < rc->ncols; k++) {
        const tk_col *c = &rc->cols[k];
        n += tk_value_equal(rc->cmp, c->atype, &rc->arows[a][c->acol], c->etype,
                            &rc->erows[e][c->ecol]);
    }
    return n;
}

/* Beyond this many candidate pairs, leftover rows are paired in order
   rather than by likeness (the report stays readable, just less tidy). */
#define TK_PAIRING_BUDGET 250000

/*
 * The lines of an unordered comparison: actual's rows in their order, each
 * next to its match, or next to the unmatched expected row most like it
 * (sharing at least one cell, or the only one left), or alone; then the
 * expected rows left over.
 */
static tk_line *unordered_lines(const rows_cmp *rc, int64_t *nlines)
{
    int64_t *ma = malloc(sizeof *ma * (size_t)(rc->na + 1));
    int64_t *me = malloc(sizeof *me * (size_t)(rc->ne + 1));
    int64_t *pair = malloc(sizeof *pair * (size_t)(rc->na + 1));
    bool *taken = calloc((size_t)(rc->ne + 1), sizeof *taken);
    tk_line *lines = malloc(sizeof *lines * (size_t)(rc->na + rc->ne + 1));
    if (!ma || !me || !pair || !taken || !lines ||
        !tk_match_rows(rc->cmp, rc->cols, rc->ncols, rc->arows, rc->na, rc->erows, rc->ne, ma,
                       me)) {
        free(lines);
        lines = NULL;
        goto out;
    }
    int64_t ua = 0, ue = 0;
    for (int64_t i = 0; i < rc->na; i++)
        ua += ma[i] < 0;
    for (int64_t j = 0; j < rc->ne; j++)
        ue += me[j] < 0;
    bool by_likeness = ua * ue * (rc->ncols ? rc->ncols : 1) <= TK_PAIRING_BUDGET;
    int64_t next_e = 0;
    for (int64_t i = 0; i < rc->na; i++) {
        pair[i] = -1;
        if (ma[i] >= 0)
            continue;
        if (by_likeness) {
            int best = 0;
            for (int64_t j = 0; j < rc->ne; j++) {
                if (me[j] >= 0 || taken[j])
                    continue;
                int score = equal_cells(rc, i, j);
                if (pair[i] < 0 && (score > 0 || rc->ncols == 1)) {
                    pair[i] = j;
                    best = score;
                } else if (pair[i] >= 0 && score > best) {
                    pair[i] = j;
                    best = score;
                }
            }
        } else {
            while (next_e < rc->ne && (me[next_e] >= 0 || taken[next_e]))
                next_e++;
            if (next_e < rc->ne)
                pair[i] = next_e;
        }
        if (pair[i] >= 0)
            taken[pair[i]] = true;
    }
    /* one row left on each side: they belong next to each other even
       when no cell agrees */
    int64_t left_a = -1, left_e = -1, nleft_a = 0, nleft_e = 0;
    for (int64_t i = 0; i < rc->na; i++)
        if (ma[i] < 0 && pair[i] < 0) {
            left_a = i;
            nleft_a++;
        }
    for (int64_t j = 0; j < rc->ne; j++)
        if (me[j] < 0 && !taken[j]) {
            left_e = j;
            nleft_e++;
        }
    if (nleft_a == 1 && nleft_e == 1) {
        pair[left_a] = left_e;
        taken[left_e] = true;
    }
    int64_t n = 0;
    for (int64_t i = 0; i < rc->na; i++) {
        lines[n].a = i;
        lines[n].e = ma[i] >= 0 ? ma[i] : pair[i];
        lines[n].differ = ma[i] < 0;
        n++;
    }
    for (int64_t j = 0; j < rc->ne; j++)
        if (me[j] < 0 && !taken[j]) {
            lines[n].a = -1;
            lines[n].e = j;
            lines[n].differ = true;
            n++;
        }
    *nlines = n;
out:
    free(ma);
    free(me);
    free(pair);
    free(taken);
    return lines;
}

static tk_line *ordered_lines(const rows_cmp *rc, int64_t *nlines)
{
    int64_t n = rc->na > rc->ne ? rc->na : rc->ne;
    tk_line *lines = malloc(sizeof *lines * (size_t)(n + 1));
    if (lines == NULL)
        return NULL;
    for (int64_t i = 0; i < n; i++) {
        lines[i].a = i < rc->na ? i : -1;
        lines[i].e = i < rc->ne ? i : -1;
        lines[i].differ = lines[i].a < 0 || lines[i].e < 0 ||
                          !tk_rows_equal(rc->cmp, rc->cols, rc->ncols, rc->arows[i], rc->erows[i]);
    }
    *nlines = n;
    return lines;
}

static const char *rows_word(int64_t n)
{
    return n == 1 ? "row" : "rows";
}

/*
 * Compares the rows and writes the report. column_mode: the two "sides"
 * are two columns of one DataFrame (lmt_column_equal).
 */
static lmt_result compare_rows(const rows_cmp *rc, const tk_style *st, bool column_mode)
{
    int64_t nlines = 0;
    tk_line *lines = rc->ordered ? ordered_lines(rc, &nlines) : unordered_lines(rc, &nlines);
    if (lines == NULL)
        return error_result("out of memory");
    int64_t differing = 0;
    for (int64_t l = 0; l < nlines; l++)
        differing += lines[l].differ;
    if (differing == 0) {
        free(lines);
        return equal_result(nlines);
    }
    tk_table t;
    t.alabel = column_mode ? NULL : "actual";
    t.elabel = column_mode ? NULL : "expected";
    t.ncols = rc->ncols;
    t.cols = rc->cols;
    t.arows = rc->arows;
    t.erows = rc->erows;
    t.nlines = nlines;
    t.lines = lines;
    t.numbered = rc->ordered;
    t.cmp = rc->cmp;

    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (column_mode)
        lm_strbuf_printf(&sb, "[DIFFERENT_COLUMNS] Columns `%s` and `%s` do not match: ",
                         rc->cols[0].aname, rc->cols[0].ename);
    else
        lm_strbuf_puts(&sb, "[DIFFERENT_ROWS] Results do not match: ");
    tk_percent(&sb, differing, nlines);
    if (st->compact) {
        if (column_mode)
            lm_strbuf_printf(&sb, " in %lld of %lld %s", (long long)differing, (long long)nlines,
                             rows_word(nlines));
        else
            lm_strbuf_printf(&sb, " actual %lld %s, expected %lld %s%s", (long long)rc->na,
                             rows_word(rc->na), (long long)rc->ne, rows_word(rc->ne),
                             rc->ordered ? " (in order)" : "");
        tk_table_render_compact(&sb, &t, st->max_errors > 0 ? st->max_errors : 3);
    } else {
        lm_strbuf_putc(&sb, '\n');
        if (column_mode)
            lm_strbuf_printf(&sb, "%lld of %lld %s differ\n", (long long)differing,
                             (long long)nlines, rows_word(nlines));
        else
            lm_strbuf_printf(&sb, "rows compared %s; actual %lld %s, expected %lld %s\n",
                             rc->ordered ? "in order" : "in any order", (long long)rc->na,
                             rows_word(rc->na), (long long)rc->ne, rows_word(rc->ne));
        tk_table_render(&sb, &t, st);
        /* no trailing newline: cmocka and callers add their own */
        if (sb.len > 0 && sb.data[sb.len - 1] == '\n')
            sb.data[--sb.len] = '\0';
    }
    free(lines);
    return result_of(column_mode ? LMT_DIFFERENT_COLUMNS : LMT_DIFFERENT_ROWS, &sb, differing,
                     nlines);
}

/* Collects df's rows; on failure returns false with the engine's message
   in an error result. */
static bool collect(lm_df *df, const char *which, lm_rows **out, lmt_result *err)
{
    if (lm_df_collect(df, out) != LM_OK) {
        *err = error_result("cannot compute %s: %s", which, lm_errmsg(df->session));
        return false;
    }
    return true;
}

/* Builds the column list of a comparison from a schema mapping. */
static tk_col *make_cols(const lm_type *as, const lm_type *es, const int *acol, const int *ecol,
                         int n, bool expected_uses_actual_names)
{
    tk_col *cols = calloc((size_t)(n ? n : 1), sizeof *cols);
    if (cols == NULL)
        return NULL;
    for (int k = 0; k < n; k++) {
        cols[k].acol = acol[k];
        cols[k].ecol = ecol[k];
        cols[k].aname = as->fields[acol[k]].name;
        cols[k].ename = expected_uses_actual_names ? cols[k].aname : es->fields[ecol[k]].name;
        cols[k].atype = as->fields[acol[k]].type;
        cols[k].etype = es->fields[ecol[k]].type;
    }
    return cols;
}

/*
 * The shared path of every frame comparison: schema, then rows. erows_given
 * (with ne) replaces expected's collected rows for literal value cells.
 */
static lmt_result frames_equal(lm_df *actual, lm_df *expected, const lm_type *eschema,
                               lm_value *const *erows_given, int64_t ne_given, const lmt_df_opts *o,
                               const tk_style *st, bool literal)
{
    const lm_type *as = actual->schema;
    int na_cols = as->nfields, ne_cols = eschema->nfields;
    int *acol = malloc(sizeof(int) * (size_t)(na_cols + 1));
    int *ecol = malloc(sizeof(int) * (size_t)(ne_cols + 1));
    if (acol == NULL || ecol == NULL) {
        free(acol);
        free(ecol);
        return error_result("out of memory");
    }
    tk_schema_opts so = schema_opts(o);
    lm_strbuf lines;
    lm_strbuf_init(&lines);
    int nmap = 0;
    int diffs = tk_schema_diff(&lines, as, eschema, &so, acol, ecol, &nmap);
    if (diffs > 0) {
        free(acol);
        free(ecol);
        return schema_result(&lines, diffs, na_cols, st);
    }
    lm_strbuf_free(&lines);

    lmt_result r;
    lm_rows *ar = NULL, *er = NULL;
    tk_col *cols = NULL;
    if (!collect(actual, "actual", &ar, &r))
        goto out;
    if (erows_given == NULL && !collect(expected, "expected", &er, &r))
        goto out;
    cols = make_cols(as, eschema, acol, ecol, nmap, literal);
    if (cols == NULL) {
        r = error_result("out of memory");
        goto out;
    }
    tk_cmp cmp = {o->rtol, o->atol, actual->session->tz};
    rows_cmp rc = {&cmp,
                   cols,
                   nmap,
                   ar->rows,
                   ar->n,
                   erows_given ? erows_given : er->rows,
                   erows_given ? ne_given : er->n,
                   o->check_row_order};
    r = compare_rows(&rc, st, false);
out:
    free(cols);
    lm_rows_free(ar);
    lm_rows_free(er);
    free(acol);
    free(ecol);
    return r;
}

static tk_style style_of(const lmt_df_opts *o, bool terminal)
{
    return tk_style_resolve(o->color, o->format, o->max_errors, o->show_only_diff, terminal);
}

static lmt_result df_equal(lm_df *actual, lm_df *expected, const lmt_df_opts *opts, bool terminal)
{
    lmt_df_opts o = opts ? *opts : lmt_df_opts_default();
    if (actual == NULL || expected == NULL)
        return error_result("%s DataFrame is NULL", actual == NULL ? "the actual" : "the expected");
    tk_style st = style_of(&o, terminal);
    return frames_equal(actual, expected, expected->schema, NULL, 0, &o, &st, false);
}

lmt_result tk_df_equal(lm_df *actual, lm_df *expected, const lmt_df_opts *opts, bool terminal)
{
    return df_equal(actual, expected, opts, terminal);
}

lmt_result tk_result_text(lmt_outcome outcome, const char *text, int64_t differing, int64_t total)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, text);
    return result_of(outcome, &sb, differing, total);
}

lmt_result lmt_df_equal(lm_df *actual, lm_df *expected, const lmt_df_opts *opts)
{
    return df_equal(actual, expected, opts, false);
}

void lmt_assert_df_equal_at(lm_df *actual, lm_df *expected, const lmt_df_opts *opts,
                            const char *file, int line)
{
    lmt_check_at(df_equal(actual, expected, opts, true), file, line);
}

/* ------------------------------------------------------------ schemas */

static lmt_result schema_equal(const lm_type *as, const lm_type *es, const lmt_df_opts *opts,
                               bool terminal)
{
    lmt_df_opts o = opts ? *opts : lmt_df_opts_default();
    tk_style st = style_of(&o, terminal);
    tk_schema_opts so = schema_opts(&o);
    lm_strbuf lines;
    lm_strbuf_init(&lines);
    int nmap = 0;
    int diffs = tk_schema_diff(&lines, as, es, &so, NULL, NULL, &nmap);
    if (diffs > 0)
        return schema_result(&lines, diffs, as->nfields, &st);
    lm_strbuf_free(&lines);
    return equal_result(as->nfields);
}

static lmt_result schema_equal_ddl(lm_df *actual, const char *ddl, const lmt_df_opts *opts,
                                   bool terminal)
{
    if (actual == NULL || ddl == NULL)
        return error_result("lmt_schema_equal_ddl: NULL argument");
    char *err = NULL;
    lm_type *es = tk_parse_schema(ddl, &err);
    if (es == NULL) {
        lmt_result r = error_result("cannot parse the expected schema: %s", err ? err : "");
        free(err);
        return r;
    }
    lmt_result r = schema_equal(actual->schema, es, opts, terminal);
    lm_type_unref(es);
    return r;
}

lmt_result lmt_schema_equal(lm_df *actual, lm_df *expected, const lmt_df_opts *opts)
{
    if (actual == NULL || expected == NULL)
        return error_result("lmt_schema_equal: NULL DataFrame");
    return schema_equal(actual->schema, expected->schema, opts, false);
}

lmt_result lmt_schema_equal_ddl(lm_df *actual, const char *expected_ddl, const lmt_df_opts *opts)
{
    return schema_equal_ddl(actual, expected_ddl, opts, false);
}

void lmt_assert_schema_equal_at(lm_df *actual, lm_df *expected, const lmt_df_opts *opts,
                                const char *file, int line)
{
    lmt_result r = actual && expected ? schema_equal(actual->schema, expected->schema, opts, true)
                                      : error_result("lmt_assert_schema_equal: NULL DataFrame");
    lmt_check_at(r, file, line);
}

void lmt_assert_schema_equal_ddl_at(lm_df *actual, const char *expected_ddl,
                                    const lmt_df_opts *opts, const char *file, int line)
{
    lmt_check_at(schema_equal_ddl(actual, expected_ddl, opts, true), file, line);
}

/* ------------------------------------------------------------ columns */

/* Column lookup as Spark resolves names by default: exact, then ignoring
   case. */
static int find_column(const lm_type *st, const char *name)
{
    for (int i = 0; i < st->nfields; i++)
        if (strcmp(st->fields[i].name, name) == 0)
            return i;
    for (int i = 0; i < st->nfields; i++)
        if (strcasecmp(st->fields[i].name, name) == 0)
            return i;
    return -1;
}

static lmt_result column_not_found(const lm_type *st, const char *name)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "[ERROR] column `%s` not found; the columns are ", name);
    for (int i = 0; i < st->nfields; i++)
        lm_strbuf_printf(&sb, "%s`%s`", i ? ", " : "", st->fields[i].name);
    return result_of(LMT_ERROR, &sb, 0, 0);
}

static lmt_result column_equal(lm_df *df, const char *c1, const char *c2, const lmt_df_opts *opts,
                               bool terminal)
{
    if (df == NULL || c1 == NULL || c2 == NULL)
        return error_result("lmt_column_equal: NULL argument");
    lmt_df_opts o = opts ? *opts : lmt_df_opts_default();
    tk_style st = style_of(&o, terminal);
    int i1 = find_column(df->schema, c1), i2 = find_column(df->schema, c2);
    if (i1 < 0 || i2 < 0)
        return column_not_found(df->schema, i1 < 0 ? c1 : c2);
    lmt_result r;
    lm_rows *rows = NULL;
    if (!collect(df, "the DataFrame", &rows, &r))
        return r;
    tk_col col = {df->schema->fields[i1].name, df->schema->fields[i2].name, i1, i2,
                  df->schema->fields[i1].type, df->schema->fields[i2].type};
    tk_cmp cmp = {o.rtol, o.atol, df->session->tz};
    rows_cmp rc = {&cmp, &col, 1, rows->rows, rows->n, rows->rows, rows->n, true};
    r = compare_rows(&rc, &st, true);
    lm_rows_free(rows);
    return r;
}

lmt_result lmt_column_equal(lm_df *df, const char *col1, const char *col2, const lmt_df_opts *opts)
{
    return column_equal(df, col1, col2, opts, false);
}

void lmt_assert_column_equal_at(lm_df *df, const char *col1, const char *col2,
                                const lmt_df_opts *opts, const char *file, int line)
{
    lmt_check_at(column_equal(df, col1, col2, opts, true), file, line);
}

/* ------------------------------------------------------- literal rows */

static lmt_df_opts literal_opts(const lmt_df_opts *opts)
{
    lmt_df_opts o = opts ? *opts : lmt_df_opts_default();
    o.ignore_column_names = true;
    o.ignore_column_types = true;
    o.ignore_column_order = false;
    return o;
}

static lmt_result rows_equal(lm_df *actual, const char *values_sql, const lmt_df_opts *opts,
                             bool terminal)
{
    if (actual == NULL || values_sql == NULL)
        return error_result("lmt_rows_equal: NULL argument");
    lmt_df_opts o = literal_opts(opts);
    tk_style st = style_of(&o, terminal);
    lm_strbuf sql;
    lm_strbuf_init(&sql);
    lm_strbuf_puts(&sql, "SELECT * FROM VALUES ");
    lm_strbuf_puts(&sql, values_sql);
    if (!lm_strbuf_ok(&sql)) {
        lm_strbuf_free(&sql);
        return error_result("out of memory");
    }
    lm_df *expected = NULL;
    lm_session *s = actual->session;
    if (lm_sql(s, lm_strbuf_cstr(&sql), &expected) != LM_OK) {
        lmt_result r = error_result("cannot read the expected rows: %s", lm_errmsg(s));
        lm_strbuf_free(&sql);
        return r;
    }
    lm_strbuf_free(&sql);
    lmt_result r = frames_equal(actual, expected, expected->schema, NULL, 0, &o, &st, true);
    lm_df_free(expected);
    return r;
}

static lmt_result rows_equal_values(lm_df *actual, const struct lm_value *cells, int64_t nrows,
                                    const lmt_df_opts *opts, bool terminal)
{
    if (actual == NULL || (cells == NULL && nrows > 0) || nrows < 0)
        return error_result("lmt_rows_equal_values: bad argument");
    lmt_df_opts o = literal_opts(opts);
    tk_style st = style_of(&o, terminal);
    int ncols = actual->schema->nfields;
    lm_value **rows = malloc(sizeof *rows * (size_t)(nrows + 1));
    if (rows == NULL)
        return error_result("out of memory");
    for (int64_t i = 0; i < nrows; i++)
        rows[i] = (lm_value *)cells + i * ncols;
    lmt_result r = frames_equal(actual, NULL, actual->schema, rows, nrows, &o, &st, true);
    free(rows);
    return r;
}

lmt_result lmt_rows_equal(lm_df *actual, const char *values_sql, const lmt_df_opts *opts)
{
    return rows_equal(actual, values_sql, opts, false);
}

lmt_result lmt_rows_equal_values(lm_df *actual, const struct lm_value *cells, int64_t nrows,
                                 const lmt_df_opts *opts)
{
    return rows_equal_values(actual, cells, nrows, opts, false);
}

void lmt_assert_rows_equal_at(lm_df *actual, const char *values_sql, const lmt_df_opts *opts,
                              const char *file, int line)
{
    lmt_check_at(rows_equal(actual, values_sql, opts, true), file, line);
}

void lmt_assert_rows_equal_values_at(lm_df *actual, const struct lm_value *cells, int64_t nrows,
                                     const lmt_df_opts *opts, const char *file, int line)
{
    lmt_check_at(rows_equal_values(actual, cells, nrows, opts, true), file, line);
}
