/*
 * DataFrameNaFunctions: na.drop, na.fill and na.replace, built as Spark
 * builds them from column expressions (DataFrameNaFunctions.scala):
 *  - drop keeps rows with at least N non-null, non-NaN values among the
 *    chosen columns (Spark's AtLeastNNonNulls), N = all columns for "any",
 *    1 for "all", or thresh;
 *  - fill replaces NULL (and NaN, for float/double) by the value cast to
 *    the column's type: coalesce(nanvl(c, NULL), value) AS c (nanvl written
 *    as CASE WHEN isnan(c) THEN NULL ELSE c END), for the
 *    columns whose type matches the value (numeric for numbers, string for
 *    strings, boolean for booleans);
 *  - replace maps values with CASE c WHEN from THEN to ... ELSE c END AS c
 *    on columns of the matching type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/dfapi.h"
#include "session/session.h"

/* Quoted name so dots in column names do not read as struct fields. */
static lm_column *colq(const char *name)
{
    size_t n = strlen(name);
    char *q = malloc(2 * n + 3);
    if (q == NULL)
        return NULL;
    size_t o = 0;
    q[o++] = '`';
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '`')
            q[o++] = '`';
        q[o++] = name[i];
    }
    q[o++] = '`';
    q[o] = '\0';
    lm_column *c = lm_col(q);
    free(q);
    return c;
}

static bool in_subset(const lm_df *df, const char *name, int n, const char *const *subset)
{
    if (subset == NULL || n == 0)
        return true;
    for (int i = 0; i < n; i++)
        if (df->session->case_sensitive ? strcmp(subset[i], name) == 0
                                        : strcasecmp(subset[i], name) == 0)
            return true;
    return false;
}

