/*
 * GroupedData (Spark's RelationalGroupedDataset): groupBy / rollup / cube
 * / pivot followed by agg, count, sum, avg, min, max. The aggregate plan
 * has the shape the SQL parser gives GROUP BY (plan.h): AGGREGATE with the
 * keys in group_by and, for ROLLUP and CUBE, the expanded grouping sets;
 * the output list is the keys followed by the aggregates, as Spark's
 * spark.sql.retainGroupColumns does.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "api/dfapi.h"
#include "session/session.h"

#define MAX_ARGS 256

static int collect_columns(va_list ap, lm_column **out)
{
    int n = 0;
    lm_column *c;
    while ((c = va_arg(ap, lm_column *)) != NULL) {
        if (n < MAX_ARGS)
            out[n++] = c;
        else
            lm_column_free(c);
    }
    return n;
}

void lm_grouped_free(lm_grouped *g)
{
    if (g == NULL)
        return;
    for (int i = 0; i < g->nkeys; i++)
        lm_column_free(g->keys[i]);
    free(g->keys);
    lm_column_free(g->pivot_col);
    for (int i = 0; i < g->npivot_values; i++)
        lm_column_free(g->pivot_values[i]);
    free(g->pivot_values);
    lm_df_free(g->df);
    free(g);
}

static lm_grouped *grouped_new(lm_df *df, lm_grouping_kind kind, int n, lm_column **keys)
{
    lm_grouped *g = df ? calloc(1, sizeof *g) : NULL;
    lm_column **k = g ? calloc((size_t)n + 1, sizeof *k) : NULL;
    if (k == NULL) {
        free(g);
        for (int i = 0; i < n; i++)
            lm_column_free(keys[i]);
        if (df)
            lm_error_oom(&df->session->error);
        return NULL;
    }
    g->df = df;
    df->refcount++;
    g->kind = kind;
    g->keys = k;
    g->nkeys = n;
    if (n > 0)
        memcpy(k, keys, sizeof *k * (size_t)n);
    return g;
}

lm_grouped *lm_df_group_by(lm_df *df, ...)
{
    lm_column *keys[MAX_ARGS];
    va_list ap;
    va_start(ap, df);
    int n = collect_columns(ap, keys);
    va_end(ap);
    return grouped_new(df, LM_GROUPING_PLAIN, n, keys);
}

lm_grouped *lm_df_rollup(lm_df *df, ...)
{
    lm_column *keys[MAX_ARGS];
    va_list ap;
    va_start(ap, df);
    int n = collect_columns(ap, keys);
    va_end(ap);
    return grouped_new(df, LM_GROUPING_ROLLUP, n, keys);
}

lm_grouped *lm_df_cube(lm_df *df, ...)
{
    lm_column *keys[MAX_ARGS];
    va_list ap;
    va_start(ap, df);
    int n = collect_columns(ap, keys);
    va_end(ap);
    return grouped_new(df, LM_GROUPING_CUBE, n, keys);
}

lm_grouped *lm_grouped_pivot(lm_grouped *g, const char *column, ...)
{
    lm_column *vals[MAX_ARGS];
    va_list ap;
    va_start(ap, column);
    int n = collect_columns(ap, vals);
    va_end(ap);
    lm_column **v = g ? calloc((size_t)n + 1, sizeof *v) : NULL;
    lm_column *pc = v ? lm_col(column) : NULL;
    if (pc == NULL) {
        free(v);
        for (int i = 0; i < n; i++)
            lm_column_free(vals[i]);
        lm_grouped_free(g);
        return NULL;
    }
    memcpy(v, vals, sizeof *v * (size_t)n);
    lm_column_free(g->pivot_col);
    g->pivot_col = pc;
    g->pivot_values = v;
    g->npivot_values = n;
    return g;
}

/*
 * Grouping sets of ROLLUP (k1..kn): the prefixes, longest first; of CUBE:
 * every subset, in Spark's order (cube(a, b) = (a,b), (a), (b), ()).
 * Set i is stored as indexes into the key list.
 */
static bool grouping_sets(lm_arena *a, lm_grouping_kind kind, int n, lm_expr **keys, lm_plan *u)
{
    int nsets = kind == LM_GROUPING_ROLLUP ? n + 1 : 1 << n;
    u->sets = lm_arena_calloc(a, (size_t)nsets + 1, sizeof *u->sets);
    u->set_sizes = lm_arena_calloc(a, (size_t)nsets + 1, sizeof *u->set_sizes);
    if (u->sets == NULL || u->set_sizes == NULL)
        return false;
    for (int s = 0; s < nsets; s++) {
        lm_expr **set = lm_arena_calloc(a, (size_t)n + 1, sizeof *set);
        if (set == NULL)
            return false;
        int m = 0;
        for (int k = 0; k < n; k++) {
            bool in = kind == LM_GROUPING_ROLLUP ? k < n - s
                                                 /* bit (n-1-k) clear keeps key k */
                                                 : !((unsigned)s & (1u << (n - 1 - k)));
            if (in)
                set[m++] = keys[k];
        }
        u->sets[s] = set;
        u->set_sizes[s] = m;
    }
    u->nsets = nsets;
    return true;
}

