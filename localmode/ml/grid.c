/*
 * ParamGridBuilder and ParamMaps. A grid is the cartesian product of the
 * values given per (stage, Param), built in pyspark's order
 * (itertools.product over the Params in the order they were added: the
 * last Param varies fastest). Applying a ParamMap to a stage copies it
 * with the map's values set; a Pipeline passes the map on to its stages,
 * so a grid can address any stage inside it, as Spark's copy(extra) does.
 */
#include <stdlib.h>
#include <string.h>

#include "ml/ml.h"
#include "session/session.h"

struct lm_param_grid {
    int naxes;
    struct axis {
        char *uid;
        char *param;
        ml_ptype type;
        int n;
        double *nums;
        char **strs;
    } * axes;
};

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

lm_param_grid *lm_param_grid_new(void)
{
    return calloc(1, sizeof(lm_param_grid));
}

void lm_param_grid_free(lm_param_grid *g)
{
    if (g == NULL)
        return;
    for (int i = 0; i < g->naxes; i++) {
        free(g->axes[i].uid);
        free(g->axes[i].param);
        free(g->axes[i].nums);
        for (int k = 0; g->axes[i].strs && k < g->axes[i].n; k++)
            free(g->axes[i].strs[k]);
        free(g->axes[i].strs);
    }
    free(g->axes);
    free(g);
}

/* Adds (or replaces, as a dict key would) the values of one Param. */
static lm_status add_axis(lm_param_grid *g, lm_ml_stage *st, const char *param, int n,
                          const double *nums, const char *const *strs)
{
    if (g == NULL || st == NULL)
        return LM_ERROR;
    int pi = ml_param_index(st->kind, param);
    if (pi < 0)
        return ml_fail(st->s, "java.util.NoSuchElementException", "Param %s does not exist.",
                       param);
    ml_ptype pt = st->kind->params[pi].type;
    if ((strs && pt != ML_P_STRING) ||
        (!strs && pt != ML_P_BOOL && pt != ML_P_INT && pt != ML_P_DOUBLE))
        return ml_fail(st->s, ML_EXC_IAE, "%s parameter %s cannot take these grid values", st->uid,
                       param);
    struct axis ax = {0};
    ax.uid = dup(st->uid);
    ax.param = dup(param);
    ax.type = pt;
    ax.n = n;
    ax.nums = nums ? malloc(sizeof *ax.nums * ((size_t)n + 1)) : NULL;
    ax.strs = strs ? calloc((size_t)n + 1, sizeof *ax.strs) : NULL;
    bool ok = ax.uid && ax.param && (nums ? ax.nums != NULL : ax.strs != NULL);
    for (int i = 0; ok && i < n; i++) {
        if (nums)
            ax.nums[i] = nums[i];
        else
            ok = (ax.strs[i] = dup(strs[i])) != NULL;
    }
    int at = g->naxes;
    for (int i = 0; i < g->naxes; i++)
        if (strcmp(g->axes[i].uid, ax.uid) == 0 && strcmp(g->axes[i].param, param) == 0)
            at = i;
    struct axis *na =
        ok && at == g->naxes ? realloc(g->axes, sizeof *na * ((size_t)g->naxes + 1)) : g->axes;
    if (!ok || na == NULL) {
        free(ax.uid);
        free(ax.param);
        free(ax.nums);
        for (int i = 0; ax.strs && i < n; i++)
            free(ax.strs[i]);
        free(ax.strs);
        return lm_error_oom(&st->s->error);
    }
    g->axes = na;
    if (at < g->naxes) {
        struct axis old = g->axes[at];
        free(old.uid);
        free(old.param);
        free(old.nums);
        for (int i = 0; old.strs && i < old.n; i++)
            free(old.strs[i]);
        free(old.strs);
    } else {
        g->naxes++;
    }
    g->axes[at] = ax;
    return LM_OK;
}

lm_status lm_param_grid_add_doubles(lm_param_grid *g, lm_ml_stage *st, const char *param, int n,
                                    const double *values)
{
    return add_axis(g, st, param, n, values, NULL);
}

lm_status lm_param_grid_add_ints(lm_param_grid *g, lm_ml_stage *st, const char *param, int n,
                                 const int64_t *values)
{
    double *d = malloc(sizeof *d * ((size_t)n + 1));
    if (d == NULL)
        return st ? lm_error_oom(&st->s->error) : LM_ENOMEM;
    for (int i = 0; i < n; i++)
        d[i] = (double)values[i];
    lm_status r = add_axis(g, st, param, n, d, NULL);
    free(d);
    return r;
}

lm_status lm_param_grid_add_bools(lm_param_grid *g, lm_ml_stage *st, const char *param, int n,
                                  const bool *values)
{
    double *d = malloc(sizeof *d * ((size_t)n + 1));
    if (d == NULL)
        return st ? lm_error_oom(&st->s->error) : LM_ENOMEM;
    for (int i = 0; i < n; i++)
        d[i] = values[i] ? 1.0 : 0.0;
    lm_status r = add_axis(g, st, param, n, d, NULL);
    free(d);
    return r;
}

