/*
 * DataFrames in and out of ML stages. A stage collects its input
 * (ml_frame), finds its columns with Spark's schema checks and messages,
 * and writes its output as the input's rows plus new columns (ml_out),
 * wrapped in a DataFrame over a resolved LocalRelation so that the
 * DataFrame API can keep transforming it.
 */
#include <stdlib.h>
#include <string.h>

#include "api/dfapi.h"
#include "catalog/catalog.h"
#include "ml/ml.h"
#include "session/session.h"

lm_status ml_frame_load(lm_df *df, ml_frame *f)
{
    memset(f, 0, sizeof *f);
    f->s = df->session;
    lm_status st = lm_df_collect(df, &f->rows);
    if (st != LM_OK)
        return st;
    f->schema = f->rows->table->schema;
    f->n = f->rows->n;
    f->ncols = f->rows->ncols;
    return LM_OK;
}

void ml_frame_free(ml_frame *f)
{
    lm_rows_free(f->rows);
    f->rows = NULL;
}

const lm_value *ml_frame_cell(const ml_frame *f, int64_t r, int c)
{
    return &f->rows->rows[r][c];
}

const lm_type *ml_frame_type(const ml_frame *f, int c)
{
    return f->schema->fields[c].type;
}

/* StructType.apply's message for a missing field (Spark 3.5). */
int ml_frame_col(const ml_frame *f, const char *name)
{
    for (int i = 0; i < f->ncols; i++)
        if (strcmp(f->schema->fields[i].name, name) == 0)
            return i;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; i < f->ncols; i++) {
        if (i)
            lm_strbuf_puts(&sb, ", ");
        lm_strbuf_puts(&sb, f->schema->fields[i].name);
    }
    ml_fail(f->s, ML_EXC_IAE, "%s does not exist. Available: %s", name, lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return -1;
}

/* SchemaUtils.checkColumnType's message. */
static int type_error(const ml_frame *f, int c, const char *want)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_catalog_string(&sb, ml_frame_type(f, c));
    ml_fail(f->s, ML_EXC_IAE,
            "requirement failed: Column %s must be of type %s but was actually %s.",
            f->schema->fields[c].name, want, lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return -1;
}

int ml_frame_col_numeric(const ml_frame *f, const char *name)
{
    int c = ml_frame_col(f, name);
    if (c >= 0 && !lm_type_is_numeric(ml_frame_type(f, c)))
        return type_error(f, c, "numeric");
    return c;
}

int ml_frame_col_vector(const ml_frame *f, const char *name)
{
    int c = ml_frame_col(f, name);
    if (c >= 0 && !ml_is_vector_type(ml_frame_type(f, c)))
        return type_error(f, c,
                          "struct<type:tinyint,size:int,indices:array<int>,values:array<double>>");
    return c;
}

bool ml_cell_double(const lm_type *t, const lm_value *v, double *out)
{
    if (v->is_null)
        return false;
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
        *out = v->u.b ? 1.0 : 0.0;
        return true;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
        *out = (double)v->u.i64;
        return true;
    case LM_TYPE_FLOAT:
        *out = (double)v->u.f32;
        return true;
    case LM_TYPE_DOUBLE:
        *out = v->u.f64;
        return true;
    case LM_TYPE_DECIMAL: {
        double x = (double)v->u.dec;
        for (int i = 0; i < t->scale; i++)
            x /= 10.0;
        *out = x;
        return true;
    }
    default:
        return false;
    }
}

/* ---------------------------------------------------------------- output */

lm_status ml_out_begin(ml_out *o, const ml_frame *f, int nnew, const char *const *names,
                       lm_type *const *types)
{
    memset(o, 0, sizeof *o);
    o->s = f->s;
    for (int j = 0; j < nnew; j++)
        for (int i = 0; i < f->ncols; i++)
            if (strcmp(f->schema->fields[i].name, names[j]) == 0)
                return ml_fail(f->s, ML_EXC_IAE,
                               "requirement failed: Output column %s already exists.", names[j]);
    int n = f->ncols + nnew;
    lm_field *fs = calloc((size_t)n + 1, sizeof *fs);
    if (fs == NULL)
        return lm_error_oom(&f->s->error);
    for (int i = 0; i < f->ncols; i++)
        fs[i] = f->schema->fields[i];
    for (int j = 0; j < nnew; j++) {
        fs[f->ncols + j].name = (char *)names[j];
        fs[f->ncols + j].type = types[j];
        fs[f->ncols + j].nullable = true;
    }
    lm_type *st = lm_type_struct(fs, n);
    free(fs);
    o->t = st ? lm_table_new(st) : NULL;
    lm_type_unref(st);
    o->row = calloc((size_t)n + 1, sizeof *o->row);
    if (o->t == NULL || o->row == NULL) {
        ml_out_abort(o);
        return lm_error_oom(&f->s->error);
    }
    o->nin = f->ncols;
    o->nnew = nnew;
    lm_arena_init(&o->scratch, 4096);
    return LM_OK;
}

lm_status ml_out_row(ml_out *o, const ml_frame *f, int64_t r, const lm_value *newv)
{
    if (f != NULL)
        memcpy(o->row, f->rows->rows[r], sizeof *o->row * (size_t)o->nin);
    for (int j = 0; j < o->nnew; j++)
        o->row[o->nin + j] = newv[j];
    lm_status st = lm_table_append_row(o->t, o->row);
    lm_arena_free(&o->scratch);
    return st == LM_OK ? LM_OK : lm_error_oom(&o->s->error);
}

void ml_out_abort(ml_out *o)
{
    lm_table_unref(o->t);
    free(o->row);
    lm_arena_free(&o->scratch);
    memset(o, 0, sizeof *o);
}

lm_df *ml_out_finish(ml_out *o)
{
    lm_table *t = o->t;
    lm_session *s = o->s;
    o->t = NULL;
    ml_out_abort(o);
    return ml_df_from_table(s, t);
}

/* The resolved RELATION node createDataFrame builds (api/create.c), here
   over the stage's output rows. */
lm_df *ml_df_from_table(lm_session *s, lm_table *t)
{
    lm_df *df = dfapi_df_new(s);
    if (df == NULL) {
        lm_table_unref(t);
        lm_error_oom(&s->error);
        return NULL;
    }
    lm_plan *p = dfapi_plan_new(df, LM_PLAN_RELATION);
    char ***q = p ? lm_arena_calloc(&df->arena, (size_t)t->schema->nfields + 1, sizeof *q) : NULL;
    if (q == NULL || !lm_arena_on_free(&df->arena, (void (*)(void *))lm_table_unref, t)) {
        lm_table_unref(t);
        lm_error_oom(&s->error);
        lm_df_free(df);
        return NULL;
    }
    p->resolved = true;
    p->table = t;
    p->schema = t->schema;
    p->qualifiers = q;
    p->name = lm_arena_strdup(&df->arena, "LocalRelation");
    return dfapi_df_finish_resolved(df, p, p);
}

const lm_type *ml_df_schema(const lm_df *df)
{
    return df->schema;
}

/* The output table's schema was built by ml_out_begin and is not shared
   yet, so its field can take the metadata in place. */
lm_status ml_out_set_metadata(ml_out *o, int col, const char *json)
{
    lm_field *f = &o->t->schema->fields[col];
    char *md = json ? strdup(json) : NULL;
    if (json && md == NULL)
        return lm_error_oom(&o->s->error);
    free(f->metadata);
    f->metadata = md;
    return LM_OK;
}
