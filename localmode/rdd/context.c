/*
 * The RDD context (SparkContext's share of the session): worker threads and
 * task attempts from the master URL, id counters, call sites; and the RDD
 * node itself: creation, references, persistence flags and introspection.
 */
#include "rdd_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fileio.h"
#include "conf/conf.h"
#include "conf/master.h"
#include "session/session.h"

lm_status rdd_fail(lm_session *s, lm_status st, const char *exc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lm_error_vset(&s->error, st, exc, NULL, NULL, fmt, ap);
    va_end(ap);
    return st;
}

/* Spark reads the master once, when the SparkContext starts; we do the
   same on the first RDD call of a session. */
static rdd_ctx *ctx_create(lm_session *s)
{
    const char *url = lm_conf_get(s->conf, "spark.master");
    if (url == NULL)
        url = "local[*]";
    lm_master m;
    lm_error e;
    lm_error_init(&e);
    if (lm_master_parse(url, NULL, &m, &e) != LM_OK) {
        lm_master_clear(&m);
        lm_error_move(&s->error, &e);
        return NULL;
    }
    if (!lm_master_is_local(&m)) {
        rdd_fail(s, LM_EUNSUPPORTED, RDD_EXC_SPARK,
                 "Master %s runs through spark-submit; the RDD API runs local masters only",
                 url);
        lm_master_clear(&m);
        return NULL;
    }
    rdd_ctx *c = calloc(1, sizeof *c);
    if (c == NULL) {
        lm_master_clear(&m);
        lm_error_oom(&s->error);
        return NULL;
    }
    c->s = s;
    c->threads = m.threads > 0 ? m.threads : 1;
    c->max_failures = m.max_failures > 0 ? m.max_failures : 1;
    lm_master_clear(&m);
    c->default_parallelism = c->threads;
    const char *dp = lm_conf_get(s->conf, "spark.default.parallelism");
    if (dp && atoi(dp) > 0)
        c->default_parallelism = atoi(dp);
    const char *su = lm_conf_get(s->conf, "spark.rdd.limit.scaleUpFactor");
    c->scale_up_factor = su ? atoi(su) : 4;
    if (c->scale_up_factor < 2)
        c->scale_up_factor = 2;
    return c;
}

rdd_ctx *rdd_ctx_get(lm_session *s)
{
    if (s->rdd == NULL)
        s->rdd = ctx_create(s);
    return s->rdd;
}

void rdd_ctx_free(rdd_ctx *c)
{
    if (c == NULL)
        return;
    free(c->call_site);
    free(c->ckpt_dir);
    lm_chaos_clear(&c->chaos);
    lm_fio_plan_free(c->io_faults);
    free(c->result_order);
    free(c);
}

int lm_rdd_default_parallelism(lm_session *s)
{
    rdd_ctx *c = rdd_ctx_get(s);
    return c ? c->default_parallelism : 1;
}

lm_status lm_rdd_set_call_site(lm_session *s, const char *site)
{
    rdd_ctx *c = rdd_ctx_get(s);
    if (c == NULL)
        return LM_ERROR;
    char *d = NULL;
    if (site && (d = strdup(site)) == NULL)
        return lm_error_oom(&s->error);
    free(c->call_site);
    c->call_site = d;
    return LM_OK;
}

char *rdd_call_site(rdd_ctx *ctx, const char *method, const char *cfunc)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "%s at %s", method, ctx->call_site ? ctx->call_site : cfunc);
    return lm_strbuf_detach(&sb);
}

/* ---------------------------------------------------------------- nodes */
lm_rdd *rdd_new(rdd_ctx *ctx, const rdd_ops *ops, const lm_type *type, int nparts,
                const char *method, const char *cfunc)
{
    lm_rdd *r = calloc(1, sizeof *r);
    if (r == NULL) {
        lm_error_oom(&ctx->s->error);
        return NULL;
    }
    r->ctx = ctx;
    r->refcount = 1;
    r->ops = ops;
    r->type = lm_type_ref((lm_type *)type);
    r->nparts = nparts;
    r->call_site = rdd_call_site(ctx, method, cfunc);
    if (r->call_site == NULL) {
        lm_type_unref(r->type);
        free(r);
        lm_error_oom(&ctx->s->error);
        return NULL;
    }
    /* Spark numbers RDDs as they are constructed, parents first. */
    r->id = ctx->next_rdd_id++;
    return r;
}

lm_status rdd_add_dep(lm_rdd *r, lm_rdd *parent, rdd_shuffle *sh)
{
    rdd_dep *d = realloc(r->deps, sizeof *d * (size_t)(r->ndeps + 1));
    if (d == NULL) {
        rdd_shuffle_free(sh);
        return lm_error_oom(&r->ctx->s->error);
    }
    r->deps = d;
    d[r->ndeps].rdd = rdd_ref(parent);
    d[r->ndeps].shuffle = sh;
    if (sh)
        sh->parent = parent;
    r->ndeps++;
    return LM_OK;
}

