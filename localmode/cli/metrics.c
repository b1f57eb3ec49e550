/*
 * What a job did, observed through the executor's hook (exec/exec.h):
 * for `--metrics`, a summary per job (each action: a query's result, a
 * sink's write) of its operators with rows in, rows out and time; and,
 * when standard error is a terminal, Spark's console progress bar
 *
 *   [Stage 1:=============>                                      (3 + 1) / 8]
 *
 * for jobs running longer than half a second, as Spark's
 * ConsoleProgressBar shows it (after 500 ms, refreshed every 200 ms, the
 * width taken from $COLUMNS, else 80, and the line wiped when the job
 * ends).
 *
 * localmode runs each operator over all the rows of its input at once, so
 * there are no partition tasks to count: the bar counts a stage's
 * operators instead (completed + running / operators in the stage). Stages
 * are cut and numbered as Spark cuts them (plan_ops.c), with ids that keep
 * increasing over the session's jobs, as Spark's do.
 *
 * The hook may be called from worker threads (subqueries evaluated inside
 * parallel operators); only the thread that started a job is recorded,
 * and a mutex guards what the progress thread reads.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/metrics.h"
#include "cli/plan_ops.h"
#include "exec/exec.h"
#include "session/session.h"

/* One operator of a job: a plan node and what it did over all its calls
   (a correlated subquery's plan runs once per outer row). */
typedef struct mrec {
    const lm_plan *plan; /* identity while the job runs; freed after it */
    const char *name;    /* captured while the plan is alive */
    char *detail;
    bool hidden;
    bool input; /* its parent's child or right input, not a subquery */
    int parent, first_child, last_child, next;
    int64_t rows_out;
    int64_t calls;
    double t_incl;
    double t_start;
    bool failed;
} mrec;

typedef struct mjob {
    char *label;
    double seconds;
    bool ok;
    int nrecs, cap;
    mrec *recs;
} mjob;

enum { MAX_DEPTH = 256 };

struct cli_metrics {
    lm_session *s;
    lm_exec_hook hook;
    pthread_mutex_t mu;
    pthread_t owner; /* thread running the current job */
    char *label;     /* label of the next job */
    int njobs, cap;
    mjob *jobs;
    int depth; /* open operators; 0 between jobs */
    int stack[MAX_DEPTH];
    int skipped; /* nesting deeper than MAX_DEPTH */
    double job_start;
    /* progress bar */
    bool progress;
    bool thread_on, stop;
    pthread_t thread;
    pthread_cond_t cv;
    cli_stages stages;
    bool have_stages;
    int *done; /* completed operators per stage */
    int cur_stage;
    int stage_base; /* global id of this job's stage 0 */
    bool drawn;
    char last[1024];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int term_width(void)
{
    const char *c = getenv("COLUMNS");
    int w = c ? atoi(c) : 0;
    return w > 0 && w < 1000 ? w : 80;
}

/* ------------------------------------------------------------- progress */

void cli_progress_render(char *buf, size_t size, int stage_id, int done, int active, int total,
                         int width)
{
    char head[32], tail[64];
    snprintf(head, sizeof head, "[Stage %d:", stage_id);
    snprintf(tail, sizeof tail, "(%d + %d) / %d]", done, active, total);
    int w = width - (int)strlen(head) - (int)strlen(tail);
    size_t n = 0;
    n += (size_t)snprintf(buf, size, "%s", head);
    if (w > 0 && total > 0) {
        int percent = (int)((int64_t)w * done / total);
        for (int i = 0; i < w && n + 1 < size; i++)
            buf[n++] = i < percent ? '=' : i == percent ? '>' : ' ';
        buf[n < size ? n : size - 1] = '\0';
    }
    if (n < size)
        snprintf(buf + n, size - n, "%s", tail);
}

/* Draws the bar of the running stage if it changed; called with mu held. */
static void draw(cli_metrics *m)
{
    if (!m->have_stages || m->cur_stage < 0)
        return;
    int total = cli_stage_size(&m->stages, m->cur_stage);
    if (total <= 0)
        return;
    char bar[1024];
    int done = m->done[m->cur_stage];
    cli_progress_render(bar, sizeof bar, m->stage_base + m->cur_stage, done, done < total ? 1 : 0,
                        total, term_width());
    if (m->drawn && strcmp(bar, m->last) == 0)
        return;
    fprintf(stderr, "\r%s", bar);
    fflush(stderr);
    snprintf(m->last, sizeof m->last, "%s", bar);
    m->drawn = true;
}

/* Wipes the bar (Spark's clear(): spaces over the whole width). */
static void wipe(cli_metrics *m)
{
    if (!m->drawn)
        return;
    int w = term_width();
    fputc('\r', stderr);
    for (int i = 0; i < w; i++)
        fputc(' ', stderr);
    fputc('\r', stderr);
    fflush(stderr);
    m->drawn = false;
    m->last[0] = '\0';
}

static void *progress_main(void *arg)
{
    cli_metrics *m = arg;
    pthread_mutex_lock(&m->mu);
    while (!m->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&m->cv, &m->mu, &ts);
        if (!m->stop && m->depth > 0 && now_s() - m->job_start >= 0.5)
            draw(m);
    }
    pthread_mutex_unlock(&m->mu);
    return NULL;
}

