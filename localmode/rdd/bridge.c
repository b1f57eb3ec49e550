/*
 * DataFrame bridges. df.rdd computes the DataFrame and slices its rows
 * (STRUCT values of the schema) as Spark's LocalTableScanExec does:
 * min(max(rows, 1), defaultParallelism) partitions. createDataFrame(rdd,
 * schema) collects the RDD into a table and wraps it in a DataFrame.
 */
#include "rdd_int.h"

#include <stdlib.h>

#include "api/df.h"
#include "catalog/catalog.h"
#include "session/session.h"
#include "vector/vector.h"

lm_rdd *lm_df_to_rdd(lm_df *df)
{
    if (df == NULL)
        return NULL;
    lm_session *s = df->session;
    rdd_ctx *ctx = rdd_ctx_get(s);
    if (ctx == NULL || lm_df_compute(df) != LM_OK)
        return NULL;
    lm_table *tb = df->result;
    int ncols = tb->schema->nfields;
    lm_arena a;
    lm_arena_init(&a, 64 * 1024);
    lm_value *rows = calloc((size_t)tb->nrows + 1, sizeof *rows);
    lm_status st = rows ? LM_OK : LM_ENOMEM;
    int64_t k = 0;
    for (int b = 0; st == LM_OK && b < tb->nbatches; b++)
        for (int32_t i = 0; st == LM_OK && i < tb->batches[b]->nrows; i++) {
            lm_struct_value *sv = lm_arena_alloc(&a, sizeof *sv);
            lm_value *f = lm_arena_alloc(&a, sizeof *f * (size_t)(ncols + 1));
            if (sv == NULL || f == NULL || !lm_batch_get_row(tb->batches[b], i, f, &a)) {
                st = LM_ENOMEM;
                break;
            }
            sv->n = ncols;
            sv->fields = f;
            rows[k] = lm_value_null();
            rows[k].is_null = false;
            rows[k].u.st = sv;
            k++;
        }
    lm_rdd *r = NULL;
    if (st == LM_OK) {
        int slices = k < 1 ? 1 : (k < ctx->default_parallelism ? (int)k
                                                               : ctx->default_parallelism);
        r = rdd_parallelize_internal(ctx, tb->schema, rows, k, slices, "rdd", __func__);
    } else {
        lm_error_oom(&s->error);
    }
    free(rows);
    lm_arena_free(&a);
    if (r == NULL)
        return NULL;
    lm_rdd *m = rdd_map_partitions_rdd(r, RDD_MP_IDENTITY, NULL, NULL, false, "rdd", __func__);
    lm_rdd_free(r);
    return m;
}

lm_df *lm_rdd_to_df(lm_rdd *r, const lm_type *schema)
{
    if (r == NULL)
        return NULL;
    lm_session *s = r->ctx->s;
    if (schema == NULL || schema->id != LM_TYPE_STRUCT || r->type->id != LM_TYPE_STRUCT ||
        schema->nfields != r->type->nfields) {
        rdd_fail(s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                 "createDataFrame needs an RDD of structs with as many fields as the schema");
        return NULL;
    }
    for (int i = 0; i < schema->nfields; i++)
        if (!lm_type_same_ignoring_nullable(schema->fields[i].type, r->type->fields[i].type)) {
            lm_strbuf a, b;
            lm_strbuf_init(&a);
            lm_strbuf_init(&b);
            lm_type_sql_string(&a, schema->fields[i].type);
            lm_type_sql_string(&b, r->type->fields[i].type);
            rdd_fail(s, LM_ERROR, "org.apache.spark.sql.AnalysisException",
                     "field %s: %s can not accept values of type %s", schema->fields[i].name,
                     lm_strbuf_cstr(&a), lm_strbuf_cstr(&b));
            lm_strbuf_free(&a);
            lm_strbuf_free(&b);
            return NULL;
        }
    lm_value_list *rows;
    if (rdd_collect_list(r, &rows) != LM_OK)
        return NULL;
    lm_table *t = lm_table_new(schema);
    lm_status st = t ? LM_OK : LM_ENOMEM;
    for (int64_t i = 0; st == LM_OK && i < rows->b.n; i++) {
        const lm_value *v = &rows->b.v[i];
        if (v->is_null) {
            st = rdd_fail(s, LM_ERROR, RDD_EXC_ILLEGAL_ARG, "a row is null");
            break;
        }
        st = lm_table_append_row(t, v->u.st->fields);
        if (st == LM_ENOMEM)
            lm_error_oom(&s->error);
    }
    lm_value_list_free(rows);
    if (st != LM_OK) {
        lm_table_unref(t);
        if (t == NULL)
            lm_error_oom(&s->error);
        return NULL;
    }
    lm_df *df = lm_df_from_table(s, t);
    if (df == NULL)
        lm_error_oom(&s->error);
    return df;
}
