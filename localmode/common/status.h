/*
 * Status codes shared by every layer of the engine. A function that can fail
 * returns one of these; the human-readable cause travels separately in an
 * lm_error (see error.h) so that status checks stay cheap integer compares.
 */
#ifndef LM_COMMON_STATUS_H
#define LM_COMMON_STATUS_H

typedef enum lm_status {
    LM_OK = 0,
    LM_ERROR = 1,       /* user-facing failure: parse, analysis, runtime; see lm_error */
    LM_ENOMEM = 2,      /* an allocation failed */
    LM_EIO = 3,         /* a file or OS operation failed */
    LM_EUNSUPPORTED = 4 /* valid Spark input that localmode does not implement */
} lm_status;

#endif
