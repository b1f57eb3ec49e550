/*
 * describe() and summary() (Spark's StatFunctions.summary): one row per
 * statistic, a `summary` column naming it and one string column per
 * numeric or string input column, every value cast to string as Spark
 * does. Statistics: count, mean, stddev, min, max, count_distinct,
 * approx_count_distinct and percentiles written "25%" (approximate, with
 * Spark's accuracy 10000; NULL for string columns). The aggregates run at
 * once and the result is a local relation, so the statistics are computed
 * when the DataFrame is defined.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/dfapi.h"
#include "session/session.h"

#define MAX_STATS 32

static lm_column *quoted(const char *name)
{
    char *q = malloc(strlen(name) * 2 + 3);
    if (q == NULL)
        return NULL;
    size_t o = 0;
    q[o++] = '`';
    for (const char *p = name; *p; p++) {
        if (*p == '`')
            q[o++] = '`';
        q[o++] = *p;
    }
    q[o++] = '`';
    q[o] = '\0';
    lm_column *c = lm_col(q);
    free(q);
    return c;
}

/* The aggregate for one statistic of one column, or NULL-literal when the
   statistic does not apply; *bad set for an unknown statistic. */
static lm_column *stat_expr(const char *stat, const lm_field *f, bool *bad)
{
    lm_column *c = quoted(f->name);
    bool numeric = lm_type_is_numeric(f->type);
    if (strcmp(stat, "count") == 0)
        return lm_fn("count", c, NULL);
    if (strcmp(stat, "mean") == 0)
        return lm_fn("avg", c, NULL);
    if (strcmp(stat, "stddev") == 0)
        return lm_fn("stddev", c, NULL);
    if (strcmp(stat, "min") == 0)
        return lm_fn("min", c, NULL);
    if (strcmp(stat, "max") == 0)
        return lm_fn("max", c, NULL);
    if (strcmp(stat, "count_distinct") == 0)
        return lm_fn_distinct("count", c, NULL);
    if (strcmp(stat, "approx_count_distinct") == 0)
        return lm_fn("approx_count_distinct", c, NULL);
    size_t n = strlen(stat);
    char *end = NULL;
    double pct = n > 1 && stat[n - 1] == '%' ? strtod(stat, &end) : -1;
    if (end == stat + n - 1 && pct >= 0 && pct <= 100) {
        if (!numeric) {
            lm_column_free(c);
            return lm_lit_null();
        }
        return lm_fn("percentile_approx", c, lm_lit_double(pct / 100.0), lm_lit_int(10000), NULL);
    }
    lm_column_free(c);
    *bad = true;
    return NULL;
}

