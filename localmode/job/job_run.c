/*
 * Running a job on a session, in the order a Spark program does it: conf,
 * then sources read into temp views (spark.read...load +
 * createOrReplaceTempView), then every step defined as a temp view
 * (spark.sql(...).createOrReplaceTempView), then the sinks written one by
 * one (df.write...save), each an action. Analysis is eager, so a step that
 * names a missing column fails at that step, before anything is written;
 * errors while computing rows surface at the sink that needed them, as in
 * Spark.
 *
 * Every failure is reported once, as "file:line:col: step \"x\": " and the
 * engine's message (error class included); the session keeps the error
 * class for callers that test for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/df.h"
#include "job/job_int.h"
#include "session/session.h"

typedef struct runner {
    lm_session *s;
    const job *j;
    const job_run_opts *o;
    char **err;
    bool *commands; /* per step: its SQL was a command, no rows to read */
    lm_ml_stage **models; /* per step: the model a `fit` step made (job_ml.c) */
} runner;

static lm_status fail(runner *R, int line, int col, const char *where, const char *msg)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, R->j->file);
    if (line > 0)
        lm_strbuf_printf(&sb, ":%d:%d", line, col);
    lm_strbuf_printf(&sb, ": %s: %s", where, msg && *msg ? msg : "failed");
    *R->err = lm_strbuf_detach(&sb);
    return LM_ERROR;
}

static lm_status fail_engine(runner *R, int line, int col, const char *where)
{
    return fail(R, line, col, where, lm_errmsg(R->s));
}

static bool errclass_has(runner *R, const char *part)
{
    const char *c = lm_errclass(R->s);
    return c && strstr(c, part);
}

static lm_options *options_of(const job_kv *kv, int n)
{
    lm_options *o = lm_options_new();
    for (int i = 0; o && i < n; i++)
        if (lm_options_set(o, kv[i].key, kv[i].value.s) != LM_OK) {
            lm_options_free(o);
            return NULL;
        }
    return o;
}

static lm_status run_conf(runner *R)
{
    for (int i = 0; i < R->j->nconf; i++) {
        const job_kv *kv = &R->j->conf[i];
        if (kv->value.s == NULL)
            continue;
        if (lm_session_conf_set(R->s, kv->key, kv->value.s) != LM_OK) {
            char where[300];
            snprintf(where, sizeof where, "conf `%s`", kv->key);
            return fail_engine(R, kv->value.line, kv->value.col, where);
        }
    }
    return LM_OK;
}

static bool view_exists(lm_session *s, const char *name)
{
    return lm_catalog_find(&s->catalog, NULL, name) != NULL;
}

static lm_status run_source(runner *R, const job_source *src)
{
    char where[200];
    snprintf(where, sizeof where, "source \"%s\"", src->name.s);
    if (R->o && R->o->keep_existing_views && view_exists(R->s, src->name.s))
        return LM_OK;
    lm_options *opts = options_of(src->options, src->noptions);
    const char **paths = calloc((size_t)src->npaths + 1, sizeof *paths);
    if (opts == NULL || paths == NULL) {
        lm_options_free(opts);
        free(paths);
        return fail(R, src->line, src->col, where, "out of memory");
    }
    for (int i = 0; i < src->npaths; i++)
        paths[i] = src->paths[i].s;
    lm_df *df = NULL;
    lm_status st;
    if (src->npaths)
        st = lm_read_paths(R->s, src->format.s, paths, src->npaths, opts, src->schema.s, &df);
    else
        st = lm_read(R->s, src->format.s, NULL, opts, src->schema.s, &df);
    lm_options_free(opts);
    free(paths);
    if (st == LM_OK)
        st = lm_df_create_or_replace_temp_view(df, src->name.s);
    lm_df_free(df);
    if (st == LM_OK)
        return LM_OK;
    /* point at what the error is about */
    int line = src->line, col = src->col;
    if (src->npaths && errclass_has(R, "PATH")) {
        line = src->paths[0].line;
        col = src->paths[0].col;
    } else if (src->schema.s && (errclass_has(R, "PARSE") || errclass_has(R, "DATATYPE"))) {
        line = src->schema.line;
        col = src->schema.col;
    }
    return fail_engine(R, line, col, where);
}

