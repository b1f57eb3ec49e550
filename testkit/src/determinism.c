/*
 * lmt_deterministic: runs a job under several chaos seeds (common/chaos.h)
 * and reports the first seed that changes its answer.
 *
 *   [NONDETERMINISTIC] The answer changed under spark.localmode.chaos.seed=7
 *   (seed 2 of 3; actual = that run, expected = the run without chaos)
 *   [DIFFERENT_ROWS] Results do not match: (50 %)
 *   ...
 *
 * Why a fresh session per run: a chaos schedule is a function of the seed
 * and of where each decision is taken, and stage ids (which failTasks rules
 * name) count up through a session's life. A fresh session gives every run
 * the same ids, so the reported seed replays the reported answer exactly
 * when the user runs the job again with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tk.h"

#include "common/chaos.h"

typedef struct run {
    lm_session *s;
    lm_df *df;
} run;

static void run_free(run *r)
{
    lm_df_free(r->df);
    if (r->s)
        lm_session_close(r->s);
    r->df = NULL;
    r->s = NULL;
}

/* Runs the job in a fresh session with the seed (NULL: no chaos); false
   with *why (malloc'ed) on failure. */
static bool run_job(lmt_job_fn job, void *ctx, const char *seed, run *out, char **why)
{
    out->df = NULL;
    out->s = lmt_session_new();
    if (out->s == NULL) {
        *why = strdup("cannot open a session");
        return false;
    }
    if (seed && lm_session_conf_set(out->s, LM_CHAOS_SEED_KEY, seed) != LM_OK) {
        *why = strdup(lm_errmsg(out->s));
        return false;
    }
    out->df = job(out->s, ctx);
    if (out->df == NULL) {
        const char *m = lm_errmsg(out->s);
        *why = strdup(*m ? m : "the job returned no DataFrame");
        return false;
    }
    /* compute now, so a failing job is told apart from a differing answer */
    int64_t n;
    if (lm_df_count(out->df, &n) != LM_OK) {
        *why = strdup(lm_errmsg(out->s));
        return false;
    }
    return true;
}

static lmt_result error_text(const char *prefix, const char *why)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_printf(&sb, "[ERROR] %s: %s", prefix, why ? why : "out of memory");
    lmt_result r = tk_result_text(LMT_ERROR, lm_strbuf_cstr(&sb), 0, 0);
    lm_strbuf_free(&sb);
    return r;
}

static lmt_result deterministic(lmt_job_fn job, void *ctx, const int64_t *seeds, int nseeds,
                                const lmt_df_opts *opts, bool terminal)
{
    if (job == NULL || seeds == NULL || nseeds < 1)
        return error_text("lmt_deterministic", "a job and at least one seed are needed");
    lmt_df_opts o = opts ? *opts : lmt_df_opts_default();
    tk_style st = tk_style_resolve(o.color, o.format, o.max_errors, o.show_only_diff, terminal);
    run base;
    char *why = NULL;
    if (!run_job(job, ctx, NULL, &base, &why)) {
        lmt_result r = error_text("the job failed without chaos", why);
        free(why);
        run_free(&base);
        return r;
    }
    lmt_result res = {LMT_EQUAL, NULL, 0, 0};
    for (int i = 0; i < nseeds && res.outcome == LMT_EQUAL; i++) {
        char seed[32];
        snprintf(seed, sizeof seed, "%lld", (long long)seeds[i]);
        run cur;
        lmt_result cmp = {LMT_EQUAL, NULL, 0, 0};
        bool ok = run_job(job, ctx, seed, &cur, &why);
        if (ok)
            cmp = tk_df_equal(cur.df, base.df, &o, terminal);
        if (!ok || cmp.outcome != LMT_EQUAL) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_strbuf_printf(&sb, "[NONDETERMINISTIC] The %s under " LM_CHAOS_SEED_KEY "=%s "
                             "(seed %d of %d; ",
                             ok ? "answer changed" : "job failed", seed, i + 1, nseeds);
            if (ok)
                lm_strbuf_printf(&sb, "actual = that run, expected = the run without chaos)%s%s",
                                 st.compact ? "; " : "\n", cmp.report ? cmp.report : "");
            else
                lm_strbuf_printf(&sb, "it succeeds without chaos)%s%s", st.compact ? ": " : "\n",
                                 why ? why : "");
            res = tk_result_text(LMT_NONDETERMINISTIC, lm_strbuf_cstr(&sb), cmp.differing,
                                 cmp.total);
            lm_strbuf_free(&sb);
        }
        lmt_result_free(&cmp);
        free(why);
        why = NULL;
        run_free(&cur);
    }
    run_free(&base);
    return res;
}

lmt_result lmt_deterministic(lmt_job_fn job, void *ctx, const int64_t *seeds, int nseeds,
                             const lmt_df_opts *opts)
{
    return deterministic(job, ctx, seeds, nseeds, opts, false);
}

void lmt_assert_deterministic_at(lmt_job_fn job, void *ctx, const int64_t *seeds, int nseeds,
                                 const lmt_df_opts *opts, const char *file, int line)
{
    lmt_check_at(deterministic(job, ctx, seeds, nseeds, opts, true), file, line);
}