static lm_df *summarize(lm_df *df, int nstats, const char *const *stats, int ncols_in,
                        const char *const *cols_in)
{
    if (df == NULL || df->plan == NULL)
        return NULL;
    lm_session *s = df->session;
    lm_error_clear(&s->error);
    /* the columns: named ones, else every numeric and string column */
    int idx[256], nc = 0;
    for (int i = 0; i < df->schema->nfields && nc < 256; i++) {
        const lm_field *f = &df->schema->fields[i];
        bool pick;
        if (ncols_in > 0) {
            pick = false;
            for (int k = 0; k < ncols_in; k++)
                pick |= dfapi_find_column(df, cols_in[k]) == i;
        } else {
            pick = lm_type_is_numeric(f->type) || f->type->id == LM_TYPE_STRING;
        }
        if (pick)
            idx[nc++] = i;
    }
    for (int k = 0; k < ncols_in; k++)
        if (dfapi_find_column(df, cols_in[k]) < 0) {
            lm_column *probe = lm_col(cols_in[k]);
            lm_df *fail = lm_df_select(df, probe, NULL); /* Spark's resolution error */
            lm_df_free(fail);
            return NULL;
        }
    lm_column **aggs = calloc((size_t)(nstats * nc) + 1, sizeof *aggs);
    if (aggs == NULL) {
        lm_error_oom(&s->error);
        return NULL;
    }
    int na = 0;
    for (int st = 0; st < nstats; st++)
        for (int c = 0; c < nc; c++) {
            bool bad = false;
            lm_column *e = stat_expr(stats[st], &df->schema->fields[idx[c]], &bad);
            if (bad) {
                for (int j = 0; j < na; j++)
                    lm_column_free(aggs[j]);
                free(aggs);
                lm_error_set(&s->error, LM_ERROR, "java.lang.IllegalArgumentException", NULL, NULL,
                             "%s is not a recognised statistic", stats[st]);
                return NULL;
            }
            aggs[na++] = lm_cast(e, "string");
        }
    /* one global aggregate row holding every statistic */
    lm_df *agg = NULL;
    if (na > 0) {
        agg = dfapi_grouped_aggv(lm_df_group_by(df, NULL), na, aggs);
    } else {
        agg = lm_df_agg(df, lm_alias(lm_lit_int(0), "x"), NULL);
    }
    free(aggs);
    lm_rows *rows = NULL;
    if (agg == NULL || lm_df_collect(agg, &rows) != LM_OK) {
        lm_df_free(agg);
        return NULL;
    }
    /* transpose into nstats rows of summary + one string per column */
    lm_strbuf ddl;
    lm_strbuf_init(&ddl);
    lm_strbuf_puts(&ddl, "summary STRING");
    for (int c = 0; c < nc; c++) {
        lm_strbuf_puts(&ddl, ", `");
        for (const char *p = df->schema->fields[idx[c]].name; *p; p++) {
            if (*p == '`')
                lm_strbuf_putc(&ddl, '`');
            lm_strbuf_putc(&ddl, *p);
        }
        lm_strbuf_puts(&ddl, "` STRING");
    }
    int w = nc + 1;
    lm_column **cells = calloc((size_t)(nstats * w) + 1, sizeof *cells);
    lm_df *out = NULL;
    if (cells && lm_strbuf_ok(&ddl)) {
        for (int st = 0; st < nstats; st++) {
            cells[st * w] = lm_lit_string(stats[st]);
            for (int c = 0; c < nc; c++) {
                int k = st * nc + c;
                char *v =
                    lm_rows_is_null(rows, 0, k) ? NULL : lm_rows_render(rows, 0, k, LM_RENDER_HIVE);
                cells[st * w + 1 + c] = lm_lit_string(v);
                free(v);
            }
        }
        out = lm_create_dataframe(s, lm_strbuf_cstr(&ddl), nstats, w, cells);
    } else {
        lm_error_oom(&s->error);
    }
    free(cells);
    lm_strbuf_free(&ddl);
    lm_rows_free(rows);
    lm_df_free(agg);
    return out;
}

static int collect_strings(va_list ap, const char **out, int max)
{
    int n = 0;
    const char *c;
    while ((c = va_arg(ap, const char *)) != NULL)
        if (n < max)
            out[n++] = c;
    return n;
}

lm_df *lm_df_describe(lm_df *df, ...)
{
    static const char *const stats[] = {"count", "mean", "stddev", "min", "max"};
    const char *cols[256];
    va_list ap;
    va_start(ap, df);
    int n = collect_strings(ap, cols, 256);
    va_end(ap);
    return summarize(df, 5, stats, n, cols);
}

lm_df *lm_df_summary(lm_df *df, ...)
{
    static const char *const dflt[] = {"count", "mean", "stddev", "min",
                                       "25%",   "50%",  "75%",    "max"};
    const char *stats[MAX_STATS];
    va_list ap;
    va_start(ap, df);
    int n = collect_strings(ap, stats, MAX_STATS);
    va_end(ap);
    if (n == 0)
        return summarize(df, 8, dflt, 0, NULL);
    return summarize(df, n, stats, 0, NULL);
}
