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
    lm_arena_init(&df->arena, 4096);
    df->result = t;
    df->schema = lm_type_ref(t->schema);
    return df;
}

void lm_df_free(lm_df *df)
{
    if (df == NULL)
        return;
    lm_table_unref(df->result);
    lm_type_unref(df->schema);
    lm_arena_free(&df->arena);
    free(df);
}

lm_status lm_df_compute(lm_df *df)
{
    if (df->result)
        return LM_OK;
    lm_error_clear(&df->session->error);
    lm_exec x = {0};
    x.session = df->session;
    x.err = &df->session->error;
    x.arena = &df->arena;
    return lm_exec_plan(&x, df->plan, &df->result);
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

lm_status lm_df_collect(lm_df *df, lm_rows **out)
{
    lm_status st = lm_df_compute(df);
    if (st != LM_OK)
        return st;
    lm_rows *r = calloc(1, sizeof *r);
    if (r == NULL)
        return lm_error_oom(&df->session->error);
    lm_arena_init(&r->arena, 64 * 1024);
    r->table = lm_table_ref(df->result);
    r->ncols = df->result->schema->nfields;
    r->n = df->result->nrows;
    r->tz = df->session->tz;
    r->rows = calloc((size_t)(r->n + 1), sizeof *r->rows);
    int64_t k = 0;
    for (int b = 0; r->rows && b < r->table->nbatches; b++)
        for (int32_t i = 0; i < r->table->batches[b]->nrows; i++) {
            lm_value *row = lm_arena_alloc(&r->arena, sizeof *row * (size_t)(r->ncols + 1));
            if (row == NULL || !lm_batch_get_row(r->table->batches[b], i, row, &r->arena)) {
                lm_rows_free(r);
                return lm_error_oom(&df->session->error);
            }
            r->rows[k++] = row;
        }
    if (r->rows == NULL) {
        lm_rows_free(r);
        return lm_error_oom(&df->session->error);
    }
    *out = r;
    return LM_OK;
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
