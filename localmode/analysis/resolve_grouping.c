/*
 * Grouping sets (ROLLUP, CUBE, GROUPING SETS), as Spark's
 * ResolveGroupingAnalytics rewrites them: the aggregate's child becomes an
 * EXPAND that emits every input row once per grouping set, with the keys
 * a set leaves out replaced by NULL and a grouping id appended (bit
 * n-1-i set when key i is left out). The AGGREGATE then groups by the
 * expanded keys plus that id, so a NULL produced by a set is never
 * confused with a NULL in the data.
 *
 *   EXPAND output: child columns ++ keys ++ spark_grouping_id
 *                  [++ _gen_grouping_pos when a set repeats]
 *
 * grouping(col), grouping_id(cols...) and the grouping__id column read
 * that id; outside grouping sets they fail with
 * UNSUPPORTED_GROUPING_EXPRESSION.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"

bool an_is_grouping_call(const lm_expr *e)
{
    return e->kind == LM_EXPR_CALL && e->fn &&
           (strcmp(e->fn->name, "grouping") == 0 || strcmp(e->fn->name, "grouping_id") == 0);
}

bool an_contains_grouping_call(const lm_expr *e)
{
    if (e == NULL)
        return false;
    if (an_is_grouping_call(e))
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (an_contains_grouping_call(e->args[i]))
            return true;
    return false;
}

static bool key_in_set(uint64_t mask, int nkeys, int i)
{
    return ((mask >> (nkeys - 1 - i)) & 1) == 0;
}

uint64_t an_grouping_mask(const int *idx, int n, int nkeys)
{
    uint64_t mask = nkeys == 64 ? ~(uint64_t)0 : (((uint64_t)1 << nkeys) - 1);
    for (int i = 0; i < n; i++)
        mask &= ~((uint64_t)1 << (nkeys - 1 - idx[i]));
    return mask;
}

bool an_grouping_has_duplicates(const uint64_t *masks, int nsets)
{
    for (int i = 0; i < nsets; i++)
        for (int j = 0; j < i; j++)
            if (masks[i] == masks[j])
                return true;
    return false;
}

bool an_grouping_key_nullable(const uint64_t *masks, int nsets, int nkeys, int i)
{
    for (int s = 0; s < nsets; s++)
        if (!key_in_set(masks[s], nkeys, i))
            return true;
    return false;
}

lm_plan *an_build_expand(lm_analyzer *an, lm_plan *child, lm_expr **keys, int nkeys,
                         const uint64_t *masks, int nsets)
{
    if (nkeys > 64) {
        an_error(an, -1, -1, "GROUPING_SIZE_LIMIT_EXCEEDED", "54000",
                 "Grouping sets size cannot be greater than 64.");
        lm_error_param_add(an->err, "maxSize", "64");
        return NULL;
    }
    bool dup = an_grouping_has_duplicates(masks, nsets);
    int nin = lm_plan_ncols(child);
    int width = nin + nkeys + 1 + (dup ? 1 : 0);
    lm_plan *p = an_new_plan(an, LM_PLAN_EXPAND);
    lm_expand_info *info = an_alloc(an, sizeof *info);
    lm_expr ***proj = an_alloc(an, sizeof(lm_expr **) * (size_t)(nsets + 1));
    const char **nm = an_alloc(an, sizeof(char *) * (size_t)width);
    lm_type **ty = an_alloc(an, sizeof(lm_type *) * (size_t)width);
    bool *nl = an_alloc(an, sizeof(bool) * (size_t)width);
    if (p == NULL || info == NULL || proj == NULL || nm == NULL || ty == NULL || nl == NULL)
        return NULL;
    for (int c = 0; c < nin; c++) {
        nm[c] = child->schema->fields[c].name;
        ty[c] = child->schema->fields[c].type;
        nl[c] = child->schema->fields[c].nullable;
    }
    for (int k = 0; k < nkeys; k++) {
        nm[nin + k] = an_output_name(an, keys[k]);
        ty[nin + k] = keys[k]->type;
        nl[nin + k] = keys[k]->nullable || an_grouping_key_nullable(masks, nsets, nkeys, k);
    }
    nm[nin + nkeys] = "spark_grouping_id";
    ty[nin + nkeys] = lm_type_long();
    nl[nin + nkeys] = false;
    if (dup) {
        nm[width - 1] = "_gen_grouping_pos";
        ty[width - 1] = lm_type_int();
        nl[width - 1] = false;
    }
    for (int s = 0; s < nsets; s++) {
        lm_expr **row = an_alloc(an, sizeof(lm_expr *) * (size_t)width);
        if (row == NULL)
            return NULL;
        for (int c = 0; c < nin; c++)
            if ((row[c] = an_bound(an, c, nm[c], ty[c], nl[c])) == NULL)
                return NULL;
        for (int k = 0; k < nkeys; k++) {
            row[nin + k] = key_in_set(masks[s], nkeys, k)
                               ? keys[k]
                               : an_literal(an, keys[k]->type, lm_value_null());
            if (row[nin + k] == NULL)
                return NULL;
        }
        if ((row[nin + nkeys] = an_literal(an, lm_type_long(), lm_value_i64((int64_t)masks[s]))) ==
            NULL)
            return NULL;
        if (dup && (row[width - 1] = an_literal(an, lm_type_int(), lm_value_i64(s))) == NULL)
            return NULL;
        proj[s] = row;
    }
    info->nprojections = nsets;
    info->width = width;
    info->projections = proj;
    p->aux = info;
    p->child = child;
    return an_set_output(an, p, width, nm, ty, nl, NULL) ? p : NULL;
}

lm_status an_unsupported_grouping(lm_analyzer *an, const lm_expr *e)
{
    an_error(an, e->start, e->stop, "UNSUPPORTED_GROUPING_EXPRESSION", NULL,
             "grouping()/grouping_id() can only be used with GroupingSets/Cube/Rollup.");
    return LM_ERROR;
}

static int key_index(lm_expr **keys, int nkeys, const lm_expr *e)
{
    for (int k = 0; k < nkeys; k++)
        if (an_expr_equal(keys[k], e))
            return k;
    return -1;
}

/*
 * grouping(col) -> bit (n-1-i) of the grouping id, as a tinyint;
 * grouping_id(c1, ...) -> the grouping id itself, allowed only when the
 * columns are exactly the GROUP BY keys in order (or none are given).
 * The rewritten call keeps its arguments (as key references, for the
 * printed name) and reads the id from its last argument; aux holds the
 * shift of grouping().
 */