/* ---------------------------------------------------------------- hook */

static mrec *rec_new(mjob *j, const lm_plan *p, int parent)
{
    if (j->nrecs == j->cap) {
        int cap = j->cap ? j->cap * 2 : 32;
        mrec *r = realloc(j->recs, sizeof *r * (size_t)cap);
        if (r == NULL)
            return NULL;
        j->recs = r;
        j->cap = cap;
    }
    int i = j->nrecs++;
    mrec *r = &j->recs[i];
    memset(r, 0, sizeof *r);
    r->plan = p;
    r->name = cli_op_name(p);
    r->hidden = cli_op_hidden(p);
    if (!r->hidden) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        cli_op_detail(&sb, p);
        r->detail = lm_strbuf_detach(&sb);
    }
    r->parent = parent;
    r->input = parent < 0 || j->recs[parent].plan->child == p || j->recs[parent].plan->right == p;
    r->first_child = r->last_child = r->next = -1;
    if (parent >= 0) {
        mrec *pr = &j->recs[parent];
        if (pr->last_child >= 0)
            j->recs[pr->last_child].next = i;
        else
            pr->first_child = i;
        pr->last_child = i;
    }
    return r;
}

static void job_begin(cli_metrics *m, const lm_plan *root)
{
    if (m->njobs == m->cap) {
        int cap = m->cap ? m->cap * 2 : 8;
        mjob *j = realloc(m->jobs, sizeof *j * (size_t)cap);
        if (j == NULL)
            return;
        m->jobs = j;
        m->cap = cap;
    }
    mjob *j = &m->jobs[m->njobs++];
    memset(j, 0, sizeof *j);
    j->label = strdup(m->label ? m->label : "query");
    m->owner = pthread_self();
    m->job_start = now_s();
    if (m->progress) {
        m->have_stages = cli_stages_build(&m->stages, root);
        m->done = m->have_stages ? calloc((size_t)m->stages.nstages + 1, sizeof *m->done) : NULL;
        m->have_stages = m->done != NULL;
        m->cur_stage = -1;
    }
}

static void job_end(cli_metrics *m, bool ok)
{
    mjob *j = &m->jobs[m->njobs - 1];
    j->seconds = now_s() - m->job_start;
    j->ok = ok;
    if (m->progress) {
        wipe(m);
        if (m->have_stages)
            m->stage_base += m->stages.nstages;
        cli_stages_free(&m->stages);
        free(m->done);
        m->done = NULL;
        m->have_stages = false;
    }
}

