/*
 * Scan of a file relation (a table whose rows are still in files): the
 * columns read above and the filter conditions that compare a column with
 * a constant are handed to the source, which skips what cannot matter -
 * Spark's FileSourceStrategy with its PushedFilters and ReadSchema. The
 * filter itself still runs above the scan: what a source skips is coarse
 * (files, Parquet row groups), never exact.
 */
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "functions/fn_util.h"

typedef struct scan_filters {
    lm_scan_filter *v;
    int n, cap;
} scan_filters;

static bool op_of(const char *name, bool flipped, lm_scan_op *op)
{
    static const struct {
        const char *name;
        lm_scan_op op, flipped;
    } ops[] = {
        {"=", LM_SCAN_EQ, LM_SCAN_EQ},   {"==", LM_SCAN_EQ, LM_SCAN_EQ},
        {"<", LM_SCAN_LT, LM_SCAN_GT},   {"<=", LM_SCAN_LE, LM_SCAN_GE},
        {">", LM_SCAN_GT, LM_SCAN_LT},   {">=", LM_SCAN_GE, LM_SCAN_LE},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(name, ops[i].name) == 0) {
            *op = flipped ? ops[i].flipped : ops[i].op;
            return true;
        }
    return false;
}

/* Columns whose statistics order like Spark's comparison. Floating point
   is left out: NaN sorts above every number in Spark but is not counted
   in Parquet's min/max. */
static bool pushable_type(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_DECIMAL:
    case LM_TYPE_STRING:
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
        return true;
    default:
        return false;
    }
}

static bool add(scan_filters *f, int column, lm_scan_op op, lm_value literal)
{
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 8;
        lm_scan_filter *v = realloc(f->v, sizeof *v * (size_t)cap);
        if (v == NULL)
            return false;
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n++] = (lm_scan_filter){column, op, literal};
    return true;
}

/* Collects the conjuncts of cond the source can use; the others are left
   to the filter. False only when out of memory. */
static bool collect(lm_exec *x, lm_eval_ctx *ec, const lm_type *schema, const lm_expr *e,
                    scan_filters *out)
{
    if (e->kind != LM_EXPR_CALL || e->fn == NULL || e->window)
        return true;
    const char *name = e->fn->name;
    if (strcmp(name, "and") == 0 && e->nargs == 2)
        return collect(x, ec, schema, e->args[0], out) && collect(x, ec, schema, e->args[1], out);
    if ((strcmp(name, "isnull") == 0 || strcmp(name, "isnotnull") == 0) && e->nargs == 1) {
        const lm_expr *c = e->args[0];
        if (c->kind != LM_EXPR_BOUND || c->ordinal < 0 || c->ordinal >= schema->nfields)
            return true;
        lm_value none = lm_value_null();
        return add(out, c->ordinal, name[2] == 'n' ? LM_SCAN_IS_NOT_NULL : LM_SCAN_IS_NULL, none);
    }
    if (e->nargs != 2)
        return true;
    for (int side = 0; side < 2; side++) {
        const lm_expr *c = e->args[side], *k = e->args[1 - side];
        lm_scan_op op;
        if (c->kind != LM_EXPR_BOUND || c->ordinal < 0 || c->ordinal >= schema->nfields ||
            !op_of(name, side == 1, &op) || !fn_is_foldable(k))
            continue;
        const lm_type *t = schema->fields[c->ordinal].type;
        if (!pushable_type(t) || !lm_type_equal(t, c->type) || !lm_type_equal(t, k->type))
            continue;
        lm_value v;
        if (lm_eval_constant(ec, k, &v) != LM_OK) {
            /* the filter reports the error when it evaluates the constant */
            lm_error_clear(x->err);
            continue;
        }
        return add(out, c->ordinal, op, v);
    }
    return true;
}

lm_status lm_op_scan(lm_exec *x, const lm_plan *p, const bool *need, const lm_expr *cond,
                     lm_table **out)
{
    lm_table_source *src = p->table->source;
    lm_arena scratch;
    lm_arena_init(&scratch, 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    scan_filters f = {0};
    lm_status st = LM_OK;
    if (cond && !collect(x, &ec, p->table->schema, cond, &f))
        st = lm_error_oom(x->err);
    lm_scan_request req = {need, f.v, f.n, 0, 0, 0, 0};
    if (st == LM_OK)
        st = src->scan(src, &req, out, x->err);
    x->scan_files_read += req.files_read;
    x->scan_files_skipped += req.files_skipped;
    x->scan_row_groups_read += req.row_groups_read;
    x->scan_row_groups_skipped += req.row_groups_skipped;
    free(f.v);
    lm_arena_free(&scratch);
    return st;
}