lm_status lm_param_grid_add_strings(lm_param_grid *g, lm_ml_stage *st, const char *param, int n,
                                    const char *const *values)
{
    return add_axis(g, st, param, n, NULL, values);
}

int lm_param_grid_size(const lm_param_grid *g)
{
    if (g == NULL)
        return 0;
    int n = 1;
    for (int i = 0; i < g->naxes; i++)
        n *= g->axes[i].n;
    return n;
}

/* ------------------------------------------------------------ ParamMaps */

void ml_grid_free(ml_grid *g)
{
    if (g == NULL)
        return;
    for (int i = 0; i < g->nmaps; i++) {
        for (int k = 0; k < g->maps[i].n; k++) {
            free(g->maps[i].e[k].uid);
            free(g->maps[i].e[k].param);
            free(g->maps[i].e[k].str);
        }
        free(g->maps[i].e);
    }
    free(g->maps);
    free(g);
}

ml_grid *ml_grid_copy(const ml_grid *src)
{
    ml_grid *g = calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    g->maps = calloc((size_t)src->nmaps + 1, sizeof *g->maps);
    if (g->maps == NULL) {
        free(g);
        return NULL;
    }
    g->nmaps = src->nmaps;
    for (int i = 0; i < src->nmaps; i++) {
        ml_param_map *d = &g->maps[i];
        const ml_param_map *m = &src->maps[i];
        d->e = calloc((size_t)m->n + 1, sizeof *d->e);
        if (d->e == NULL) {
            ml_grid_free(g);
            return NULL;
        }
        d->n = m->n;
        for (int k = 0; k < m->n; k++) {
            d->e[k] = m->e[k];
            d->e[k].uid = dup(m->e[k].uid);
            d->e[k].param = dup(m->e[k].param);
            d->e[k].str = m->e[k].str ? dup(m->e[k].str) : NULL;
            if (!d->e[k].uid || !d->e[k].param || (m->e[k].str && !d->e[k].str)) {
                ml_grid_free(g);
                return NULL;
            }
        }
    }
    return g;
}

/* The product of the axes, last axis fastest (itertools.product). */
static ml_grid *build(const lm_param_grid *pg)
{
    int total = lm_param_grid_size(pg);
    ml_grid *g = calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    g->maps = calloc((size_t)total + 1, sizeof *g->maps);
    if (g->maps == NULL) {
        free(g);
        return NULL;
    }
    g->nmaps = total;
    for (int m = 0; m < total; m++) {
        ml_param_map *pm = &g->maps[m];
        pm->e = calloc((size_t)pg->naxes + 1, sizeof *pm->e);
        if (pm->e == NULL) {
            ml_grid_free(g);
            return NULL;
        }
        pm->n = pg->naxes;
        int rest = m;
        for (int a = pg->naxes - 1; a >= 0; a--) {
            const struct axis *ax = &pg->axes[a];
            int k = rest % ax->n;
            rest /= ax->n;
            ml_grid_entry *e = &pm->e[a];
            e->uid = dup(ax->uid);
            e->param = dup(ax->param);
            e->type = ax->type;
            if (ax->strs)
                e->str = dup(ax->strs[k]);
            else
                e->num = ax->nums[k];
            if (!e->uid || !e->param || (ax->strs && !e->str)) {
                ml_grid_free(g);
                return NULL;
            }
        }
    }
    return g;
}

lm_status lm_ml_set_param_grid(lm_ml_stage *st, const char *param, const lm_param_grid *pg)
{
    if (st == NULL || pg == NULL)
        return LM_ERROR;
    int i = ml_param_index(st->kind, param);
    if (i < 0 || st->kind->params[i].type != ML_P_GRID)
        return ml_fail(st->s, "java.util.NoSuchElementException", "Param %s does not exist.",
                       param);
    ml_grid *g = build(pg);
    if (g == NULL)
        return lm_error_oom(&st->s->error);
    ml_param_val *v = &st->vals[i];
    ml_grid_free(v->grid);
    v->grid = g;
    v->set = true;
    return LM_OK;
}

lm_ml_stage *ml_apply_param_map(const lm_ml_stage *st, const ml_param_map *m)
{
    lm_ml_stage *c = ml_stage_copy(st);
    if (c == NULL) {
        lm_error_oom(&st->s->error);
        return NULL;
    }
    for (int k = 0; k < m->n; k++) {
        const ml_grid_entry *e = &m->e[k];
        if (strcmp(e->uid, st->uid) != 0)
            continue;
        lm_status r = e->type == ML_P_STRING ? ml_set_str(c, e->param, e->str)
                                             : ml_set_num(c, e->param, e->num);
        if (r != LM_OK) {
            lm_ml_free(c);
            return NULL;
        }
    }
    /* a Pipeline hands the map to each of its stages */
    int si = ml_param_index(c->kind, "stages");
    if (si >= 0 && c->vals[si].stages) {
        ml_param_val *v = &c->vals[si];
        for (int i = 0; i < v->n; i++) {
            lm_ml_stage *ch = ml_apply_param_map(v->stages[i], m);
            if (ch == NULL) {
                lm_ml_free(c);
                return NULL;
            }
            lm_ml_free(v->stages[i]);
            v->stages[i] = ch;
        }
    }
    return c;
}