static void on_enter(void *ctx, const lm_plan *p)
{
    cli_metrics *m = ctx;
    pthread_mutex_lock(&m->mu);
    if (m->depth > 0 && !pthread_equal(m->owner, pthread_self()))
        goto out;
    if (m->depth == 0)
        job_begin(m, p);
    if (m->njobs == 0)
        goto out;
    if (m->depth >= MAX_DEPTH) {
        m->skipped++;
        goto out;
    }
    mjob *j = &m->jobs[m->njobs - 1];
    int parent = m->depth > 0 ? m->stack[m->depth - 1] : -1;
    int found = -1;
    if (parent >= 0)
        for (int c = j->recs[parent].first_child; c >= 0; c = j->recs[c].next)
            if (j->recs[c].plan == p) {
                found = c;
                break;
            }
    if (found < 0) {
        mrec *r = parent >= 0 || j->nrecs == 0 ? rec_new(j, p, parent) : NULL;
        found = r ? (int)(r - j->recs) : -1;
    }
    m->stack[m->depth++] = found;
    if (found >= 0)
        j->recs[found].t_start = now_s();
    if (m->have_stages && !cli_op_hidden(p)) {
        int st = cli_stage_of(&m->stages, p);
        if (st >= 0)
            m->cur_stage = st;
    }
out:
    pthread_mutex_unlock(&m->mu);
}

static void on_leave(void *ctx, const lm_plan *p, const lm_table *out)
{
    cli_metrics *m = ctx;
    pthread_mutex_lock(&m->mu);
    if (m->depth == 0 || !pthread_equal(m->owner, pthread_self()))
        goto done;
    if (m->skipped > 0) {
        m->skipped--;
        goto done;
    }
    mjob *j = &m->jobs[m->njobs - 1];
    int i = m->stack[--m->depth];
    if (i >= 0) {
        mrec *r = &j->recs[i];
        r->t_incl += now_s() - r->t_start;
        r->calls++;
        r->rows_out += out ? out->nrows : 0;
        r->failed |= out == NULL;
        if (m->have_stages && r->calls == 1 && !cli_op_hidden(p)) {
            int st = cli_stage_of(&m->stages, p);
            if (st >= 0)
                m->done[st]++;
        }
    }
    if (m->depth > 0 && m->have_stages) {
        int parent = m->stack[m->depth - 1];
        if (parent >= 0) {
            int st = cli_stage_of(&m->stages, j->recs[parent].plan);
            if (st >= 0)
                m->cur_stage = st;
        }
    }
    if (m->depth == 0)
        job_end(m, out != NULL);
done:
    pthread_mutex_unlock(&m->mu);
}

/* ------------------------------------------------------------ lifecycle */

cli_metrics *cli_metrics_new(lm_session *s, bool progress)
{
    cli_metrics *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->s = s;
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->cv, NULL);
    m->hook.enter = on_enter;
    m->hook.leave = on_leave;
    m->hook.ctx = m;
    m->cur_stage = -1;
    m->progress = progress;
    if (progress && pthread_create(&m->thread, NULL, progress_main, m) == 0)
        m->thread_on = true;
    s->exec_hook = &m->hook;
    return m;
}

void cli_metrics_label(cli_metrics *m, const char *fmt, ...)
{
    if (m == NULL)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&m->mu);
    free(m->label);
    m->label = strdup(buf);
    pthread_mutex_unlock(&m->mu);
}

/* Rows a node read: its inputs' rows (a hidden node's: its own). */
static int64_t rows_in(const mjob *j, const mrec *r)
{
    int64_t in = 0;
    bool leaf = true;
    for (int c = r->first_child; c >= 0; c = j->recs[c].next)
        if (j->recs[c].input) {
            in += j->recs[c].rows_out;
            leaf = false;
        }
    return leaf ? r->rows_out : in;
}