lm_expr *an_rewrite_grouping(lm_analyzer *an, const lm_expr *e, lm_expr **keys, int nkeys,
                             int gid_ordinal)
{
    if (gid_ordinal < 0) {
        an_unsupported_grouping(an, e);
        return NULL;
    }
    lm_expr *c = an_alloc(an, sizeof *c);
    lm_expr **args = an_alloc(an, sizeof(lm_expr *) * (size_t)(e->nargs + 2));
    if (c == NULL || args == NULL)
        return NULL;
    *c = *e;
    bool is_grouping = strcmp(e->fn->name, "grouping") == 0;
    for (int i = 0; i < e->nargs; i++) {
        int k = key_index(keys, nkeys, e->args[i]);
        if (k < 0 || (!is_grouping && k != i)) {
            char *s = lm_coerce_quote_sql(&an->rc, is_grouping ? e->args[i] : e);
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            for (int j = 0; j < nkeys; j++) {
                if (j)
                    lm_strbuf_puts(&sb, ",");
                lm_expr_sql(&sb, keys[j]);
            }
            if (is_grouping) {
                an_error(an, e->start, e->stop, "GROUPING_COLUMN_MISMATCH", "42803",
                         "Column of grouping (%s) can't be found in grouping columns %s.",
                         s ? s : "", lm_strbuf_cstr(&sb));
                lm_error_param_add(an->err, "grouping", s);
                lm_error_param_add(an->err, "groupingColumns", lm_strbuf_cstr(&sb));
            } else {
                an_error(an, e->start, e->stop, "GROUPING_ID_COLUMN_MISMATCH", "42803",
                         "Columns of grouping_id (%s) does not match grouping columns (%s).",
                         s ? s : "", lm_strbuf_cstr(&sb));
                lm_error_param_add(an->err, "groupingIdColumn", s);
                lm_error_param_add(an->err, "groupByColumns", lm_strbuf_cstr(&sb));
            }
            lm_strbuf_free(&sb);
            return NULL;
        }
        args[i] = an_bound(an, k, an_output_name(an, keys[k]), keys[k]->type, true);
        if (args[i] == NULL)
            return NULL;
        if (is_grouping)
            c->aux = (void *)(intptr_t)(nkeys - 1 - k);
    }
    if (!is_grouping && e->nargs != 0 && e->nargs != nkeys) {
        an_error(an, e->start, e->stop, "GROUPING_ID_COLUMN_MISMATCH", "42803",
                 "Columns of grouping_id does not match grouping columns.");
        return NULL;
    }
    if ((args[e->nargs] = an_bound(an, gid_ordinal, "spark_grouping_id", lm_type_long(), false)) ==
        NULL)
        return NULL;
    c->args = args;
    c->nargs = e->nargs + 1;
    c->resolved = true;
    return c;
}
