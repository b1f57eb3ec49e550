/*
 * The job scheduler (Spark's DAGScheduler and local TaskScheduler in one).
 *
 * A job on an RDD first runs, parents first, every shuffle map stage its
 * lineage needs whose output does not exist yet, then the result stage.
 * Stage ids are given per job in Spark's order (ancestors before
 * descendants, the result stage last), so "stage 3.0" in a message is what
 * Spark would print for the same program.
 *
 * Tasks of a stage run on min(threads, tasks) pthreads pulling task
 * indices from a shared counter. Retries go in rounds: every failed task of
 * a round is retried in the next one, in partition order, with TIDs given
 * in that order before the round starts. That keeps TIDs, the failure
 * reported, and accumulator merging (partition order, after the stage)
 * independent of thread timing.
 *
 * Chaos (common/chaos.h, spark.localmode.chaos.*): with a seed, each round
 * launches its tasks in a seeded order (TIDs follow it), results and
 * accumulator updates reach the driver in that launch order, and reduce
 * partitions read map outputs in a seeded arrival order (shuffle.c). An
 * attempt the schedule fails reads its whole input, then fails.
 */
#include "rdd_int.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/fileio.h"
#include "conf/conf.h"
#include "session/session.h"

typedef struct stage_run stage_run;

/* What one task of a stage does once its iterator is open. */
typedef lm_status (*stage_body)(stage_run *sr, lm_task *t, int index, rdd_iter *it);

struct stage_run {
    rdd_ctx *ctx;
    lm_rdd *rdd;           /* the RDD whose partitions the tasks compute */
    int stage_id;
    int position;          /* of the stage in its job, for chaos decisions */
    int ntasks;
    const int *parts;      /* task index -> partition */
    stage_body body;
    /* result stages */
    rdd_task_fn fn;
    void *job_ud;
    char *slots;
    size_t slot_size;
    /* map stages */
    rdd_shuffle *shuffle;
    /* per task */
    int *attempts;
    bool *ok;
    int64_t *tid;
    lm_error *err;
    rdd_acc_update **acc;
    /* task indices in the order they succeeded (launch order per round) */
    int *done;
    int ndone;
    /* the current round */
    const int *round;
    int nround;
    atomic_int next;
};

/* A doomed attempt's input: passes elements through, then fails where
   the input ends, after the task has done all its work. */
typedef struct chaos_iter {
    rdd_iter base;
    rdd_iter *in;
} chaos_iter;

static lm_status chaos_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    chaos_iter *c = (chaos_iter *)it;
    lm_status st = c->in->next(c->in, t, out, has);
    if (st == LM_OK && !*has && !t->chaos_defer)
        return rdd_task_chaos_fire(t);
    return st;
}

static void run_attempt(stage_run *sr, int index)
{
    lm_task t;
    int part = sr->parts ? sr->parts[index] : index;
    rdd_task_init(&t, sr->ctx, sr->stage_id, part, sr->attempts[index], sr->tid[index]);
    t.position = sr->position;
    t.doomed = lm_chaos_fails(&sr->ctx->chaos, sr->stage_id, sr->position, part,
                              sr->attempts[index]);
    rdd_iter *it = NULL;
    lm_status st = rdd_iterator(sr->rdd, part, &t, &it);
    if (st == LM_OK && t.doomed) {
        chaos_iter *c = rdd_iter_new(&t, sizeof *c, chaos_next, NULL);
        if (c == NULL) {
            st = rdd_task_error(&t, LM_ENOMEM, "out of memory");
        } else {
            c->in = it;
            it = &c->base;
        }
    }
    if (st == LM_OK)
        st = sr->body(sr, &t, index, it);
    if (st == LM_OK) {
        sr->ok[index] = true;
        sr->acc[index] = t.acc;
        t.acc = NULL;
    } else {
        if (t.err.message == NULL)
            lm_error_set(&t.err, st, st == LM_ENOMEM ? "java.lang.OutOfMemoryError"
                                                     : RDD_EXC_RUNTIME,
                         NULL, NULL, "task failed with status %d", (int)st);
        lm_error_move(&sr->err[index], &t.err);
    }
    rdd_task_release(&t);
}

static void *worker(void *arg)
{
    stage_run *sr = arg;
    for (;;) {
        int k = atomic_fetch_add(&sr->next, 1);
        if (k >= sr->nround)
            return NULL;
        run_attempt(sr, sr->round[k]);
    }
}

