/*
 * spark.sql.legacy.ctePrecedencePolicy. Spark 3.5 resolves a CTE name to
 * the innermost definition (CORRECTED) but, by default (EXCEPTION), refuses
 * queries where a WITH at the start of a CTE body or of a subquery redefines
 * a name of an enclosing WITH, since Spark 2 resolved those the other way.
 * LEGACY resolves such names to the outer definition.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"

typedef struct name_list {
    int n;
    const char *names[64];
} name_list;

static lm_status check_plan(lm_analyzer *an, const lm_plan *p, const name_list *outer,
                            bool start);

static lm_status check_expr(lm_analyzer *an, const lm_expr *e, const name_list *outer)
{
    if (e == NULL)
        return LM_OK;
    if (e->subquery && check_plan(an, e->subquery, outer, true) != LM_OK)
        return LM_ERROR;
    for (int i = 0; i < e->nargs; i++)
        if (check_expr(an, e->args[i], outer) != LM_OK)
            return LM_ERROR;
    return check_expr(an, e->filter, outer);
}

static lm_status check_exprs(lm_analyzer *an, lm_expr **es, int n, const name_list *outer)
{
    for (int i = 0; i < n; i++)
        if (check_expr(an, es[i], outer) != LM_OK)
            return LM_ERROR;
    return LM_OK;
}

static lm_status check_plan(lm_analyzer *an, const lm_plan *p, const name_list *outer,
                            bool start)
{
    if (p == NULL || p->resolved)
        return LM_OK;
    if (p->kind == LM_PLAN_WITH) {
        name_list names = *outer;
        for (int i = 0; i < p->nctes; i++) {
            const lm_cte *c = &p->ctes[i];
            if (start) {
                for (int k = 0; k < outer->n; k++) {
                    if (strcasecmp(outer->names[k], c->name) == 0) {
                        char q[300];
                        snprintf(q, sizeof q, "`%s`", c->name);
                        lm_error_set(an->err, LM_ERROR, LM_EXC_ANALYSIS,
                                     "AMBIGUOUS_ALIAS_IN_NESTED_CTE", NULL,
                                     "[AMBIGUOUS_ALIAS_IN_NESTED_CTE] Name %s is ambiguous in "
                                     "nested CTE. Please set \"spark.sql.legacy."
                                     "ctePrecedencePolicy\" to \"CORRECTED\" so that name defined "
                                     "in inner CTE takes precedence.",
                                     q);
                        lm_error_param_add(an->err, "config",
                                           "\"spark.sql.legacy.ctePrecedencePolicy\"");
                        lm_error_param_add(an->err, "docroot", "https://spark.apache.org/docs/latest");
                        lm_error_param_add(an->err, "name", q);
                        return LM_ERROR;
                    }
                }
            }
            if (check_plan(an, c->plan, &names, true) != LM_OK)
                return LM_ERROR;
            if (names.n < 64)
                names.names[names.n++] = c->name;
        }
        return check_plan(an, p->child, &names, false);
    }
    if (check_exprs(an, p->exprs, p->nexprs, outer) != LM_OK ||
        check_exprs(an, p->group_by, p->ngroup, outer) != LM_OK ||
        check_expr(an, p->cond, outer) != LM_OK)
        return LM_ERROR;
    if (check_plan(an, p->child, outer, false) != LM_OK)
        return LM_ERROR;
    return check_plan(an, p->right, outer, false);
}

lm_status an_check_cte_policy(lm_analyzer *an, const lm_plan *query)
{
    const char *policy = lm_conf_get(an->s->conf, "spark.sql.legacy.ctePrecedencePolicy");
    if (policy != NULL && strcasecmp(policy, "EXCEPTION") != 0)
        return LM_OK;
    name_list none = {0, {0}};
    return check_plan(an, query, &none, true);
}
