/*
 * Spark's names for the physical operators of a resolved plan and the
 * stages Spark would split it into (plan_ops.c), shared by explain --dot,
 * --metrics and the progress bar.
 */
#ifndef LM_CLI_PLAN_OPS_H
#define LM_CLI_PLAN_OPS_H

#include <stdbool.h>

#include "common/strbuf.h"
#include "plan/plan.h"

/* "HashAggregate", "Filter", "LocalTableScan" ... */
const char *cli_op_name(const lm_plan *p);
/* The operator's arguments in short: condition, keys, columns. */
void cli_op_detail(lm_strbuf *sb, const lm_plan *p);
/* Nodes that do no work (subquery aliases): not drawn, not counted. */
bool cli_op_hidden(const lm_plan *p);
/* Whether Spark inserts an Exchange between p and its child (or right). */
bool cli_op_exchange(const lm_plan *p, bool right);

/* Every node of a plan with its stage id (0 = the first stage to run). */
typedef struct cli_stages {
    int n, cap;
    const lm_plan **nodes;
    int *stage;
    int nstages;
} cli_stages;

/* false when out of memory (S is left freeable). */
bool cli_stages_build(cli_stages *S, const lm_plan *root);
int cli_stage_of(const cli_stages *S, const lm_plan *p); /* -1 if not in the plan */
/* Operators (hidden nodes excluded) in a stage. */
int cli_stage_size(const cli_stages *S, int stage);
void cli_stages_free(cli_stages *S);

#endif