static void run_round(stage_run *sr)
{
    atomic_store(&sr->next, 0);
    int nthreads = sr->ctx->threads < sr->nround ? sr->ctx->threads : sr->nround;
    if (nthreads <= 1) {
        worker(sr);
        return;
    }
    pthread_t *th = calloc((size_t)nthreads, sizeof *th);
    int started = 0;
    for (int i = 0; th && i < nthreads; i++) {
        if (pthread_create(&th[i], NULL, worker, sr) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker(sr); /* no threads to be had: run on the caller's */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
}

/* Spark's abort text, built from the task's last failure. */
static lm_status abort_stage(stage_run *sr, int index)
{
    lm_error *e = &sr->err[index];
    int attempt = sr->attempts[index] - 1;
    lm_session *s = sr->ctx->s;
    lm_error_set(&s->error, LM_ERROR, RDD_EXC_SPARK, NULL, NULL,
                 "Job aborted due to stage failure: Task %d in stage %d.0 failed %d times, "
                 "most recent failure: Lost task %d.%d in stage %d.0 (TID %lld) "
                 "(localhost executor driver): %s: %s\nDriver stacktrace:",
                 index, sr->stage_id, sr->ctx->max_failures, index, attempt, sr->stage_id,
                 (long long)sr->tid[index], e->exception ? e->exception : RDD_EXC_RUNTIME,
                 e->message ? e->message : "");
    return LM_ERROR;
}

static lm_status run_stage(stage_run *sr)
{
    int n = sr->ntasks;
    const lm_chaos *chaos = &sr->ctx->chaos;
    lm_status st = LM_OK;
    sr->attempts = calloc((size_t)n + 1, sizeof *sr->attempts);
    sr->ok = calloc((size_t)n + 1, sizeof *sr->ok);
    sr->tid = calloc((size_t)n + 1, sizeof *sr->tid);
    sr->err = calloc((size_t)n + 1, sizeof *sr->err);
    sr->acc = calloc((size_t)n + 1, sizeof *sr->acc);
    sr->done = calloc((size_t)n + 1, sizeof *sr->done);
    sr->ndone = 0;
    int *pending = calloc((size_t)n + 1, sizeof *pending);
    int *launch = calloc((size_t)n + 1, sizeof *launch);
    int *perm = calloc((size_t)n + 1, sizeof *perm);
    if (!sr->attempts || !sr->ok || !sr->tid || !sr->err || !sr->acc || !sr->done || !pending ||
        !launch || !perm) {
        st = lm_error_oom(&sr->ctx->s->error);
        goto done;
    }
    for (int i = 0; i < n; i++) {
        lm_error_init(&sr->err[i]);
        pending[i] = i;
    }
    int npending = n;
    for (int round = 0; npending > 0; round++) {
        /* launch order: partition order, or the chaos order of this round */
        lm_chaos_permutation(chaos, LM_CHAOS_TASK_ORDER, sr->position, round, perm, npending);
        for (int k = 0; k < npending; k++)
            launch[k] = pending[perm[k]];
        for (int k = 0; k < npending; k++)
            sr->tid[launch[k]] = sr->ctx->next_tid++;
        sr->round = launch;
        sr->nround = npending;
        run_round(sr);
        for (int k = 0; k < npending; k++)
            if (sr->ok[launch[k]])
                sr->done[sr->ndone++] = launch[k];
        int still = 0;
        for (int k = 0; k < npending; k++) {
            int i = pending[k];
            if (sr->ok[i])
                continue;
            sr->attempts[i]++;
            if (sr->attempts[i] >= sr->ctx->max_failures) {
                st = abort_stage(sr, i);
                goto done;
            }
            lm_error_clear(&sr->err[i]);
            pending[still++] = i;
        }
        npending = still;
    }
    /* The stage succeeded: its tasks' accumulator updates count, in
       partition order (Spark merges them as results arrive; under chaos,
       in the order they arrived). */
    for (int k = 0; k < n; k++) {
        int i = chaos->permute ? sr->done[k] : k;
        rdd_acc_apply_updates(sr->acc[i]);
        sr->acc[i] = NULL;
    }
done:
    for (int i = 0; sr->err && sr->acc && i < n; i++) {
        lm_error_clear(&sr->err[i]);
        rdd_acc_free_updates(sr->acc[i]);
    }
    free(sr->attempts);
    free(sr->ok);
    free(sr->tid);
    free(sr->err);
    free(sr->acc);
    free(pending);
    free(launch);
    free(perm);
    return st;
}

/* ------------------------------------------------------------ map stages */
static lm_status map_body(stage_run *sr, lm_task *t, int index, rdd_iter *it)
{
    rdd_shuffle *sh = sr->shuffle;
    int nred = sh->part->n;
    rdd_map_out mo;
    mo.blocks = calloc((size_t)nred + 1, sizeof *mo.blocks);
    mo.spilled = calloc((size_t)nred + 1, sizeof *mo.spilled);
    mo.held = 0;
    if (mo.blocks == NULL || mo.spilled == NULL) {
        free(mo.blocks);
        free(mo.spilled);
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    }
    for (int r = 0; r < nred; r++)
        rdd_block_init(&mo.blocks[r]);
    lm_status st = rdd_shuffle_write(sh, t, it, &mo);
    if (st == LM_OK) {
        /* Distinct tasks own distinct rows of the output matrix. */
        for (int r = 0; r < nred; r++) {
            size_t k = (size_t)index * (size_t)nred + (size_t)r;
            sh->out[k] = mo.blocks[r];
            sh->spilled[k] = mo.spilled[r];
        }
        sh->held[index] = mo.held;
    } else {
        rdd_map_out_discard(sh, &mo);
    }
    free(mo.blocks);
    free(mo.spilled);
    return st;
}

static lm_status run_map_stage(rdd_ctx *ctx, rdd_shuffle *sh, int stage_id, int position)
{
    lm_rdd *parent = sh->parent;
    int nred = sh->part->n;
    size_t nblocks = (size_t)parent->nparts * (size_t)nred;
    sh->out = calloc(nblocks + 1, sizeof *sh->out);
    sh->spilled = calloc(nblocks + 1, sizeof *sh->spilled);
    sh->held = calloc((size_t)parent->nparts + 1, sizeof *sh->held);
    sh->cap = &ctx->s->memcap;
    if (sh->out == NULL || sh->spilled == NULL || sh->held == NULL) {
        free(sh->out);
        free(sh->spilled);
        free(sh->held);
        sh->out = NULL;
        sh->spilled = NULL;
        sh->held = NULL;
        return lm_error_oom(&ctx->s->error);
    }
    for (size_t i = 0; i < nblocks; i++)
        rdd_block_init(&sh->out[i]);
    sh->nmap = parent->nparts;
    stage_run sr;
    memset(&sr, 0, sizeof sr);
    sr.ctx = ctx;
    sr.rdd = parent;
    sr.stage_id = stage_id;
    sr.position = position;
    sr.ntasks = parent->nparts;
    sr.body = map_body;
    sr.shuffle = sh;
    lm_status st = run_stage(&sr);
    free(sr.done);
    if (st != LM_OK) {
        rdd_shuffle_drop_output(sh);
        return st;
    }
    sh->computed = true;
    return LM_OK;
}

/* ------------------------------------------------------------- the DAG */
typedef struct stage_list {
    rdd_shuffle **sh;
    int n, cap;
} stage_list;

static bool list_has(const stage_list *l, const rdd_shuffle *sh)
{
    for (int i = 0; i < l->n; i++)
        if (l->sh[i] == sh)
            return true;
    return false;
}

/* Post-order over the shuffle dependencies reachable from r. */
static lm_status collect_stages(lm_rdd *r, stage_list *l, int depth)
{
    if (depth > 100000)
        return LM_ERROR;
    for (int i = 0; i < rdd_num_deps(r); i++) {
        const rdd_dep *d = rdd_dep_at(r, i);
        if (d->shuffle) {
            if (list_has(l, d->shuffle))
                continue;
            lm_status st = collect_stages(d->rdd, l, depth + 1);
            if (st != LM_OK)
                return st;
            if (l->n == l->cap) {
                int cap = l->cap ? l->cap * 2 : 8;
                rdd_shuffle **n = realloc(l->sh, sizeof *n * (size_t)cap);
                if (n == NULL)
                    return LM_ENOMEM;
                l->sh = n;
                l->cap = cap;
            }
            l->sh[l->n++] = d->shuffle;
        } else {
            lm_status st = collect_stages(d->rdd, l, depth + 1);
            if (st != LM_OK)
                return st;
        }
    }
    return LM_OK;
}

static lm_status result_body(stage_run *sr, lm_task *t, int index, rdd_iter *it)
{
    int part = sr->parts ? sr->parts[index] : index;
    return sr->fn(t, it, part, sr->job_ud, sr->slots + (size_t)part * sr->slot_size);
}

int rdd_job_position(const rdd_ctx *ctx, const rdd_shuffle *sh)
{
    for (int i = 0; i < ctx->njob_shuffles; i++)
        if (ctx->job_shuffles[i] == sh)
            return i;
    return 0;
}

/* Reads the session's chaos and I/O fault confs for the job about to run. */
static lm_status job_confs(rdd_ctx *ctx)
{
    lm_chaos_clear(&ctx->chaos);
    lm_fio_plan_free(ctx->io_faults);
    ctx->io_faults = NULL;
    lm_conf *conf = ctx->s->conf;
    lm_status st = lm_chaos_parse(&ctx->chaos, lm_conf_get(conf, LM_CHAOS_SEED_KEY),
                                  lm_conf_get(conf, LM_CHAOS_FAIL_KEY), &ctx->s->error);
    if (st == LM_OK)
        st = lm_fio_plan_parse(lm_conf_get(conf, LM_FIO_FAULTS_KEY), &ctx->io_faults,
                               &ctx->s->error);
    return st;
}

static void job_end(rdd_ctx *ctx)
{
    ctx->job_shuffles = NULL;
    ctx->njob_shuffles = 0;
}

lm_status rdd_run_job(lm_rdd *r, const int *parts, int n, rdd_task_fn fn, void *job_ud,
                      void *slots, size_t slot_size)
{
    rdd_ctx *ctx = r->ctx;
    lm_error_clear(&ctx->s->error);
    ctx->next_job_id++;
    free(ctx->result_order);
    ctx->result_order = NULL;
    ctx->nresult_order = 0;
    if ((parts ? n : r->nparts) == 0)
        return LM_OK; /* Spark returns at once from a job of no tasks */
    lm_status st = job_confs(ctx);
    if (st != LM_OK)
        return st;
    stage_list l = {0};
    st = collect_stages(r, &l, 0);
    if (st != LM_OK) {
        free(l.sh);
        return st == LM_ENOMEM ? lm_error_oom(&ctx->s->error) : st;
    }
    ctx->job_shuffles = l.sh;
    ctx->njob_shuffles = l.n;
    /* Stage ids: every shuffle stage of the lineage, then the result. */
    int base = ctx->next_stage_id;
    ctx->next_stage_id += l.n + 1;
    for (int i = 0; i < l.n && st == LM_OK; i++)
        if (!l.sh[i]->computed)
            st = run_map_stage(ctx, l.sh[i], base + i, i);
    if (st != LM_OK) {
        job_end(ctx);
        free(l.sh);
        return st;
    }
    stage_run sr;
    memset(&sr, 0, sizeof sr);
    sr.ctx = ctx;
    sr.rdd = r;
    sr.stage_id = base + l.n;
    sr.position = l.n;
    sr.ntasks = parts ? n : r->nparts;
    sr.parts = parts;
    sr.body = result_body;
    sr.fn = fn;
    sr.job_ud = job_ud;
    sr.slots = slots;
    sr.slot_size = slot_size;
    st = run_stage(&sr);
    job_end(ctx);
    free(l.sh);
    if (st == LM_OK && ctx->chaos.permute) {
        /* the order results reached the driver, as partitions */
        for (int k = 0; k < sr.ndone; k++)
            sr.done[k] = parts ? parts[sr.done[k]] : sr.done[k];
        ctx->result_order = sr.done;
        ctx->nresult_order = sr.ndone;
        sr.done = NULL;
    }
    free(sr.done);
    if (st != LM_OK)
        return st;
    /* The checkpoint job must not replace this job's result order. */
    int *order = ctx->result_order, norder = ctx->nresult_order;
    ctx->result_order = NULL;
    st = rdd_do_checkpoint(r);
    free(ctx->result_order);
    ctx->result_order = order;
    ctx->nresult_order = norder;
    return st;
}