/* Consumes g and the aggregate columns; builds and analyses the plan. */
static lm_df *aggregate(lm_grouped *g, int n, lm_column **aggs)
{
    if (g == NULL) {
        for (int i = 0; i < n; i++)
            lm_column_free(aggs[i]);
        return NULL;
    }
    lm_df *parent = g->df;
    lm_session *s = parent->session;
    lm_df *d = parent->plan ? dfapi_df_new(s) : NULL;
    if (parent->plan == NULL)
        lm_error_set(&s->error, LM_EUNSUPPORTED, LM_EXC_UNSUPPORTED,
                     "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                     "[UNSUPPORTED_FEATURE.LOCALMODE] command output cannot be grouped.");
    lm_status st = d ? dfapi_df_add_parent(d, parent) : LM_ERROR;
    lm_error_clear(&s->error);
    int nk = g->nkeys;
    for (int i = 0; i < nk && st == LM_OK; i++)
        st = dfapi_column_check(s, g->keys[i]);
    for (int i = 0; i < n && st == LM_OK; i++)
        st = dfapi_column_check(s, aggs[i]);
    if (st == LM_OK && g->pivot_col)
        st = dfapi_column_check(s, g->pivot_col);
    for (int i = 0; i < g->npivot_values && st == LM_OK; i++)
        st = dfapi_column_check(s, g->pivot_values[i]);
    if (st != LM_OK) {
        for (int i = 0; i < n; i++)
            lm_column_free(aggs[i]);
        lm_grouped_free(g);
        lm_df_free(d);
        return NULL;
    }
    lm_arena *a = &d->arena;
    lm_expr **keys = lm_arena_calloc(a, (size_t)nk + 1, sizeof *keys);
    lm_expr **out = lm_arena_calloc(a, (size_t)(nk + n) + 1, sizeof *out);
    lm_expr **pv = lm_arena_calloc(a, (size_t)g->npivot_values + 1, sizeof *pv);
    lm_plan *u = dfapi_plan_new(d, g->pivot_col ? LM_PLAN_PIVOT : LM_PLAN_AGGREGATE);
    st = keys && out && pv && u ? LM_OK : lm_error_oom(&s->error);
    const lm_plan *in = parent->plan;
    lm_grouping_kind kind = g->kind;
    int npv = g->npivot_values;
    lm_expr *pcx = g->pivot_col ? g->pivot_col->expr : NULL;
    if (st == LM_OK) {
        /* the expressions stay where they are; the handles move into d */
        for (int i = 0; i < nk; i++)
            keys[i] = out[i] = g->keys[i]->expr;
        for (int i = 0; i < n; i++)
            out[nk + i] = aggs[i]->expr;
        for (int i = 0; i < npv; i++)
            pv[i] = g->pivot_values[i]->expr;
        st = dfapi_df_own(d, nk, g->keys);
        g->nkeys = 0;
        if (st == LM_OK)
            st = dfapi_df_own(d, n, aggs);
        else
            for (int i = 0; i < n; i++)
                lm_column_free(aggs[i]);
        if (st == LM_OK && g->pivot_col)
            st = dfapi_df_own(d, 1, &g->pivot_col);
        g->pivot_col = NULL;
        if (st == LM_OK)
            st = dfapi_df_own(d, npv, g->pivot_values);
        g->npivot_values = 0;
    } else {
        for (int i = 0; i < n; i++)
            lm_column_free(aggs[i]);
    }
    if (st != LM_OK) {
        lm_grouped_free(g);
        lm_df_free(d);
        return NULL;
    }
    for (int i = 0; i < nk + n; i++)
        if ((out[i] = dfapi_bind_df_columns(a, out[i], in, NULL)) == NULL)
            st = lm_error_oom(&s->error);
    for (int i = 0; i < nk; i++)
        keys[i] = out[i];
    lm_grouped_free(g);
    u->child = (lm_plan *)in;
    u->group_by = keys;
    u->ngroup = nk;
    u->grouping = kind;
    if (kind == LM_GROUPING_ROLLUP || kind == LM_GROUPING_CUBE) {
        if (!grouping_sets(a, kind, nk, keys, u)) {
            lm_error_oom(&s->error);
            lm_df_free(d);
            return NULL;
        }
    }
    if (u->kind == LM_PLAN_PIVOT) {
        /* PIVOT as the parser builds it, plus the explicit group keys */
        lm_expr **pcs = lm_arena_calloc(a, 2, sizeof *pcs);
        if (pcs == NULL || st != LM_OK) {
            lm_error_oom(&s->error);
            lm_df_free(d);
            return NULL;
        }
        pcs[0] = pcx;
        u->pivot_cols = pcs;
        u->npivot_cols = 1;
        u->pivot_values = pv;
        u->npivot_values = npv;
        u->exprs = out + nk;
        u->nexprs = n;
    } else {
        u->exprs = out;
        u->nexprs = nk + n;
    }
    return dfapi_df_finish(d, u);
}

lm_df *lm_grouped_agg(lm_grouped *g, ...)
{
    lm_column *aggs[MAX_ARGS];
    va_list ap;
    va_start(ap, g);
    int n = collect_columns(ap, aggs);
    va_end(ap);
    return aggregate(g, n, aggs);
}

/* count(): Spark names it `count` (Alias(count(1), "count")). */
lm_df *lm_grouped_count(lm_grouped *g)
{
    lm_column *c = lm_alias(lm_fn("count", lm_lit_int(1), NULL), "count");
    return aggregate(g, 1, &c);
}

/*
 * sum/avg/min/max over named columns, or over every numeric column when
 * none is named (Spark's aggregateNumericColumns, which also checks that
 * named columns are numeric).
 */
static lm_df *numeric_agg(lm_grouped *g, const char *fn, va_list ap)
{
    const char *names[MAX_ARGS];
    int n = 0;
    const char *c;
    while ((c = va_arg(ap, const char *)) != NULL)
        if (n < MAX_ARGS)
            names[n++] = c;
    if (g == NULL)
        return NULL;
    lm_column *aggs[MAX_ARGS];
    int na = 0;
    const lm_type *st = g->df->schema;
    lm_session *s = g->df->session;
    if (n == 0) {
        for (int i = 0; i < st->nfields && na < MAX_ARGS; i++)
            if (lm_type_is_numeric(st->fields[i].type)) {
                char *q = malloc(strlen(st->fields[i].name) + 3);
                if (q == NULL)
                    continue;
                /* quote: the name may contain dots */
                strcpy(q, "`");
                strcat(q, st->fields[i].name);
                strcat(q, "`");
                aggs[na++] = lm_fn(fn, lm_col(q), NULL);
                free(q);
            }
    } else {
        for (int i = 0; i < n; i++) {
            int k = dfapi_find_column(g->df, names[i]);
            /* a missing name fails in analysis (UNRESOLVED_COLUMN) */
            if (k >= 0 && !lm_type_is_numeric(st->fields[k].type)) {
                for (int j = 0; j < na; j++)
                    lm_column_free(aggs[j]);
                lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1306", NULL,
                             "\"%s\" is not a numeric column. Aggregation function can only be "
                             "applied on a numeric column.",
                             names[i]);
                lm_grouped_free(g);
                return NULL;
            }
            aggs[na++] = lm_fn(fn, lm_col(names[i]), NULL);
        }
    }
    return aggregate(g, na, aggs);
}