/* Where a failed statement points: the query context inside a fragment of
   the file, else the given fallback. */
static void locate(runner *R, const job_sql *q, int *line, int *col)
{
    int l, c;
    if (job_sql_locate(q, R->s->error.ctx_start, &l, &c)) {
        *line = l;
        *col = c;
    }
}

/* Runs the SQL of ops [0, nops) of step i; *df receives the result. */
static lm_status step_sql(runner *R, int i, int nops, job_sql *q, lm_df **df)
{
    job_sql_init(q);
    if (!job_step_sql(R->j, i, nops, q))
        return lm_error_oom(&R->s->error);
    *df = NULL;
    return lm_sql(R->s, lm_strbuf_cstr(&q->sql), df);
}

static lm_status run_step(runner *R, int i)
{
    const job_step *st = &R->j->steps[i];
    if (st->ml)
        return job_ml_run_step(R->s, R->j, i, R->models, R->err);
    char where[200];
    if (st->name.s)
        snprintf(where, sizeof where, "step \"%s\"", st->name.s);
    else
        snprintf(where, sizeof where, "step %d", st->index);
    /* an op step reading the step before, which was a command */
    if (st->sql.s == NULL && st->from.s == NULL && i > 0 && R->commands[i - 1])
        return fail(R, st->line, st->col, where,
                    "the step before is a command (its SQL yields no rows): say which view to "
                    "read with `from:`");
    job_sql q;
    lm_df *df = NULL;
    lm_status rc = step_sql(R, i, st->nops, &q, &df);
    if (rc != LM_OK) {
        int line = st->sql.s ? st->sql.line : st->ops[st->nops - 1].line;
        int col = st->sql.s ? st->sql.col : st->ops[st->nops - 1].col;
        /* which op broke: the first prefix of the ops that fails (the
           full statement's error is kept in case none does) */
        lm_error saved;
        lm_error_init(&saved);
        lm_error_move(&saved, &R->s->error);
        bool found = false;
        for (int k = 1; k < st->nops && !found; k++) {
            job_sql pq;
            lm_df *pdf = NULL;
            lm_status prc = step_sql(R, i, k, &pq, &pdf);
            lm_df_free(pdf);
            if (prc != LM_OK) {
                job_sql_free(&q);
                q = pq;
                line = st->ops[k - 1].line;
                col = st->ops[k - 1].col;
                found = true;
            } else {
                job_sql_free(&pq);
            }
        }
        if (found)
            lm_error_clear(&saved);
        else
            lm_error_move(&R->s->error, &saved);
        /* the input view of an op step is named by `from:` */
        if (st->sql.s == NULL && st->from.s && errclass_has(R, "TABLE_OR_VIEW_NOT_FOUND") &&
            R->s->error.ctx_start < 0) {
            line = st->from.line;
            col = st->from.col;
        }
        locate(R, &q, &line, &col);
        job_sql_free(&q);
        lm_df_free(df);
        return fail_engine(R, line, col, where);
    }
    if (df->plan == NULL) {
        /* a command: CREATE TEMPORARY VIEW, SET ... */
        job_sql_free(&q);
        lm_df_free(df);
        R->commands[i] = true;
        if (st->name.s)
            return fail(R, st->name.line, st->name.col, where,
                        "its SQL is a command with no rows to name: drop `name:`, or make the "
                        "SQL a query");
        return LM_OK;
    }
    lm_df_free(df);
    /* a view of the query's text, as spark.sql(q).createOrReplaceTempView
       defines it: lazy, computed by the actions that read it */
    lm_strbuf def;
    lm_strbuf_init(&def);
    lm_strbuf_printf(&def, "CREATE OR REPLACE TEMPORARY VIEW %s AS\n%s", st->view,
                     lm_strbuf_cstr(&q.sql));
    job_sql_free(&q);
    rc = lm_strbuf_ok(&def) ? lm_sql(R->s, lm_strbuf_cstr(&def), &df) : lm_error_oom(&R->s->error);
    lm_strbuf_free(&def);
    lm_df_free(df);
    if (rc == LM_OK && st->cache) {
        char sql[300];
        snprintf(sql, sizeof sql, "CACHE TABLE %s", st->view);
        lm_df *c = NULL;
        rc = lm_sql(R->s, sql, &c);
        lm_df_free(c);
    }
    if (rc != LM_OK)
        return fail_engine(R, st->line, st->col, where);
    return LM_OK;
}

