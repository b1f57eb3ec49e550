/*
 * Initialisers for Param tables (ml_param_def): one line per Param, so a
 * kind's table reads like the Param list in Spark's documentation.
 */
#ifndef LM_ML_PARAMS_H
#define LM_ML_PARAMS_H

#include "ml/ml.h"
#include "session/session.h"

#define P_STR(n, d)                                                                                \
    {                                                                                              \
        .name = (n), .type = ML_P_STRING, .has_default = true, .dstr = (d)                         \
    }
#define P_STR_NODEF(n)                                                                             \
    {                                                                                              \
        .name = (n), .type = ML_P_STRING                                                           \
    }
#define P_CHOICE(n, d, c)                                                                          \
    {                                                                                              \
        .name = (n), .type = ML_P_STRING, .has_default = true, .dstr = (d), .choices = (c)         \
    }
#define P_BOOL(n, d)                                                                               \
    {                                                                                              \
        .name = (n), .type = ML_P_BOOL, .has_default = true, .dnum = (d)                           \
    }
#define P_INT(n, d, r, l, h)                                                                       \
    {                                                                                              \
        .name = (n), .type = ML_P_INT, .has_default = true, .dnum = (d), .range = (r), .lo = (l),  \
        .hi = (h)                                                                                  \
    }
#define P_DBL(n, d, r, l, h)                                                                       \
    {                                                                                              \
        .name = (n), .type = ML_P_DOUBLE, .has_default = true, .dnum = (d), .range = (r),          \
        .lo = (l), .hi = (h)                                                                       \
    }
#define P_DBL_NODEF(n, r, l, h)                                                                    \
    {                                                                                              \
        .name = (n), .type = ML_P_DOUBLE, .range = (r), .lo = (l), .hi = (h)                       \
    }
#define P_STRS(n)                                                                                  \
    {                                                                                              \
        .name = (n), .type = ML_P_STRINGS                                                          \
    }
#define P_DBLS(n)                                                                                  \
    {                                                                                              \
        .name = (n), .type = ML_P_DOUBLES                                                          \
    }
#define P_DBLS_R(n, r, l, h)                                                                       \
    {                                                                                              \
        .name = (n), .type = ML_P_DOUBLES, .range = (r), .lo = (l), .hi = (h)                      \
    }
#define P_STAGE(n)                                                                                 \
    {                                                                                              \
        .name = (n), .type = ML_P_STAGE                                                            \
    }
#define P_STAGES(n)                                                                                \
    {                                                                                              \
        .name = (n), .type = ML_P_STAGES                                                           \
    }
#define P_GRID(n)                                                                                  \
    {                                                                                              \
        .name = (n), .type = ML_P_GRID                                                             \
    }

#define NPARAMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Shared choice lists. */
#define HANDLE_INVALID_3 "error|skip|keep"

#endif
