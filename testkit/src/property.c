/*
 * Property checks: run a property over many generated inputs and, when
 * one fails, shrink it to a small input that still fails (QuickCheck's
 * idea, as ScalaCheck does for spark-testing-base).
 *
 * Trials grow: trial k of n draws up to min_rows + (max_rows - min_rows) *
 * (k + 1) / n rows, so the first failures found are already small. Each
 * trial has its own seed derived from the run's seed, and the run's seed
 * (LMT_SEED) replays the whole sequence.
 *
 * Shrinking is greedy and bounded by max_shrinks property runs:
 *  1. drop rows: halves, then quarters ... then single rows (delta
 *     debugging), keeping any removal after which the property still fails;
 *  2. simplify cells: NULL (if the column allows it), the type's zero
 *     (0, "", false, 1970-01-01, empty collection), then halfway values
 *     (n / 2, a shorter string, one element fewer);
 * and again while either step made progress. Every accepted candidate is
 * strictly simpler, so the loop ends even without the budget.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tk.h"

#include "session/session.h"

lmt_property_opts lmt_property_opts_default(void)
{
    lmt_property_opts o;
    o.trials = 100;
    o.seed = 42;
    o.view = "input";
    o.max_shrinks = 1000;
    o.gen = lmt_gen_opts_default();
    return o;
}

typedef struct prop_run {
    lm_session *s;
    const lm_type *schema;
    lmt_property_fn fn;
    void *ctx;
    const char *view;
    int runs;  /* property runs so far */
    char *why; /* explanation of the last failure, malloc'ed */
    bool oom;
} prop_run;

/* Runs the property on rows; true when it fails. The input is registered
   as the temp view before the call and the DataFrame freed after it. */
static bool fails(prop_run *p, lm_value *const *rows, int64_t n)
{
    lm_table *t = tk_table_of_rows(p->schema, rows, n);
    if (t == NULL || tk_register_view(p->s, p->view, t) != LM_OK) {
        lm_table_unref(t);
        p->oom = true;
        return false;
    }
    lm_df *df = tk_df_from_table(p->s, t);
    if (df == NULL) {
        p->oom = true;
        return false;
    }
    char *why = NULL;
    p->runs++;
    lm_error_clear(&p->s->error);
    bool ok = p->fn(p->s, df, p->ctx, &why);
    lm_df_free(df);
    if (ok) {
        free(why);
        return false;
    }
    free(p->why);
    p->why = why;
    return true;
}

/* ----------------------------------------------------------- shrinking */

typedef struct shrink {
    prop_run *p;
    lm_arena *a;
    int budget;
    lm_value **rows;
    int64_t n;
    int steps; /* accepted simplifications */
} shrink;

static bool budget_left(shrink *sh)
{
    return sh->budget > 0 && !sh->p->oom;
}

static bool try_rows(shrink *sh, lm_value **cand, int64_t n)
{
    if (!budget_left(sh))
        return false;
    sh->budget--;
    if (!fails(sh->p, cand, n))
        return false;
    sh->rows = cand;
    sh->n = n;
    sh->steps++;
    return true;
}

static bool drop_rows(shrink *sh)
{
    bool progress = false;
    for (int64_t chunk = sh->n / 2; chunk >= 1 && budget_left(sh); chunk /= 2) {
        int64_t start = 0;
        while (start < sh->n && budget_left(sh)) {
            int64_t end = start + chunk < sh->n ? start + chunk : sh->n;
            int64_t m = sh->n - (end - start);
            lm_value **cand = lm_arena_calloc(sh->a, (size_t)(m ? m : 1), sizeof *cand);
            if (cand == NULL) {
                sh->p->oom = true;
                return progress;
            }
            memcpy(cand, sh->rows, sizeof *cand * (size_t)start);
            memcpy(cand + start, sh->rows + end, sizeof *cand * (size_t)(sh->n - end));
            if (try_rows(sh, cand, m))
                progress = true; /* the next chunk now starts at `start` */
            else
                start = end;
        }
    }
    return progress;
}

