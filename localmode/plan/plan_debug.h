/*
 * Debug text for unresolved (and resolved) trees: a stable, compact form
 * for tests and for people reading plans, not Spark's explain() output.
 * Each function returns a malloc'ed string the caller frees, or NULL when
 * out of memory.
 *
 * Expressions print on one line: operators infix in parentheses,
 * "(a + b)", "(- a)", "(NOT a)"; literals as value:type ("1:int",
 * "'x':string", "NULL:void"), unparsed literals as "DATE '2020-01-01'";
 * calls "f(DISTINCT a) FILTER (WHERE c) OVER (...)".
 * Plans print one node per line, children indented by two spaces;
 * subqueries inside expressions print in a one-line nested form
 * "{Project [...] <- Relation t}".
 */
#ifndef LM_PLAN_PLAN_DEBUG_H
#define LM_PLAN_PLAN_DEBUG_H

#include "common/strbuf.h"
#include "plan/plan.h"

char *lm_expr_debug_string(const lm_expr *e);
char *lm_plan_debug_string(const lm_plan *p);
char *lm_stmt_debug_string(const lm_stmt *s);
char *lm_type_debug_string(const lm_type *t);

/* Appending forms, for composing. */
void lm_expr_debug_append(lm_strbuf *sb, const lm_expr *e);
void lm_plan_debug_append(lm_strbuf *sb, const lm_plan *p, int indent);
void lm_type_debug_append(lm_strbuf *sb, const lm_type *t);

#endif
