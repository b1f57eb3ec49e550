/*
 * Lambda functions of higher-order functions (transform, filter,
 * aggregate, ...), bound the way Spark's ResolveLambdaVariables binds
 * them: the higher-order function's resolver checks its other arguments
 * first, then asks for each lambda to be resolved with the parameter types
 * it derives from them. Each parameter gets a slot in
 * lm_eval_ctx.lambda_vars numbered by nesting depth, so a lambda nested in
 * another's body never shares a slot with an enclosing one, while sibling
 * lambdas reuse the same slots. Variables inside a body resolve through
 * the frames pushed here (resolve_expr.c, resolve_lambda_var).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis/analyzer_int.h"

/* lm_eval_ctx.lambda_vars holds this many variables */
#define MAX_LAMBDA_SLOTS 16

static bool same_name(const lm_analyzer *an, const char *a, const char *b)
{
    return an->s->case_sensitive ? strcmp(a, b) == 0 : strcasecmp(a, b) == 0;
}

static lm_status num_args_mismatch(lm_analyzer *an, const lm_expr *lambda, int expected)
{
    char e[16], a[16];
    snprintf(e, sizeof e, "%d", expected);
    snprintf(a, sizeof a, "%d", lambda->nparts);
    an_error(an, lambda->start, lambda->stop, "INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH",
             "42K0D",
             "Invalid lambda function call. A higher order function expects %d arguments, but "
             "got %d.",
             expected, lambda->nparts);
    lm_error_param_add(an->err, "expectedNumArgs", e);
    lm_error_param_add(an->err, "actualNumArgs", a);
    return LM_ERROR;
}

static lm_status duplicate_args(lm_analyzer *an, const lm_expr *lambda)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; i < lambda->nparts; i++)
        lm_strbuf_printf(&sb, "%s`%s`", i ? ", " : "", lambda->parts[i]);
    an_error(an, lambda->start, lambda->stop, "INVALID_LAMBDA_FUNCTION_CALL.DUPLICATE_ARG_NAMES",
             "42K0D",
             "Invalid lambda function call. The lambda function has duplicate arguments %s. "
             "Please, consider to rename the argument names or set \"spark.sql.caseSensitive\" "
             "to \"true\".",
             lm_strbuf_cstr(&sb));
    lm_error_param_add(an->err, "args", lm_strbuf_cstr(&sb));
    lm_error_param_add(an->err, "caseSensitiveConfig", "\"spark.sql.caseSensitive\"");
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

lm_status lm_resolve_lambda(lm_resolve_ctx *rc, lm_expr *lambda, int nparams,
                            lm_type *const *param_types, const bool *param_nullable,
                            lm_expr **out, lm_error *err)
{
    lm_analyzer *an = rc->an;
    *out = NULL;
    if (an == NULL)
        return lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "INTERNAL_ERROR", "XX000",
                            "a lambda function was resolved outside the analyzer");
    if (lambda->kind == LM_EXPR_LAMBDA && lambda->resolved) {
        *out = lambda;
        return LM_OK;
    }
    bool hidden = lambda->kind != LM_EXPR_LAMBDA;
    if (!hidden) {
        if (lambda->nparts != nparams)
            return num_args_mismatch(an, lambda, nparams);
        for (int i = 0; i < nparams; i++)
            for (int j = i + 1; j < nparams; j++)
                if (same_name(an, lambda->parts[i], lambda->parts[j]))
                    return duplicate_args(an, lambda);
    }
    int first = an->lambdas ? an->lambdas->first_slot + an->lambdas->nparams : 0;
    if (first + nparams > MAX_LAMBDA_SLOTS)
        return an_error(an, lambda->start, lambda->stop, "UNSUPPORTED_FEATURE.LOCALMODE", "0A000",
                        "localmode supports at most %d nested lambda variables.",
                        MAX_LAMBDA_SLOTS);
    char **names = an_alloc(an, sizeof(char *) * (size_t)(nparams + 1));
    lm_type **types = an_alloc(an, sizeof(lm_type *) * (size_t)(nparams + 1));
    bool *nullable = an_alloc(an, sizeof(bool) * (size_t)(nparams + 1));
    lm_expr *r = an_new_expr(an, LM_EXPR_LAMBDA);
    lm_expr **args = an_alloc(an, sizeof *args);
    if (names == NULL || types == NULL || nullable == NULL || r == NULL || args == NULL)
        return LM_ENOMEM;
    for (int i = 0; i < nparams; i++) {
        /* Spark names the hidden parameters col0, col1, ... */
        names[i] = hidden ? lm_arena_printf(an->a, "col%d", i) : lambda->parts[i];
        types[i] = param_types[i];
        nullable[i] = param_nullable ? param_nullable[i] : true;
        if (names[i] == NULL)
            return lm_error_oom(err);
    }
    an_lambda_frame frame = {nparams, names, types, nullable, first, an->lambdas};
    lm_expr *body;
    if (hidden) {
        body = lambda;
    } else {
        an->lambdas = &frame;
        body = an_resolve_expr(an, an->cur_scope, lambda->args[0]);
        an->lambdas = frame.up;
        if (body == NULL)
            return err->status != LM_OK ? err->status : LM_ERROR;
    }
    args[0] = body;
    r->start = lambda->start;
    r->stop = lambda->stop;
    r->nparts = nparams;
    r->parts = names;
    r->nargs = 1;
    r->args = args;
    r->ordinal = frame.first_slot;
    r->type = body->type;
    r->nullable = body->nullable;
    r->resolved = true;
    *out = r;
    return LM_OK;
}
