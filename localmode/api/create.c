/*
 * Where DataFrames come from besides SQL: createDataFrame over literal
 * rows (Spark's LocalRelation), spark.range, spark.table, and temp views
 * registered from a DataFrame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "analysis/coerce.h"
#include "api/dfapi.h"
#include "expr/eval.h"
#include "session/session.h"
#include "sql/parser.h"

/*
 * A resolved RELATION node over rows the API computed. `label` is the text
 * explain() prints for it ("LocalRelation", "Range (0, 10, step=1, ...)");
 * RELATION nodes of catalog tables leave name NULL.
 */
static lm_plan *relation_node(lm_df *df, lm_table *t, const char *label)
{
    lm_plan *p = dfapi_plan_new(df, LM_PLAN_RELATION);
    char ***q = p ? lm_arena_calloc(&df->arena, (size_t)t->schema->nfields + 1, sizeof *q) : NULL;
    if (q == NULL || !lm_arena_on_free(&df->arena, (void (*)(void *))lm_table_unref, t)) {
        lm_table_unref(t);
        lm_error_oom(&df->session->error);
        return NULL;
    }
    p->resolved = true;
    p->table = t;
    p->schema = t->schema;
    p->qualifiers = q;
    p->name = lm_arena_strdup(&df->arena, label);
    return p;
}

/* Evaluates CAST(cell AS t) for a literal cell. */
static lm_status cell_value(lm_session *s, lm_arena *a, lm_expr *cell, lm_type *t, lm_value *out)
{
    lm_expr *c = dfapi_expr_new(a, LM_EXPR_CAST);
    lm_expr **xs = lm_arena_alloc(a, sizeof *xs);
    if (c == NULL || xs == NULL)
        return lm_error_oom(&s->error);
    xs[0] = cell;
    c->args = xs;
    c->nargs = 1;
    c->type = t;
    c->flags = LM_CAST_IMPLICIT;
    lm_expr *r = NULL;
    lm_status st = lm_analyze_expr(s, a, NULL, c, &r, &s->error);
    if (st != LM_OK)
        return st;
    lm_eval_ctx ec = {0};
    ec.session = s;
    ec.arena = a;
    ec.err = &s->error;
    ec.tz = s->tz;
    ec.ansi = s->ansi;
    return lm_eval_constant(&ec, r, out);
}

/* Spark's default column names for tuples without a schema: _1, _2, ... */
static lm_type *infer_schema(lm_session *s, lm_arena *a, int64_t nrows, int ncols,
                             lm_column **cells, int nnames, char **names)
{
    lm_field *fs = calloc((size_t)ncols + 1, sizeof *fs);
    char(*buf)[16] = calloc((size_t)ncols + 1, sizeof *buf);
    lm_type *st = NULL;
    if (fs == NULL || buf == NULL) {
        lm_error_oom(&s->error);
        goto out;
    }
    for (int c = 0; c < ncols; c++) {
        lm_type *t = lm_type_null();
        for (int64_t r = 0; r < nrows; r++) {
            lm_expr *res = NULL;
            if (lm_analyze_expr(s, a, NULL, cells[r * ncols + c]->expr, &res, &s->error) != LM_OK)
                goto out;
            lm_type *w = lm_coerce_wider(t, res->type);
            if (w == NULL) {
                lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "CANNOT_MERGE_TYPE", "42825",
                             "[CANNOT_MERGE_TYPE] Can not merge type of column %d.", c + 1);
                goto out;
            }
            t = lm_arena_keep_type(a, w);
        }
        snprintf(buf[c], sizeof buf[c], "_%d", c + 1);
        fs[c].name = c < nnames ? names[c] : buf[c];
        fs[c].type = t;
        fs[c].nullable = true;
    }
    st = lm_type_struct(fs, ncols);
    if (st == NULL)
        lm_error_oom(&s->error);
out:
    free(fs);
    free(buf);
    return st;
}

