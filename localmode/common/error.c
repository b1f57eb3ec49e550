/*
 * The error record: one place that owns the strings describing a failure.
 */
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

void lm_error_init(lm_error *err)
{
    memset(err, 0, sizeof *err);
    err->ctx_start = -1;
    err->ctx_stop = -1;
}

void lm_error_clear(lm_error *err)
{
    if (err == NULL)
        return;
    free(err->exception);
    free(err->error_class);
    free(err->sqlstate);
    free(err->message);
    for (int i = 0; i < err->nparams; i++) {
        free(err->params[i].name);
        free(err->params[i].value);
    }
    lm_error_init(err);
}

lm_status lm_error_vset(lm_error *err, lm_status status, const char *exception,
                        const char *error_class, const char *sqlstate,
                        const char *fmt, va_list ap)
{
    if (err == NULL)
        return status;
    lm_error_clear(err);
    err->status = status;
    err->exception = dup_or_null(exception);
    err->error_class = dup_or_null(error_class);
    err->sqlstate = dup_or_null(sqlstate);
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n >= 0) {
        err->message = malloc((size_t)n + 1);
        if (err->message != NULL)
            vsnprintf(err->message, (size_t)n + 1, fmt, ap);
    }
    return status;
}

lm_status lm_error_set(lm_error *err, lm_status status, const char *exception,
                       const char *error_class, const char *sqlstate,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lm_status st = lm_error_vset(err, status, exception, error_class, sqlstate, fmt, ap);
    va_end(ap);
    return st;
}

void lm_error_param_add(lm_error *err, const char *name, const char *value)
{
    if (err == NULL || err->nparams >= LM_ERROR_MAX_PARAMS)
        return;
    lm_error_param *p = &err->params[err->nparams];
    p->name = dup_or_null(name);
    p->value = dup_or_null(value ? value : "");
    if (p->name == NULL || p->value == NULL) {
        free(p->name);
        free(p->value);
        return;
    }
    err->nparams++;
}

void lm_error_set_context(lm_error *err, int start, int stop)
{
    if (err == NULL)
        return;
    err->ctx_start = start;
    err->ctx_stop = stop;
}

lm_status lm_error_oom(lm_error *err)
{
    return lm_error_set(err, LM_ENOMEM, "java.lang.OutOfMemoryError", NULL, NULL,
                        "out of memory");
}

void lm_error_move(lm_error *dst, lm_error *src)
{
    lm_error_clear(dst);
    *dst = *src;
    lm_error_init(src);
}
