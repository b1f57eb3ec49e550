/*
 * Column metadata in the public API: the schema JSON where field metadata
 * shows (df.schema.json), one column's metadata, and Dataset.withMetadata.
 * ML stages write and read their attributes through this metadata
 * (attrs.c); these calls let a program look at it or set it, as pyspark
 * programs do with df.schema["idx"].metadata.
 */
#include <stdlib.h>
#include <string.h>

#include "api/dfapi.h"
#include "ml/ml.h"
#include "session/session.h"

char *lm_ml_schema_json(const lm_df *df)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_json(&sb, ml_df_schema(df));
    return lm_strbuf_detach(&sb);
}

static int field_index(const lm_type *st, const char *col)
{
    for (int i = 0; i < st->nfields; i++)
        if (strcmp(st->fields[i].name, col) == 0)
            return i;
    return -1;
}

char *lm_ml_column_metadata(lm_df *df, const char *col)
{
    const lm_type *st = ml_df_schema(df);
    int i = col ? field_index(st, col) : -1;
    if (i < 0) {
        /* StructType.apply's message */
        lm_strbuf names;
        lm_strbuf_init(&names);
        for (int k = 0; k < st->nfields; k++) {
            if (k)
                lm_strbuf_puts(&names, ", ");
            lm_strbuf_puts(&names, st->fields[k].name);
        }
        ml_fail(df->session, ML_EXC_IAE, "%s does not exist. Available: %s",
                col ? col : "null", lm_strbuf_cstr(&names));
        lm_strbuf_free(&names);
        return NULL;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_field_metadata_json(&sb, &st->fields[i]);
    return lm_strbuf_detach(&sb);
}

lm_df *lm_ml_with_metadata(lm_df *df, const char *col, const char *json)
{
    lm_session *s = df->session;
    lm_arena a;
    lm_arena_init(&a, 1024);
    const ml_json *m = json ? ml_json_parse(&a, json, false) : NULL;
    bool object = m != NULL && m->type == ML_J_OBJ;
    bool empty = object && m->n == 0;
    lm_arena_free(&a);
    if (!object) {
        ml_fail(s, ML_EXC_IAE, "metadata is not a JSON object: %s", json ? json : "null");
        return NULL;
    }
    ml_frame f;
    if (ml_frame_load(df, &f) != LM_OK)
        return NULL;
    lm_df *res = NULL;
    int c = ml_frame_col(&f, col ? col : "null");
    ml_out o;
    if (c >= 0 && ml_out_begin(&o, &f, 0, NULL, NULL) == LM_OK) {
        lm_status rc = ml_out_set_metadata(&o, c, empty ? NULL : json);
        for (int64_t r = 0; rc == LM_OK && r < f.n; r++)
            rc = ml_out_row(&o, &f, r, NULL);
        if (rc == LM_OK)
            res = ml_out_finish(&o);
        else
            ml_out_abort(&o);
    }
    ml_frame_free(&f);
    return res;
}