/* The "zero" of a type: the simplest non-NULL value. */
static bool zero_value(const lm_type *t, lm_arena *a, lm_value *out)
{
    *out = lm_value_null();
    out->is_null = false;
    switch (t->id) {
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        *out = lm_value_str("", 0);
        return true;
    case LM_TYPE_ARRAY:
        out->u.arr = lm_arena_calloc(a, 1, sizeof *out->u.arr);
        return out->u.arr != NULL;
    case LM_TYPE_MAP:
        out->u.map = lm_arena_calloc(a, 1, sizeof *out->u.map);
        return out->u.map != NULL;
    case LM_TYPE_STRUCT: {
        lm_struct_value *sv = lm_arena_alloc(a, sizeof *sv);
        lm_value *fs = lm_arena_calloc(a, (size_t)(t->nfields ? t->nfields : 1), sizeof *fs);
        if (sv == NULL || fs == NULL)
            return false;
        for (int i = 0; i < t->nfields; i++) {
            if (t->fields[i].nullable)
                fs[i] = lm_value_null();
            else if (!zero_value(t->fields[i].type, a, &fs[i]))
                return false;
        }
        sv->n = t->nfields;
        sv->fields = fs;
        out->u.st = sv;
        return true;
    }
    case LM_TYPE_NULL:
        out->is_null = true;
        return true;
    default:
        return true; /* the union is zeroed: 0, 0.0, false, epoch, zero interval */
    }
}

/* Candidates simpler than v, simplest first; returns how many (<= 8). */
static int simpler(const lm_type *t, bool nullable, const lm_value *v, lm_arena *a, lm_value *out)
{
    int n = 0;
    if (v->is_null)
        return 0;
    if (nullable)
        out[n++] = lm_value_null();
    if (zero_value(t, a, &out[n]))
        n++;
    lm_value h = *v;
    switch (t->id) {
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        h.u.i64 = v->u.i64 / 2;
        out[n++] = h;
        break;
    case LM_TYPE_DOUBLE:
        if (isfinite(v->u.f64)) {
            h.u.f64 = trunc(v->u.f64);
            out[n++] = h;
            h.u.f64 = trunc(v->u.f64 / 2);
            out[n++] = h;
        }
        break;
    case LM_TYPE_FLOAT:
        if (isfinite(v->u.f32)) {
            h.u.f32 = truncf(v->u.f32);
            out[n++] = h;
            h.u.f32 = truncf(v->u.f32 / 2);
            out[n++] = h;
        }
        break;
    case LM_TYPE_DECIMAL:
        h.u.dec = v->u.dec / 10;
        out[n++] = h;
        break;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        if (v->u.str.len > 1) {
            h.u.str.len = v->u.str.len / 2;
            /* keep UTF-8 whole: back off continuation bytes */
            while (t->id == LM_TYPE_STRING && h.u.str.len > 0 &&
                   ((unsigned char)v->u.str.ptr[h.u.str.len] & 0xc0) == 0x80)
                h.u.str.len--;
            out[n++] = h;
        }
        break;
    case LM_TYPE_ARRAY:
        if (v->u.arr->n > 1) {
            lm_array_value *av = lm_arena_alloc(a, sizeof *av);
            if (av != NULL) {
                av->n = v->u.arr->n - 1;
                av->elems = v->u.arr->elems;
                h.u.arr = av;
                out[n++] = h;
            }
        }
        break;
    case LM_TYPE_MAP:
        if (v->u.map->n > 1) {
            lm_map_value *mv = lm_arena_alloc(a, sizeof *mv);
            if (mv != NULL) {
                *mv = *v->u.map;
                mv->n--;
                h.u.map = mv;
                out[n++] = h;
            }
        }
        break;
    default:
        break;
    }
    return n;
}

/* Whether candidate c is a change from v (exact equality). */
static bool differs(const lm_type *t, const lm_value *v, const lm_value *c)
{
    tk_cmp exact = {0, 0, NULL};
    if (v->is_null != c->is_null)
        return true;
    /* -0.0 and 0.0 are equal in SQL but the zero is still simpler */
    if (!v->is_null && t->id == LM_TYPE_DOUBLE && v->u.f64 == 0 && c->u.f64 == 0)
        return signbit(v->u.f64) && !signbit(c->u.f64);
    if (!v->is_null && t->id == LM_TYPE_FLOAT && v->u.f32 == 0 && c->u.f32 == 0)
        return signbit(v->u.f32) && !signbit(c->u.f32);
    return !tk_value_equal(&exact, t, v, t, c);
}

