/*
 * Lambda functions of higher-order functions (transform(a, x -> x + 1)).
 * Parameters get variable slots numbered by nesting depth, so an inner
 * lambda never overwrites the variables of the lambda it is nested in,
 * and sibling lambdas reuse the same slots.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"

#define LAMBDA_SLOTS 16

lm_status lm_resolve_lambda(lm_resolve_ctx *rc, lm_expr *lambda, int nparams,
                            lm_type *const *param_types, lm_expr **out, lm_error *err)
{
    lm_analyzer *an = rc->an;
    int n = lambda->nparts;
    if (n < 1 || n > nparams) {
        char exp[16], act[16];
        snprintf(exp, sizeof exp, "%d", nparams);
        snprintf(act, sizeof act, "%d", n);
        lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS,
                     "INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH", "42K0D",
                     "[INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH] Invalid lambda function "
                     "call. A higher order function expects %d arguments, but got %d.",
                     nparams, n);
        lm_error_param_add(err, "expectedNumArgs", exp);
        lm_error_param_add(err, "actualNumArgs", act);
        lm_error_set_context(err, lambda->start, lambda->stop);
        return LM_ERROR;
    }
    for (int i = 0; i < n; i++)
        for (int k = i + 1; k < n; k++)
            if (strcasecmp(lambda->parts[i], lambda->parts[k]) == 0) {
                lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS,
                             "INVALID_LAMBDA_FUNCTION_CALL.DUPLICATE_ARG_NAMES", "42K0D",
                             "[INVALID_LAMBDA_FUNCTION_CALL.DUPLICATE_ARG_NAMES] Invalid lambda "
                             "function call. The lambda function has duplicate arguments.");
                lm_error_set_context(err, lambda->start, lambda->stop);
                return LM_ERROR;
            }
    int first = an->lambdas ? an->lambdas->first_slot + an->lambdas->nparams : 0;
    if (first + n > LAMBDA_SLOTS) {
        lm_error_set(err, LM_EUNSUPPORTED, LM_EXC_ANALYSIS, "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                     "[UNSUPPORTED_FEATURE.LOCALMODE] Lambda functions nested this deeply are not "
                     "supported (at most %d variables in scope).", LAMBDA_SLOTS);
        return LM_EUNSUPPORTED;
    }
    lm_type **types = lm_arena_alloc(an->a, sizeof *types * (size_t)n);
    if (types == NULL)
        return lm_error_oom(err);
    for (int i = 0; i < n; i++)
        types[i] = param_types[i];
    an_lambda_frame frame = {n, lambda->parts, types, first, an->lambdas};
    an->lambdas = &frame;
    lm_expr *body = an_resolve_expr(an, an->cur_scope, lambda->args[0]);
    an->lambdas = frame.up;
    if (body == NULL)
        return err->status ? err->status : LM_ERROR;
    lm_expr *r = lm_arena_alloc(an->a, sizeof *r);
    lm_expr **args = lm_arena_alloc(an->a, sizeof *args);
    if (r == NULL || args == NULL)
        return lm_error_oom(err);
    *r = *lambda;
    args[0] = body;
    r->args = args;
    r->nargs = 1;
    r->ordinal = first;
    r->type = body->type;
    r->nullable = body->nullable;
    r->resolved = true;
    *out = r;
    return LM_OK;
}