/* Splits "a, b , c" into trimmed names in arena a. */
static int split_names(lm_arena *a, const char *text, char ***out)
{
    size_t len = strlen(text);
    char **v = lm_arena_calloc(a, len + 2, sizeof *v);
    if (v == NULL)
        return -1;
    int n = 0;
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, ',');
        if (e == NULL)
            e = p + strlen(p);
        const char *b = p, *f = e;
        while (b < f && (*b == ' ' || *b == '\t'))
            b++;
        while (f > b && (f[-1] == ' ' || f[-1] == '\t'))
            f--;
        if ((v[n++] = lm_arena_strndup(a, b, (size_t)(f - b))) == NULL)
            return -1;
        p = *e ? e + 1 : e;
    }
    *out = v;
    return n;
}

lm_df *lm_create_dataframe(lm_session *s, const char *schema, int64_t nrows, int ncols,
                           lm_column **cells)
{
    int64_t ncells = nrows * ncols;
    lm_df *df = dfapi_df_new(s);
    lm_status st = df ? LM_OK : LM_ENOMEM;
    lm_error_clear(&s->error);
    for (int64_t i = 0; i < ncells; i++)
        if (st == LM_OK)
            st = dfapi_column_check(s, cells[i]);
    if (st != LM_OK || ncells > INT32_MAX) {
        for (int64_t i = 0; i < ncells; i++)
            lm_column_free(cells[i]);
        lm_df_free(df);
        return NULL;
    }
    if (dfapi_df_own(df, (int)ncells, cells) != LM_OK) {
        lm_df_free(df);
        return NULL;
    }
    lm_arena *a = &df->arena;
    lm_type *st_type = NULL;
    lm_error perr;
    lm_error_init(&perr);
    if (schema && lm_parse_table_schema(schema, a, &st_type, &perr) == LM_OK) {
        st_type = lm_type_clone(st_type);
        if (st_type && st_type->nfields != ncols) {
            lm_error_set(&s->error, LM_ERROR, "org.apache.spark.SparkIllegalArgumentException",
                         "AXIS_LENGTH_MISMATCH", NULL,
                         "[AXIS_LENGTH_MISMATCH] Length mismatch: Expected axis has %d elements, "
                         "new values have %d elements.",
                         ncols, st_type->nfields);
            lm_type_unref(st_type);
            lm_error_clear(&perr);
            lm_df_free(df);
            return NULL;
        }
    } else {
        char **names = NULL;
        int nn = schema ? split_names(a, schema, &names) : 0;
        if (nn < 0 || (schema && nn != ncols)) {
            if (nn >= 0)
                lm_error_move(&s->error, &perr);
            else
                lm_error_oom(&s->error);
            lm_error_clear(&perr);
            lm_df_free(df);
            return NULL;
        }
        st_type = infer_schema(s, a, nrows, ncols, cells, nn, names);
    }
    lm_error_clear(&perr);
    if (st_type == NULL) {
        if (s->error.status == LM_OK)
            lm_error_oom(&s->error);
        lm_df_free(df);
        return NULL;
    }
    /* every column nullable unless the DDL said NOT NULL */
    lm_table *t = lm_table_new(st_type);
    lm_type_unref(st_type);
    lm_value *row = calloc((size_t)ncols + 1, sizeof *row);
    lm_arena scratch;
    lm_arena_init(&scratch, 4096);
    st = t && row ? LM_OK : lm_error_oom(&s->error);
    for (int64_t r = 0; r < nrows && st == LM_OK; r++) {
        for (int c = 0; c < ncols && st == LM_OK; c++)
            st = cell_value(s, &scratch, cells[r * ncols + c]->expr, t->schema->fields[c].type,
                            &row[c]);
        for (int c = 0; c < ncols && st == LM_OK; c++)
            if (row[c].is_null && !t->schema->fields[c].nullable) {
                st = lm_error_set(&s->error, LM_ERROR, LM_EXC_RUNTIME,
                                  "NOT_NULL_CONSTRAINT_VIOLATION.FIELD", NULL,
                                  "field %s: This field is not nullable, but got None.",
                                  t->schema->fields[c].name);
            }
        if (st == LM_OK && lm_table_append_row(t, row) != LM_OK)
            st = lm_error_oom(&s->error);
        lm_arena_free(&scratch);
    }
    free(row);
    lm_arena_free(&scratch);
    lm_plan *p = st == LM_OK ? relation_node(df, t, "LocalRelation") : NULL;
    if (p == NULL) {
        if (st != LM_OK)
            lm_table_unref(t);
        lm_df_free(df);
        return NULL;
    }
    lm_error_clear(&s->error);
    return dfapi_df_finish_resolved(df, p, p);
}

