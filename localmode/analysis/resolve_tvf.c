/*
 * Table-valued functions in FROM: range(end), range(start, end[, step[,
 * numPartitions]]) producing one BIGINT column `id`, and the generators
 * (explode, explode_outer, posexplode, posexplode_outer, inline,
 * inline_outer, stack) producing their generated columns from one row, as
 * Spark's TableFunctionRegistry builds them. A resolved range is a TVF
 * node whose aux is an lm_range_info (exec/op_range.c runs it); a generator
 * is a GENERATE over ONE_ROW that keeps no child columns.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"
#include "expr/eval.h"

static const char *const k_generators[] = {"explode",          "explode_outer", "posexplode",
                                           "posexplode_outer", "inline",        "inline_outer",
                                           "stack",            NULL};

static bool is_generator_tvf(const char *name)
{
    for (int i = 0; k_generators[i]; i++)
        if (strcasecmp(name, k_generators[i]) == 0)
            return true;
    return false;
}

static lm_status unresolvable(lm_analyzer *an, const lm_plan *u)
{
    char q[200];
    snprintf(q, sizeof q, "`%s`", u->name ? u->name : "");
    an_error(an, u->start, u->stop, "UNRESOLVABLE_TABLE_VALUED_FUNCTION", "42883",
             "Could not resolve %s to a table-valued function. Please make sure that %s is "
             "defined as a table-valued function and that all required parameters are provided "
             "correctly. If %s is not defined, please create the table-valued function before "
             "using it. For more information about defining table-valued functions, please refer "
             "to the Apache Spark documentation.",
             q, q, q);
    lm_error_param_add(an->err, "name", q);
    return LM_ERROR;
}

static lm_status range_wrong_args(lm_analyzer *an, const lm_plan *u)
{
    char actual[16];
    snprintf(actual, sizeof actual, "%d", u->nexprs);
    an_error(an, u->start, u->stop, "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "42605",
             "The `range` requires [1, 2, 3, 4] parameters but the actual number is %d. Please, "
             "refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
             u->nexprs);
    lm_error_param_add(an->err, "functionName", "`range`");
    lm_error_param_add(an->err, "expectedNum", "[1, 2, 3, 4]");
    lm_error_param_add(an->err, "actualNum", actual);
    return LM_ERROR;
}

/* A range() argument: a foldable integral expression, read as a long. */
static bool range_arg(lm_analyzer *an, const lm_plan *u, int i, an_scope *sc, int64_t *out)
{
    lm_expr *e = an_resolve_expr(an, sc, u->exprs[i]);
    if (e == NULL)
        return false;
    lm_value v;
    bool ok = lm_type_is_integral(e->type) && an_is_foldable(e);
    if (ok) {
        lm_eval_ctx ec = {0};
        ec.arena = an->a;
        ec.err = an->err;
        ec.session = an->s;
        ec.ansi = an->rc.ansi;
        if (lm_eval_constant(&ec, e, &v) != LM_OK)
            return false;
        ok = !v.is_null;
    }
    if (!ok) {
        static const char *ord[] = {"first", "second", "third", "fourth"};
        char *sqlx = lm_coerce_quote_sql(&an->rc, e);
        char *t = lm_coerce_quote_type(&an->rc, e->type);
        an_error(an, e->start, e->stop, "UNEXPECTED_INPUT_TYPE", "42K09",
                 "Parameter %s of function `range` requires the \"BIGINT\" type, however %s has "
                 "the type %s.",
                 ord[i], sqlx ? sqlx : "", t ? t : "");
        lm_error_param_add(an->err, "paramIndex", ord[i]);
        lm_error_param_add(an->err, "functionName", "`range`");
        lm_error_param_add(an->err, "requiredType", "\"BIGINT\"");
        lm_error_param_add(an->err, "inputSql", sqlx);
        lm_error_param_add(an->err, "inputType", t);
        return false;
    }
    *out = v.u.i64;
    return true;
}

static lm_plan *resolve_range(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    if (u->nexprs < 1 || u->nexprs > 4) {
        range_wrong_args(an, u);
        return NULL;
    }
    an_scope *sc = an_scope_of(an, NULL, outer);
    if (sc == NULL)
        return NULL;
    int64_t a[4] = {0, 0, 1, 0};
    for (int i = 0; i < u->nexprs; i++)
        if (!range_arg(an, u, i, sc, &a[i]))
            return NULL;
    lm_range_info *info = an_alloc(an, sizeof *info);
    lm_plan *p = an_new_plan(an, LM_PLAN_TVF);
    if (info == NULL || p == NULL)
        return NULL;
    if (u->nexprs == 1) {
        info->start = 0;
        info->end = a[0];
        info->step = 1;
    } else {
        info->start = a[0];
        info->end = a[1];
        info->step = u->nexprs >= 3 ? a[2] : 1;
    }
    if (info->step == 0) {
        lm_error_set(an->err, LM_ERROR, "java.lang.IllegalArgumentException", NULL, NULL,
                     "requirement failed: step (0) cannot be 0");
        lm_error_set_context(an->err, u->start, u->stop);
        return NULL;
    }
    p->name = "range";
    p->aux = info;
    p->start = u->start;
    p->stop = u->stop;
    const char *nm[1] = {"id"};
    lm_type *ty[1] = {lm_type_long()};
    bool nl[1] = {false};
    return an_set_output(an, p, 1, nm, ty, nl, NULL) ? p : NULL;
}

/* FROM explode(...) and friends: the generator over a single empty row. */
static lm_plan *resolve_generator_tvf(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    lm_expr *call = an_new_expr(an, LM_EXPR_CALL);
    lm_plan *one = an_new_plan(an, LM_PLAN_ONE_ROW);
    if (call == NULL || one == NULL || !an_set_output(an, one, 0, NULL, NULL, NULL, NULL))
        return NULL;
    call->name = u->name;
    call->nargs = u->nexprs;
    call->args = u->exprs;
    call->start = u->start;
    call->stop = u->stop;
    an_scope *sc = an_scope_of(an, NULL, outer);
    lm_expr *gen = sc ? an_resolve_expr(an, sc, call) : NULL;
    if (gen == NULL)
        return NULL;
    return an_make_generate(an, one, gen, false, false, NULL, 0, NULL, u->start, u->stop);
}

lm_plan *an_resolve_tvf(lm_analyzer *an, lm_plan *u, an_scope *outer)
{
    const char *name = u->name ? u->name : "";
    if (u->nparts <= 1 && strcasecmp(name, "range") == 0)
        return resolve_range(an, u, outer);
    if (u->nparts <= 1 && is_generator_tvf(name))
        return resolve_generator_tvf(an, u, outer);
    unresolvable(an, u);
    return NULL;
}
