/*
 * A resolved plan as a Graphviz digraph of its physical operators, stages
 * as clusters (explain_dot.c).
 */
#ifndef LM_CLI_EXPLAIN_DOT_H
#define LM_CLI_EXPLAIN_DOT_H

#include "common/strbuf.h"
#include "localmode.h"
#include "plan/plan.h"

/* Appends `digraph NAME { ... }` for plan p to sb. */
lm_status cli_plan_dot(lm_session *s, const lm_plan *p, const char *name, lm_strbuf *sb);

#endif