static bool simplify_cells(shrink *sh)
{
    const lm_type *schema = sh->p->schema;
    int ncols = schema->nfields;
    bool progress = false;
    for (int64_t i = 0; i < sh->n && budget_left(sh); i++) {
        for (int c = 0; c < ncols && budget_left(sh); c++) {
            lm_value cands[8];
            const lm_field *f = &schema->fields[c];
            int nc = simpler(f->type, f->nullable, &sh->rows[i][c], sh->a, cands);
            for (int k = 0; k < nc && budget_left(sh); k++) {
                if (!differs(f->type, &sh->rows[i][c], &cands[k]))
                    continue;
                lm_value *row = lm_arena_alloc(sh->a, sizeof *row * (size_t)ncols);
                lm_value **rows = lm_arena_alloc(sh->a, sizeof *rows * (size_t)sh->n);
                if (row == NULL || rows == NULL) {
                    sh->p->oom = true;
                    return progress;
                }
                memcpy(row, sh->rows[i], sizeof *row * (size_t)ncols);
                row[c] = cands[k];
                memcpy(rows, sh->rows, sizeof *rows * (size_t)sh->n);
                rows[i] = row;
                if (try_rows(sh, rows, sh->n)) {
                    progress = true;
                    /* the new value may simplify further: retry this cell */
                    nc = simpler(f->type, f->nullable, &sh->rows[i][c], sh->a, cands);
                    k = -1;
                }
            }
        }
    }
    return progress;
}

/* ------------------------------------------------------------- report */

static void input_table(lm_strbuf *sb, prop_run *p, lm_value *const *rows, int64_t n)
{
    lm_table *t = tk_table_of_rows(p->schema, rows, n);
    lm_df *df = t ? tk_df_from_table(p->s, t) : NULL;
    char *text = df ? lm_df_show_string(df, (int)(n > 0 ? n : 1), 0, false) : NULL;
    if (text) {
        lm_strbuf_puts(sb, text);
        free(text);
    } else {
        sb->failed = true;
    }
    lm_df_free(df);
}

static void input_tuples(lm_strbuf *sb, prop_run *p, lm_value *const *rows, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        lm_strbuf_puts(sb, i ? ", (" : "(");
        for (int c = 0; c < p->schema->nfields; c++) {
            if (c)
                lm_strbuf_puts(sb, ", ");
            tk_render_cell(sb, p->schema->fields[c].type, &rows[i][c], p->s->tz);
        }
        lm_strbuf_putc(sb, ')');
    }
    if (n == 0)
        lm_strbuf_puts(sb, "no rows");
}

static uint64_t env_u64(const char *name, uint64_t dflt, bool *set)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return dflt;
    char *end;
    unsigned long long x = strtoull(v, &end, 0);
    if (*end != '\0')
        return dflt;
    if (set)
        *set = true;
    return (uint64_t)x;
}