static lm_status console_sink(runner *R, const job_sink *k, lm_df *df)
{
    int rows = 20, truncate = 20;
    for (int i = 0; i < k->noptions; i++) {
        const char *v = k->options[i].value.s;
        if (v == NULL)
            continue;
        if (strcasecmp(k->options[i].key, "numRows") == 0)
            rows = atoi(v);
        else if (strcasecmp(k->options[i].key, "truncate") == 0)
            truncate = strcasecmp(v, "false") == 0 ? 0 : 20;
    }
    char *text = lm_df_show_string(df, rows, truncate, false);
    if (text == NULL)
        return LM_ERROR;
    FILE *out = R->o && R->o->console ? R->o->console : stdout;
    fputs(text, out);
    if (*text && text[strlen(text) - 1] != '\n')
        fputc('\n', out);
    free(text);
    return LM_OK;
}

static lm_status run_sink(runner *R, const job_sink *k)
{
    char where[200];
    if (k->label[0] >= '0' && k->label[0] <= '9')
        snprintf(where, sizeof where, "sink %s", k->label); /* unnamed: its number */
    else
        snprintf(where, sizeof where, "sink \"%s\"", k->label);
    lm_df *df = lm_read_table(R->s, k->input);
    if (df == NULL) {
        int line = k->from.s ? k->from.line : k->line, col = k->from.s ? k->from.col : k->col;
        return fail_engine(R, line, col, where);
    }
    if (R->o && R->o->action_begin)
        R->o->action_begin(R->o->ctx, k);
    lm_status rc;
    if (strcmp(k->format.s, "console") == 0) {
        rc = console_sink(R, k, df);
    } else {
        lm_options *opts = options_of(k->options, k->noptions);
        const char **pby = calloc((size_t)k->npartition_by + 1, sizeof *pby);
        if (opts == NULL || pby == NULL) {
            rc = lm_error_oom(&R->s->error);
        } else {
            for (int i = 0; i < k->npartition_by; i++)
                pby[i] = k->partition_by[i].s;
            rc = lm_write(df, k->format.s, k->path.s, k->mode.s, opts, pby, k->npartition_by);
        }
        lm_options_free(opts);
        free(pby);
    }
    if (R->o && R->o->action_end)
        R->o->action_end(R->o->ctx, k, rc == LM_OK);
    lm_df_free(df);
    if (rc == LM_OK)
        return LM_OK;
    int line = k->line, col = k->col;
    if (errclass_has(R, "PATH") && k->path.s) {
        line = k->path.line;
        col = k->path.col;
    } else if (k->npartition_by && errclass_has(R, "PARTITION")) {
        line = k->partition_by[0].line;
        col = k->partition_by[0].col;
    }
    return fail_engine(R, line, col, where);
}

lm_status job_run(lm_session *s, const job *j, const job_run_opts *o, char **err)
{
    *err = NULL;
    runner R = {s, j, o, err, NULL, NULL};
    R.commands = calloc((size_t)j->nsteps + 1, sizeof *R.commands);
    R.models = calloc((size_t)j->nsteps + 1, sizeof *R.models);
    if (R.commands == NULL || R.models == NULL) {
        free(R.commands);
        free(R.models);
        *err = strdup("out of memory");
        return LM_ENOMEM;
    }
    lm_status rc = run_conf(&R);
    for (int i = 0; rc == LM_OK && i < j->nsources; i++)
        rc = run_source(&R, &j->sources[i]);
    for (int i = 0; rc == LM_OK && i < j->nsteps; i++)
        rc = run_step(&R, i);
    for (int i = 0; rc == LM_OK && i < j->nsinks && !(o && o->skip_sinks); i++)
        rc = run_sink(&R, &j->sinks[i]);
    free(R.commands);
    job_ml_free_models(j, R.models);
    free(R.models);
    if (rc != LM_OK && *err == NULL)
        *err = strdup(lm_errmsg(s));
    return rc;
}
