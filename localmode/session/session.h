/*
 * The session: configuration, catalog and the last error. Internal view of
 * the opaque lm_session handle.
 */
#ifndef LM_SESSION_SESSION_H
#define LM_SESSION_SESSION_H

#include <stdbool.h>

#include "localmode.h"
#include "catalog/catalog.h"
#include "common/error.h"
#include "common/memcap.h"
#include "sql/parser.h"

struct lm_tz;
struct rdd_ctx;

struct lm_session {
    lm_conf *conf;
    lm_conf *initial_conf; /* as opened, for RESET */
    lm_catalog catalog;
    lm_error error;
    int64_t next_df_id;
    int64_t next_ml_uid; /* ML stage uids (ml/stage.c), deterministic per session */
    /* cached, re-read whenever the conf changes */
    bool ansi;
    bool case_sensitive;
    int shuffle_partitions;
    const struct lm_tz *tz;
    char *tz_name;
    /* RDD scheduler state (rdd/), created on first RDD use */
    struct rdd_ctx *rdd;
    /* engine memory cap (spark.driver.memory, read at open as Spark reads
       it at launch) that sorts and aggregations reserve against and spill
       beyond (common/memcap.h, exec/spill.h) */
    lm_memcap memcap;
    /* execution observer (exec/exec.h), borrowed; NULL when none */
    const struct lm_exec_hook *exec_hook;
};

/* RESET key (NULL: every key) back to the value the session opened with. */
lm_status lm_session_conf_reset(lm_session *s, const char *key);
/* Releases the RDD state (defined in rdd/context.c). */
void rdd_ctx_free(struct rdd_ctx *c);

/* Re-derives the cached settings after a conf change. */
lm_status session_refresh_conf(lm_session *s);
struct lm_parse_options;
/* The parser options the session's conf selects. */
struct lm_parse_options session_parse_options(const lm_session *s);
/* Reads a boolean conf with a default. */
bool session_conf_bool(const lm_session *s, const char *key, bool dflt);

#endif