lm_df *lm_grouped_sum(lm_grouped *g, ...)
{
    va_list ap;
    va_start(ap, g);
    lm_df *d = numeric_agg(g, "sum", ap);
    va_end(ap);
    return d;
}

lm_df *lm_grouped_avg(lm_grouped *g, ...)
{
    va_list ap;
    va_start(ap, g);
    lm_df *d = numeric_agg(g, "avg", ap);
    va_end(ap);
    return d;
}

lm_df *lm_grouped_min(lm_grouped *g, ...)
{
    va_list ap;
    va_start(ap, g);
    lm_df *d = numeric_agg(g, "min", ap);
    va_end(ap);
    return d;
}

lm_df *lm_grouped_max(lm_grouped *g, ...)
{
    va_list ap;
    va_start(ap, g);
    lm_df *d = numeric_agg(g, "max", ap);
    va_end(ap);
    return d;
}

lm_df *lm_df_agg(lm_df *df, ...)
{
    lm_column *aggs[MAX_ARGS];
    va_list ap;
    va_start(ap, df);
    int n = collect_columns(ap, aggs);
    va_end(ap);
    return aggregate(grouped_new(df, LM_GROUPING_PLAIN, 0, NULL), n, aggs);
}

lm_df *dfapi_grouped_aggv(lm_grouped *g, int n, lm_column **aggs)
{
    return aggregate(g, n, aggs);
}
