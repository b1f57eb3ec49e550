/*
 * Results of uncorrelated subquery expressions, computed once per query.
 * Spark plans an uncorrelated scalar, IN or EXISTS subquery to run once;
 * the row evaluator would otherwise run its plan for every row, which is
 * slow and, for a subquery with rand() or uuid(), gives other values on
 * each run.
 */
#ifndef LM_EXEC_SUBQ_CACHE_H
#define LM_EXEC_SUBQ_CACHE_H

#include <stdbool.h>

#include "plan/plan.h"

typedef struct exec_subq_cache exec_subq_cache;

exec_subq_cache *exec_subq_cache_new(void);
/* Drops every cached table. */
void exec_subq_cache_free(exec_subq_cache *c);

/* Whether the subquery of e can be cached: nothing in it reads a row of
   an enclosing query (conservatively: nodes whose expressions are not all
   inspected count as reading one). */
bool exec_subq_uncorrelated(const lm_expr *e);

/* The cached result of e (a new reference), or NULL. */
lm_table *exec_subq_cache_get(exec_subq_cache *c, const lm_expr *e);
/* Keeps a reference to t as e's result; false when memory ran out (the
   result is then simply not cached). */
bool exec_subq_cache_put(exec_subq_cache *c, const lm_expr *e, lm_table *t);

#endif