static void print_rec(FILE *f, const mjob *j, int i, int depth, bool last[], bool is_last)
{
    const mrec *r = &j->recs[i];
    bool hidden = r->hidden;
    if (!hidden) {
        int64_t in = rows_in(j, r);
        double child_t = 0;
        for (int c = r->first_child; c >= 0; c = j->recs[c].next)
            child_t += j->recs[c].t_incl;
        double self = r->t_incl - child_t;
        fprintf(f, "  %11lld %11lld %10.1f %10.1f  ", (long long)in, (long long)r->rows_out,
                r->t_incl * 1e3, (self > 0 ? self : 0) * 1e3);
        for (int d = 1; d < depth; d++)
            fputs(last[d] ? "   " : ":  ", f);
        if (depth > 0)
            fputs(last[depth] ? "+- " : ":- ", f);
        const char *d = r->detail ? r->detail : "";
        fprintf(f, "%s%s%.*s%s", r->name, *d ? " " : "", 60, d, strlen(d) > 60 ? "..." : "");
        if (r->calls > 1)
            fprintf(f, " (x%lld)", (long long)r->calls);
        if (r->failed)
            fputs(" (failed)", f);
        fputc('\n', f);
    }
    for (int c = r->first_child; c >= 0; c = j->recs[c].next) {
        int d = hidden ? depth : depth + 1;
        /* a hidden node's children stand in its place in the tree */
        bool cl = j->recs[c].next < 0 && (!hidden || is_last);
        if (d < 64)
            last[d] = cl;
        print_rec(f, j, c, d < 64 ? d : 63, last, cl);
    }
}

void cli_metrics_print(cli_metrics *m, FILE *f)
{
    if (m == NULL)
        return;
    pthread_mutex_lock(&m->mu);
    fprintf(f, "== Metrics ==\n");
    if (m->njobs == 0)
        fprintf(f, "no jobs ran\n");
    for (int k = 0; k < m->njobs; k++) {
        const mjob *j = &m->jobs[k];
        int ops = 0;
        int64_t scanned = 0;
        for (int i = 0; i < j->nrecs; i++) {
            ops += !j->recs[i].hidden;
            if (j->recs[i].first_child < 0 && !j->recs[i].hidden)
                scanned += j->recs[i].rows_out;
        }
        fprintf(f, "Job %d (%s): %s, %.3f s, %d operator%s, %lld rows read, %lld rows out\n", k,
                j->label, j->ok ? "succeeded" : "failed", j->seconds, ops, ops == 1 ? "" : "s",
                (long long)scanned, (long long)(j->nrecs ? j->recs[0].rows_out : 0));
        fprintf(f, "  %11s %11s %10s %10s  %s\n", "rows in", "rows out", "time ms", "self ms",
                "operator");
        bool last[64] = {0};
        if (j->nrecs)
            print_rec(f, j, 0, 0, last, true);
    }
    pthread_mutex_unlock(&m->mu);
}

void cli_metrics_free(cli_metrics *m)
{
    if (m == NULL)
        return;
    if (m->s->exec_hook == &m->hook)
        m->s->exec_hook = NULL;
    if (m->thread_on) {
        pthread_mutex_lock(&m->mu);
        m->stop = true;
        pthread_cond_signal(&m->cv);
        pthread_mutex_unlock(&m->mu);
        pthread_join(m->thread, NULL);
    }
    for (int k = 0; k < m->njobs; k++) {
        free(m->jobs[k].label);
        for (int i = 0; i < m->jobs[k].nrecs; i++)
            free(m->jobs[k].recs[i].detail);
        free(m->jobs[k].recs);
    }
    free(m->jobs);
    free(m->label);
    cli_stages_free(&m->stages);
    free(m->done);
    pthread_cond_destroy(&m->cv);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

bool cli_progress_wanted(lm_session *s)
{
    if (!isatty(STDERR_FILENO))
        return false;
    char *v = lm_session_conf_get(s, "spark.ui.showConsoleProgress");
    bool off = v && strcmp(v, "false") == 0;
    free(v);
    return !off;
}