lm_df *dfapi_df_of_table(lm_session *s, lm_table *t, const char *label)
{
    lm_df *df = dfapi_df_new(s);
    if (df == NULL) {
        lm_table_unref(t);
        return NULL;
    }
    lm_plan *p = relation_node(df, t, label);
    if (p == NULL) {
        lm_df_free(df);
        return NULL;
    }
    return dfapi_df_finish_resolved(df, p, p);
}

/* spark.range: the rows are produced at once (Spark's Range is lazy, but
   the values depend only on the arguments). */
lm_df *lm_range(lm_session *s, int64_t start, int64_t end, int64_t step)
{
    lm_error_clear(&s->error);
    if (step == 0) {
        lm_error_set(&s->error, LM_ERROR, "java.lang.IllegalArgumentException", NULL, NULL,
                     "requirement failed: step (0) cannot be 0");
        return NULL;
    }
    lm_df *df = dfapi_df_new(s);
    if (df == NULL)
        return NULL;
    lm_field f = {"id", lm_type_long(), false, NULL, NULL};
    lm_type *st = lm_type_struct(&f, 1);
    lm_table *t = st ? lm_table_new(st) : NULL;
    lm_type_unref(st);
    lm_status rc = t ? LM_OK : LM_ENOMEM;
    for (int64_t v = start; rc == LM_OK && (step > 0 ? v < end : v > end); v += step) {
        lm_value x = lm_value_i64(v);
        rc = lm_table_append_row(t, &x);
        if ((step > 0 && v > INT64_MAX - step) || (step < 0 && v < INT64_MIN - step))
            break;
    }
    char label[160];
    snprintf(label, sizeof label, "Range (%lld, %lld, step=%lld, splits=Some(1))", (long long)start,
             (long long)end, (long long)step);
    lm_plan *p = rc == LM_OK ? relation_node(df, t, label) : NULL;
    if (p == NULL) {
        if (rc != LM_OK) {
            lm_table_unref(t);
            lm_error_oom(&s->error);
        }
        lm_df_free(df);
        return NULL;
    }
    return dfapi_df_finish_resolved(df, p, p);
}

lm_df *lm_read_table(lm_session *s, const char *name)
{
    lm_error_clear(&s->error);
    lm_df *df = dfapi_df_new(s);
    lm_plan *u = df ? dfapi_plan_new(df, LM_PLAN_UNRESOLVED_RELATION) : NULL;
    lm_expr *ref = u ? dfapi_column_ref(&df->arena, name ? name : "") : NULL;
    if (ref == NULL) {
        if (df)
            lm_error_oom(&s->error);
        lm_df_free(df);
        return NULL;
    }
    u->parts = ref->parts;
    u->nparts = ref->nparts;
    return dfapi_df_finish(df, u);
}

/* The view holds the DataFrame's rows, computed now: the catalog cannot
   keep a DataFrame's plan alive beyond its handles. */
lm_status lm_df_create_or_replace_temp_view(lm_df *df, const char *name)
{
    if (df == NULL)
        return LM_ERROR;
    lm_session *s = df->session;
    lm_status st = lm_df_compute(df);
    if (st != LM_OK)
        return st;
    lm_catalog_entry *e = lm_catalog_entry_new(NULL, name, LM_CAT_VIEW);
    if (e == NULL)
        return lm_error_oom(&s->error);
    e->temporary = true;
    /* the view outlives df, whose plan arena its result's types may point into */
    e->table = lm_table_detach(df->result);
    if (e->table == NULL) {
        lm_catalog_entry_free(e);
        return lm_error_oom(&s->error);
    }
    lm_catalog_put(&s->catalog, e);
    return LM_OK;
}