lmt_result lmt_property_check(lm_session *s, const char *schema_ddl, lmt_property_fn fn, void *ctx,
                              const lmt_property_opts *opts)
{
    lmt_result res = {LMT_ERROR, NULL, 0, 0};
    if (s == NULL || schema_ddl == NULL || fn == NULL) {
        res.report = strdup("[ERROR] lmt_property_check: NULL argument");
        return res;
    }
    lmt_property_opts o = opts ? *opts : lmt_property_opts_default();
    o.seed = env_u64("LMT_SEED", o.seed, NULL);
    o.trials = (int)env_u64("LMT_TRIALS", (uint64_t)(o.trials > 0 ? o.trials : 100), NULL);
    if (o.trials <= 0)
        o.trials = 100;
    if (o.view == NULL || *o.view == '\0')
        o.view = "input";
    if (o.max_shrinks < 0)
        o.max_shrinks = 0;
    char *err = NULL;
    lm_type *schema = tk_parse_schema(schema_ddl, &err);
    if (schema == NULL) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb, "[ERROR] bad schema for the property: %s", err ? err : "");
        free(err);
        res.report = lm_strbuf_detach(&sb);
        return res;
    }
    tk_style st = tk_style_resolve(LMT_COLOR_NEVER, LMT_FORMAT_AUTO, 0, false, false);
    prop_run p = {s, schema, fn, ctx, o.view, 0, NULL, false};
    lm_arena a;
    lm_arena_init(&a, 64 * 1024);
    int64_t lo = o.gen.min_rows > 0 ? o.gen.min_rows : 0;
    int64_t hi = o.gen.max_rows > lo ? o.gen.max_rows : lo;
    int failed_trial = -1;
    lm_value **rows = NULL;
    int64_t n = 0;
    for (int trial = 0; trial < o.trials && failed_trial < 0 && !p.oom; trial++) {
        lm_arena_free(&a);
        tk_rng r;
        tk_rng_seed(&r, tk_mix64(o.seed) ^ tk_mix64((uint64_t)trial + 1));
        int64_t cap = lo + (hi - lo) * (trial + 1) / o.trials;
        n = lo + (int64_t)(tk_rng_next(&r) % (uint64_t)(cap - lo + 1));
        if (!tk_gen_rows(schema, &r, &o.gen, n, &a, &rows)) {
            p.oom = true;
            break;
        }
        if (fails(&p, rows, n))
            failed_trial = trial;
    }
    if (p.oom) {
        res.report = strdup("[ERROR] out of memory in the property check");
    } else if (failed_trial < 0) {
        res.outcome = LMT_EQUAL;
        res.total = o.trials;
    } else {
        int64_t original = n;
        char *first_why = p.why ? strdup(p.why) : NULL;
        shrink sh = {&p, &a, o.max_shrinks, rows, n, 0};
        while (budget_left(&sh)) {
            /* both steps each round: fewer rows make cell shrinking cheaper,
               simpler cells can let more rows go */
            bool dropped = drop_rows(&sh);
            bool simplified = simplify_cells(&sh);
            if (!dropped && !simplified)
                break;
        }
        /* the last run may have been a candidate that passed: re-run the
           smallest input so the explanation is its own */
        if (!p.oom)
            fails(&p, sh.rows, sh.n);
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_printf(&sb,
                         "[PROPERTY_FAILED] Property failed on trial %d of %d (seed %" PRIu64
                         "; reproduce with LMT_SEED=%" PRIu64 ")",
                         failed_trial + 1, o.trials, o.seed, o.seed);
        const char *why = p.why ? p.why : first_why;
        if (st.compact) {
            if (why) {
                size_t wl = strcspn(why, "\n");
                lm_strbuf_puts(&sb, ": ");
                lm_strbuf_append(&sb, why, wl);
            }
            lm_strbuf_puts(&sb, "; smallest input: ");
            input_tuples(&sb, &p, sh.rows, sh.n);
        } else {
            lm_strbuf_putc(&sb, '\n');
            if (why)
                lm_strbuf_printf(&sb, "%s\n", why);
            lm_strbuf_printf(&sb,
                             "smallest failing input (view `%s`, %lld %s, shrunk from %lld in %d "
                             "step%s):\n",
                             o.view, (long long)sh.n, sh.n == 1 ? "row" : "rows",
                             (long long)original, sh.steps, sh.steps == 1 ? "" : "s");
            input_table(&sb, &p, sh.rows, sh.n);
            if (sb.len > 0 && sb.data[sb.len - 1] == '\n')
                sb.data[--sb.len] = '\0';
        }
        free(first_why);
        res.outcome = LMT_PROPERTY_FAILED;
        res.differing = 1;
        res.total = failed_trial + 1;
        res.report = lm_strbuf_detach(&sb);
        if (res.report == NULL) {
            res.outcome = LMT_ERROR;
            res.report = strdup("[ERROR] out of memory");
        }
    }
    lm_catalog_drop(&s->catalog, NULL, o.view);
    free(p.why);
    lm_arena_free(&a);
    lm_type_unref(schema);
    return res;
}
