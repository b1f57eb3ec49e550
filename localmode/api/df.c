/*
 * DataFrame actions of the public API: collect, count, show and schema
 * text. A DataFrame computes its rows once and keeps them, as a cached
 * Dataset would; plans are immutable so reuse is safe.
 */
#include "df.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "exec/exec.h"
#include "exec/subq_cache.h"
#include "functions/families.h"
#include "render/render.h"
#include "session/session.h"

lm_df *lm_df_from_table(lm_session *s, lm_table *t)
{
    lm_df *df = calloc(1, sizeof *df);
    if (df == NULL) {
        lm_table_unref(t);
        return NULL;
    }
    df->session = s;
    df->refcount = 1;
    lm_arena_init(&df->arena, 4096);
    df->result = t;
    df->schema = lm_type_ref(t->schema);
    return df;
}

/* Drops one reference; the last one releases the plan arena, the consumed
   column handles and the references to the parents. */
void lm_df_free(lm_df *df)
{
    if (df == NULL || --df->refcount > 0)
        return;
    lm_table_unref(df->result);
    lm_type_unref(df->schema);
    lm_arena_free(&df->arena);
    for (int i = 0; i < df->nowned; i++)
        lm_column_free(df->owned[i]);
    free(df->owned);
    for (int i = 0; i < df->nparents; i++)
        lm_df_free(df->parents[i]);
    free(df);
}

/*
 * The executor's cache hook: a plan node that is the plan of a persisted
 * ancestor runs once, when first needed, and its rows are reused after
 * that (Spark's CacheManager matches plans; derived DataFrames here share
 * the very nodes, so pointer identity is the match).
 */
static lm_status cached_lookup(void *ctx, const lm_plan *p, lm_table **out)
{
    lm_df *df = ctx;
    *out = NULL;
    for (int i = 0; i < df->nparents; i++) {
        lm_df *a = df->parents[i];
        if (a->persisted && a->plan == p) {
            lm_status st = lm_df_compute(a);
            if (st == LM_OK)
                *out = a->result;
            return st;
        }
        lm_status st = cached_lookup(a, p, out);
        if (st != LM_OK || *out)
            return st;
    }
    return LM_OK;
}

static bool has_persisted_ancestor(const lm_df *df)
{
    for (int i = 0; i < df->nparents; i++)
        if (df->parents[i]->persisted || has_persisted_ancestor(df->parents[i]))
            return true;
    return false;
}

/* Computations in progress on this thread: a persisted ancestor is
   computed inside its descendant's execution. */
static _Thread_local int t_computing;

lm_status lm_df_compute(lm_df *df)
{
    if (df->result)
        return LM_OK;
    lm_error_clear(&df->session->error);
    lm_exec x = {0};
    x.session = df->session;
    x.err = &df->session->error;
    x.arena = &df->arena;
    if (has_persisted_ancestor(df)) {
        x.cached = cached_lookup;
        x.cached_ctx = df;
    }
    /* every query starts the seeded generators (rand, shuffle, uuid ...)
       afresh, as each Spark job's tasks do; an execution nested in this
       one keeps them going */
    if (t_computing++ == 0)
        lm_func_partition_begin(0);
    x.subq = exec_subq_cache_new();
    lm_status st = x.subq ? lm_exec_plan(&x, df->plan, &df->result) : lm_error_oom(x.err);
    exec_subq_cache_free(x.subq);
    t_computing--;
    /* a persisted result is kept: encode its strings once, as CACHE TABLE
       does (the result is computed only once) */
    if (st == LM_OK && df->persisted)
        lm_table_encode_strings(df->result);
    return st;
}

int lm_df_num_columns(const lm_df *df)
{
    return df->schema->nfields;
}

const char *lm_df_column_name(const lm_df *df, int i)
{
    return i >= 0 && i < df->schema->nfields ? df->schema->fields[i].name : NULL;
}

char *lm_df_schema_string(const lm_df *df)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_catalog_string(&sb, df->schema);
    return lm_strbuf_detach(&sb);
}

char *lm_df_tree_string(const lm_df *df)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_tree_string(&sb, df->schema);
    return lm_strbuf_detach(&sb);
}

bool lm_df_is_sorted(const lm_df *df)
{
    return df->plan ? lm_plan_is_sorted(df->plan) : df->sorted;
}

lm_status lm_df_count(lm_df *df, int64_t *out)
{
    lm_status st = lm_df_compute(df);
    if (st == LM_OK)
        *out = df->result->nrows;
    return st;
}

lm_status lm_rows_from_table(lm_session *s, lm_table *t, int64_t from, int64_t to,
                             lm_rows **out)
{
    if (to > t->nrows)
        to = t->nrows;
    if (from < 0)
        from = 0;
    if (from > to)
        from = to;
    lm_rows *r = calloc(1, sizeof *r);
    if (r == NULL)
        return lm_error_oom(&s->error);
    lm_arena_init(&r->arena, 64 * 1024);
    r->table = lm_table_ref(t);
    r->ncols = t->schema->nfields;
    r->n = to - from;
    r->tz = s->tz;
    r->rows = calloc((size_t)(r->n + 1), sizeof *r->rows);
    if (r->rows == NULL) {
        lm_rows_free(r);
        return lm_error_oom(&s->error);
    }
    int64_t k = 0, at = 0;
    for (int b = 0; b < t->nbatches && k < r->n; b++) {
        int32_t nb = t->batches[b]->nrows;
        if (at + nb <= from) {
            at += nb;
            continue;
        }
        for (int32_t i = 0; i < nb && k < r->n; i++, at++) {
            if (at < from)
                continue;
            lm_value *row = lm_arena_alloc(&r->arena, sizeof *row * (size_t)(r->ncols + 1));
            if (row == NULL || !lm_batch_get_row(t->batches[b], i, row, &r->arena)) {
                lm_rows_free(r);
                return lm_error_oom(&s->error);
            }
            r->rows[k++] = row;
        }
    }
    *out = r;
    return LM_OK;
}

lm_status lm_df_collect(lm_df *df, lm_rows **out)
{
    lm_status st = lm_df_compute(df);
    if (st != LM_OK)
        return st;
    return lm_rows_from_table(df->session, df->result, 0, df->result->nrows, out);
}

int64_t lm_rows_count(const lm_rows *rows)
{
    return rows->n;
}

int lm_rows_num_columns(const lm_rows *rows)
{
    return rows->ncols;
}

bool lm_rows_is_null(const lm_rows *rows, int64_t row, int col)
{
    return rows->rows[row][col].is_null;
}

char *lm_rows_render(const lm_rows *rows, int64_t row, int col, lm_render_mode mode)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_render(&sb, rows->table->schema->fields[col].type, &rows->rows[row][col],
              mode == LM_RENDER_HIVE ? LM_STYLE_HIVE : LM_STYLE_SHOW, rows->tz);
    return lm_strbuf_detach(&sb);
}

void lm_rows_free(lm_rows *rows)
{
    if (rows == NULL)
        return;
    free(rows->rows);
    lm_table_unref(rows->table);
    lm_arena_free(&rows->arena);
    free(rows);
}