lm_rdd *rdd_ref(lm_rdd *r)
{
    r->refcount++;
    return r;
}

static void cache_drop(lm_rdd *r)
{
    if (r->cache == NULL)
        return;
    for (int i = 0; i < r->nparts; i++) {
        pthread_mutex_destroy(&r->cache[i].lock);
        rdd_block_free(&r->cache[i].data);
    }
    free(r->cache);
    r->cache = NULL;
}

void lm_rdd_free(lm_rdd *r)
{
    /* Iterative over single-parent chains so long lineages do not recurse
       deeply. */
    while (r != NULL) {
        if (--r->refcount > 0)
            return;
        if (r->ops->free_state)
            r->ops->free_state(r);
        cache_drop(r);
        lm_rdd *last = NULL;
        for (int i = 0; i < r->ndeps; i++) {
            rdd_shuffle_free(r->deps[i].shuffle);
            if (i == r->ndeps - 1)
                last = r->deps[i].rdd;
            else
                lm_rdd_free(r->deps[i].rdd);
        }
        free(r->deps);
        rdd_partitioner_unref(r->partitioner);
        lm_type_unref(r->type);
        free(r->name);
        free(r->call_site);
        free(r->ckpt_path);
        lm_rdd *ck = r->ckpt_rdd;
        free(r);
        lm_rdd_free(ck);
        r = last;
    }
}

int rdd_num_deps(const lm_rdd *r)
{
    return r->ckpt_rdd ? 1 : r->ndeps;
}

const rdd_dep *rdd_dep_at(const lm_rdd *r, int i)
{
    if (r->ckpt_rdd)
        return &r->ckpt_dep;
    return &r->deps[i];
}

/* --------------------------------------------------------------- types */
lm_type *rdd_pair_type(const lm_type *a, const lm_type *b)
{
    lm_field f[2] = {{(char *)"_1", (lm_type *)a, true, NULL, NULL},
                     {(char *)"_2", (lm_type *)b, true, NULL, NULL}};
    return lm_type_struct(f, 2);
}

bool rdd_is_pair_type(const lm_type *t)
{
    return t->id == LM_TYPE_STRUCT && t->nfields == 2;
}

lm_status rdd_require_pair(lm_rdd *r, const char *method)
{
    if (rdd_is_pair_type(r->type))
        return LM_OK;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_type_catalog_string(&sb, r->type);
    rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
             "%s needs a pair RDD (a struct of key and value), not %s", method,
             lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

/* -------------------------------------------------------- introspection */
int lm_rdd_num_partitions(const lm_rdd *r)
{
    return r->nparts;
}

int lm_rdd_id(const lm_rdd *r)
{
    return r->id;
}

const lm_type *lm_rdd_element_type(const lm_rdd *r)
{
    return r->type;
}

const char *lm_rdd_name(const lm_rdd *r)
{
    return r->name;
}

lm_status lm_rdd_set_name(lm_rdd *r, const char *name)
{
    char *d = NULL;
    if (name && (d = strdup(name)) == NULL)
        return lm_error_oom(&r->ctx->s->error);
    free(r->name);
    r->name = d;
    return LM_OK;
}

/* ---------------------------------------------------------- persistence */
lm_status lm_rdd_persist(lm_rdd *r, lm_storage_level level)
{
    if (r->level != LM_STORAGE_NONE && level != r->level)
        return rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_UNSUPPORTED,
                        "Cannot change storage level of an RDD after it was already "
                        "assigned a level");
    if (level == LM_STORAGE_NONE)
        return LM_OK;
    if (r->cache == NULL) {
        r->cache = calloc((size_t)(r->nparts > 0 ? r->nparts : 1), sizeof *r->cache);
        if (r->cache == NULL)
            return lm_error_oom(&r->ctx->s->error);
        for (int i = 0; i < r->nparts; i++) {
            pthread_mutex_init(&r->cache[i].lock, NULL);
            rdd_block_init(&r->cache[i].data);
        }
    }
    r->level = level;
    return LM_OK;
}

lm_status lm_rdd_cache(lm_rdd *r)
{
    return lm_rdd_persist(r, LM_STORAGE_MEMORY_ONLY);
}

lm_status lm_rdd_unpersist(lm_rdd *r)
{
    cache_drop(r);
    r->level = LM_STORAGE_NONE;
    return LM_OK;
}

lm_storage_level lm_rdd_storage_level(const lm_rdd *r)
{
    return r->level;
}
