/*
 * DataFrame actions beyond collect/count/show (df.c): first, head/take,
 * tail, and the schema accessors dtypes and column types.
 */
#include <stdlib.h>
#include <string.h>

#include "api/dfapi.h"
#include "session/session.h"

/* head(n) is limit(n).collect() in Spark; the rows are the first n of the
   computed result, which is what that plan yields. */
lm_status lm_df_head(lm_df *df, int n, lm_rows **out)
{
    *out = NULL;
    if (df == NULL)
        return LM_ERROR;
    lm_status st = lm_df_compute(df);
    if (st != LM_OK)
        return st;
    return lm_rows_from_table(df->session, df->result, 0, n < 0 ? 0 : n, out);
}

lm_status lm_df_first(lm_df *df, lm_rows **out)
{
    return lm_df_head(df, 1, out);
}

lm_status lm_df_tail(lm_df *df, int n, lm_rows **out)
{
    *out = NULL;
    if (df == NULL)
        return LM_ERROR;
    lm_status st = lm_df_compute(df);
    if (st != LM_OK)
        return st;
    int64_t total = df->result->nrows;
    int64_t from = n < 0 ? total : total - n;
    return lm_rows_from_table(df->session, df->result, from < 0 ? 0 : from, total, out);
}

char *lm_df_column_type(const lm_df *df, int i)
{
    if (df == NULL || i < 0 || i >= df->schema->nfields)
        return NULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_simple_string(&sb, df->schema->fields[i].type);
    return lm_strbuf_detach(&sb);
}

char *lm_df_dtypes_string(const lm_df *df)
{
    if (df == NULL)
        return NULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; i < df->schema->nfields; i++) {
        if (i)
            lm_strbuf_puts(&sb, ", ");
        lm_strbuf_printf(&sb, "%s:", df->schema->fields[i].name);
        lm_type_simple_string(&sb, df->schema->fields[i].type);
    }
    return lm_strbuf_detach(&sb);
}