/* Spark fails a subset name that is not a column. */
static bool check_subset(lm_df *df, int n, const char *const *subset)
{
    for (int i = 0; i < n; i++)
        if (dfapi_find_column(df, subset[i]) < 0) {
            lm_session *s = df->session;
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            for (int c = 0; c < df->schema->nfields; c++)
                lm_strbuf_printf(&sb, "%s%s", c ? ", " : "", df->schema->fields[c].name);
            lm_error_set(&s->error, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1201", NULL,
                         "Cannot resolve column name \"%s\" among (%s).", subset[i],
                         lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            return false;
        }
    return true;
}

static bool is_fractional(const lm_type *t)
{
    return t->id == LM_TYPE_FLOAT || t->id == LM_TYPE_DOUBLE;
}

lm_df *lm_df_na_drop(lm_df *df, const char *how, int thresh, int nsubset, const char *const *subset)
{
    if (df == NULL || df->plan == NULL || !check_subset(df, nsubset, subset))
        return NULL;
    bool all = how && strcasecmp(how, "all") == 0;
    if (how && !all && strcasecmp(how, "any") != 0) {
        lm_error_set(&df->session->error, LM_ERROR, "java.lang.IllegalArgumentException", NULL,
                     NULL, "how (%s) must be 'any' or 'all'", how);
        return NULL;
    }
    /* count of usable values: sum of (CASE WHEN ok(c) THEN 1 ELSE 0 END) */
    lm_column *count = NULL;
    int ncols = 0;
    for (int i = 0; i < df->schema->nfields; i++) {
        const lm_field *f = &df->schema->fields[i];
        if (!in_subset(df, f->name, nsubset, subset))
            continue;
        lm_column *ok = lm_is_not_null(colq(f->name));
        if (is_fractional(f->type))
            ok = lm_and(ok, lm_not(lm_fn("isnan", colq(f->name), NULL)));
        lm_column *one = lm_otherwise(lm_when(NULL, ok, lm_lit_int(1)), lm_lit_int(0));
        count = count ? lm_add(count, one) : one;
        ncols++;
    }
    int need = thresh >= 0 ? thresh : (all ? 1 : ncols);
    if (count == NULL) /* no columns: every row has >= 0 values */
        count = lm_lit_int(0);
    return lm_df_filter(df, lm_ge(count, lm_lit_int(need)));
}

typedef enum fill_kind { FILL_NUMERIC, FILL_STRING, FILL_BOOL } fill_kind;

/* Replaces each chosen column by make(col) AS col; other columns stay. */
static lm_df *map_columns(lm_df *df, fill_kind kind, int nsubset, const char *const *subset,
                          lm_column *(*make)(const lm_field *f, const void *arg), const void *arg)
{
    if (df == NULL || df->plan == NULL || !check_subset(df, nsubset, subset))
        return NULL;
    int n = df->schema->nfields;
    lm_column **cols = calloc((size_t)n + 1, sizeof *cols);
    if (cols == NULL) {
        lm_error_oom(&df->session->error);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        const lm_field *f = &df->schema->fields[i];
        bool match = kind == FILL_NUMERIC  ? lm_type_is_numeric(f->type)
                     : kind == FILL_STRING ? f->type->id == LM_TYPE_STRING
                                           : f->type->id == LM_TYPE_BOOLEAN;
        if (match && in_subset(df, f->name, nsubset, subset))
            cols[i] = lm_alias(make(f, arg), f->name);
        else
            cols[i] = colq(f->name);
    }
    lm_df *d = lm_df_selectv(df, n, cols);
    free(cols);
    return d;
}

static lm_column *type_cast(lm_column *c, const lm_type *t)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_catalog_string(&sb, t);
    lm_column *r = lm_cast(c, lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return r;
}

/* coalesce(nanvl(c, NULL) for float/double, value cast to c's type) */
static lm_column *fill_with(const lm_field *f, lm_column *value)
{
    lm_column *c = colq(f->name);
    if (is_fractional(f->type)) /* nanvl(c, NULL), which the registry lacks */
        c = lm_otherwise(lm_when(NULL, lm_fn("isnan", colq(f->name), NULL), lm_lit_null()), c);
    return lm_fn("coalesce", c, type_cast(value, f->type), NULL);
}

static lm_column *fill_double(const lm_field *f, const void *arg)
{
    return fill_with(f, lm_lit_double(*(const double *)arg));
}

static lm_column *fill_long(const lm_field *f, const void *arg)
{
    return fill_with(f, lm_lit_long(*(const int64_t *)arg));
}

static lm_column *fill_string(const lm_field *f, const void *arg)
{
    return fill_with(f, lm_lit_string(arg));
}

static lm_column *fill_bool(const lm_field *f, const void *arg)
{
    return fill_with(f, lm_lit_bool(*(const bool *)arg));
}

lm_df *lm_df_na_fill_double(lm_df *df, double v, int nsubset, const char *const *subset)
{
    return map_columns(df, FILL_NUMERIC, nsubset, subset, fill_double, &v);
}

lm_df *lm_df_na_fill_long(lm_df *df, int64_t v, int nsubset, const char *const *subset)
{
    return map_columns(df, FILL_NUMERIC, nsubset, subset, fill_long, &v);
}

lm_df *lm_df_na_fill_string(lm_df *df, const char *v, int nsubset, const char *const *subset)
{
    return map_columns(df, FILL_STRING, nsubset, subset, fill_string, v ? v : "");
}

lm_df *lm_df_na_fill_bool(lm_df *df, bool v, int nsubset, const char *const *subset)
{
    return map_columns(df, FILL_BOOL, nsubset, subset, fill_bool, &v);
}

typedef struct replace_args {
    int n;
    const char *const *sfrom, *const *sto;
    const double *dfrom, *dto;
} replace_args;

/* CASE c WHEN from1 THEN to1 ... ELSE c END, the targets cast to c's type
   (Spark's CaseKeyWhen over the replacement map). */
static lm_column *replace_with(const lm_field *f, const void *arg)
{
    const replace_args *ra = arg;
    lm_column *c = NULL;
    for (int i = 0; i < ra->n; i++) {
        lm_column *from = ra->sfrom ? lm_lit_string(ra->sfrom[i]) : lm_lit_double(ra->dfrom[i]);
        lm_column *to = ra->sfrom ? lm_lit_string(ra->sto[i]) : lm_lit_double(ra->dto[i]);
        lm_column *cond = from && ((ra->sfrom && ra->sfrom[i] == NULL))
                              ? lm_is_null(colq(f->name))
                              : lm_eq(colq(f->name), from);
        if (ra->sfrom && ra->sfrom[i] == NULL)
            lm_column_free(from);
        c = lm_when(c, cond, type_cast(to, f->type));
    }
    return c ? lm_otherwise(c, colq(f->name)) : colq(f->name);
}

lm_df *lm_df_na_replace_string(lm_df *df, int n, const char *const *from, const char *const *to,
                               int nsubset, const char *const *subset)
{
    replace_args ra = {n, from, to, NULL, NULL};
    return map_columns(df, FILL_STRING, nsubset, subset, replace_with, &ra);
}

lm_df *lm_df_na_replace_double(lm_df *df, int n, const double *from, const double *to, int nsubset,
                               const char *const *subset)
{
    replace_args ra = {n, NULL, NULL, from, to};
    return map_columns(df, FILL_NUMERIC, nsubset, subset, replace_with, &ra);
}
