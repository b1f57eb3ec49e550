/*
 * Collection functions over arrays, maps and structs.
 */
#include <stdio.h>
#include <string.h>

#include "functions/families.h"
#include "functions/fn_util.h"

lm_status fn_concat_arrays(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                           lm_value *out);
lm_status fn_reverse_array(lm_eval_ctx *ec, const lm_value *in, lm_value *out);

/* concat(array, ...): NULL when any input is NULL. */
lm_status fn_concat_arrays(lm_eval_ctx *ec, const lm_expr *call, const lm_value *args,
                           lm_value *out)
{
    int32_t n = 0;
    for (int i = 0; i < call->nargs; i++)
        n += args[i].u.arr->n;
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    int32_t k = 0;
    for (int i = 0; i < call->nargs; i++)
        for (int32_t j = 0; j < args[i].u.arr->n; j++)
            e[k++] = args[i].u.arr->elems[j];
    return fn_out_array(ec, out, e, n);
}

lm_status fn_reverse_array(lm_eval_ctx *ec, const lm_value *in, lm_value *out)
{
    int32_t n = in->u.arr->n;
    lm_value *e = fn_values(ec, (size_t)n);
    if (e == NULL)
        return LM_ENOMEM;
    for (int32_t i = 0; i < n; i++)
        e[i] = in->u.arr->elems[n - 1 - i];
    return fn_out_array(ec, out, e, n);
}

const lm_func_table lm_funcs_collection = {NULL, 0};
