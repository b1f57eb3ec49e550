/*
 * Stages and their Params: creation by pyspark.ml class name, uids,
 * setting Params with Spark's validation, reading Params and model
 * attributes, and the generic fit / transform / evaluate entry points.
 *
 * Params follow Spark's Params trait: a Param is "set" when the user gave
 * it a value, "defined" when it is set or has a default. Setting an
 * unknown Param fails as Params.getParam does (NoSuchElementException);
 * a value outside the validator fails as Param.validate does
 * (IllegalArgumentException "<uid> parameter <name> given invalid value
 * <value>.").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/df.h"
#include "ml/ml.h"
#include "session/session.h"

lm_status ml_fail(lm_session *s, const char *exception, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lm_status st = lm_error_vset(&s->error, LM_ERROR, exception, NULL, NULL, fmt, ap);
    va_end(ap);
    return st;
}

/* --------------------------------------------------------------- stages */

/* Identifiable.randomUID is prefix + "_" + 12 hex digits of a random UUID;
   ours come from a per-session counter through a 64-bit mixer, so runs
   are reproducible. */
static void make_uid(lm_session *s, const char *prefix, char *out, size_t cap)
{
    uint64_t z = (uint64_t)++s->next_ml_uid * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    snprintf(out, cap, "%s_%012llx", prefix, (unsigned long long)(z & 0xFFFFFFFFFFFFull));
}

lm_ml_stage *ml_stage_new(lm_session *s, const ml_kind *k)
{
    lm_ml_stage *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    st->vals = calloc((size_t)k->nparams + 1, sizeof *st->vals);
    if (st->vals == NULL) {
        free(st);
        return NULL;
    }
    st->s = s;
    st->kind = k;
    st->refcount = 1;
    make_uid(s, k->uid_prefix, st->uid, sizeof st->uid);
    return st;
}

lm_ml_stage *ml_stage_ref(lm_ml_stage *st)
{
    if (st)
        st->refcount++;
    return st;
}

static void val_clear(ml_param_val *v)
{
    free(v->str);
    for (int i = 0; v->strs && i < v->n; i++)
        free(v->strs[i]);
    free(v->strs);
    free(v->nums);
    for (int i = 0; v->stages && i < v->n; i++)
        lm_ml_free(v->stages[i]);
    free(v->stages);
    ml_grid_free(v->grid);
    memset(v, 0, sizeof *v);
}

void lm_ml_free(lm_ml_stage *st)
{
    if (st == NULL || --st->refcount > 0)
        return;
    for (int i = 0; i < st->kind->nparams; i++)
        val_clear(&st->vals[i]);
    free(st->vals);
    if (st->data && st->kind->free_data)
        st->kind->free_data(st->data);
    lm_df_free(st->summary_df);
    free(st);
}

int ml_param_index(const ml_kind *k, const char *name)
{
    for (int i = 0; i < k->nparams; i++)
        if (strcmp(k->params[i].name, name) == 0)
            return i;
    return -1;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Deep copy of one value; false on OOM. */
static bool val_copy(ml_param_val *dst, const ml_param_val *src)
{
    memset(dst, 0, sizeof *dst);
    dst->set = src->set;
    dst->num = src->num;
    dst->n = src->n;
    if (src->str && (dst->str = dup(src->str)) == NULL)
        return false;
    if (src->strs) {
        if ((dst->strs = calloc((size_t)src->n + 1, sizeof *dst->strs)) == NULL)
            return false;
        for (int i = 0; i < src->n; i++)
            if ((dst->strs[i] = dup(src->strs[i])) == NULL)
                return false;
    }
    if (src->nums) {
        if ((dst->nums = malloc(sizeof *dst->nums * ((size_t)src->n + 1))) == NULL)
            return false;
        memcpy(dst->nums, src->nums, sizeof *dst->nums * (size_t)src->n);
    }
    if (src->stages) {
        if ((dst->stages = calloc((size_t)src->n + 1, sizeof *dst->stages)) == NULL)
            return false;
        for (int i = 0; i < src->n; i++)
            dst->stages[i] = ml_stage_ref(src->stages[i]);
    }
    if (src->grid && (dst->grid = ml_grid_copy(src->grid)) == NULL)
        return false;
    return true;
}

lm_status ml_stage_copy_params(lm_ml_stage *to, const lm_ml_stage *from)
{
    for (int i = 0; i < from->kind->nparams; i++) {
        if (!from->vals[i].set)
            continue;
        int j = ml_param_index(to->kind, from->kind->params[i].name);
        if (j < 0)
            continue;
        val_clear(&to->vals[j]);
        if (!val_copy(&to->vals[j], &from->vals[i])) {
            val_clear(&to->vals[j]);
            return lm_error_oom(&to->s->error);
        }
    }
    return LM_OK;
}

lm_ml_stage *ml_stage_copy(const lm_ml_stage *st)
{
    lm_ml_stage *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    *c = *st;
    c->refcount = 1;
    c->data = NULL;
    c->summary_df = NULL;
    c->vals = calloc((size_t)st->kind->nparams + 1, sizeof *c->vals);
    if (c->vals == NULL) {
        free(c);
        return NULL;
    }
    if (ml_stage_copy_params(c, st) != LM_OK) {
        lm_ml_free(c);
        return NULL;
    }
    return c;
}

/* ---------------------------------------------------------- param reads */

static const ml_param_val *val_of(const lm_ml_stage *st, const char *name, const ml_param_def **d)
{
    int i = ml_param_index(st->kind, name);
    if (i < 0)
        return NULL;
    *d = &st->kind->params[i];
    return &st->vals[i];
}

double ml_num(const lm_ml_stage *st, const char *name)
{
    const ml_param_def *d = NULL;
    const ml_param_val *v = val_of(st, name, &d);
    if (v == NULL)
        return 0.0;
    return v->set ? v->num : d->dnum;
}

int64_t ml_int(const lm_ml_stage *st, const char *name)
{
    return (int64_t)ml_num(st, name);
}

bool ml_bool(const lm_ml_stage *st, const char *name)
{
    return ml_num(st, name) != 0.0;
}

const char *ml_str(const lm_ml_stage *st, const char *name)
{
    const ml_param_def *d = NULL;
    const ml_param_val *v = val_of(st, name, &d);
    if (v == NULL)
        return NULL;
    return v->set ? v->str : d->dstr;
}

bool ml_is_set(const lm_ml_stage *st, const char *name)
{
    const ml_param_def *d = NULL;
    const ml_param_val *v = val_of(st, name, &d);
    return v && v->set;
}

bool ml_is_defined(const lm_ml_stage *st, const char *name)
{
    const ml_param_def *d = NULL;
    const ml_param_val *v = val_of(st, name, &d);
    return v && (v->set || d->has_default);
}

int ml_strs(const lm_ml_stage *st, const char *name, char ***out)
{
    const ml_param_def *d = NULL;
    const ml_param_val *v = val_of(st, name, &d);
    *out = v && v->set ? v->strs : NULL;
    return v && v->set ? v->n : 0;
}

int ml_nums(const lm_ml_stage *st, const char *name, double **out)
{
    const ml_param_def *d = NULL;
    const ml_param_val *v = val_of(st, name, &d);
    *out = v && v->set ? v->nums : NULL;
    return v && v->set ? v->n : 0;
}

/* --------------------------------------------------------- param writes */

static lm_status no_such_param(lm_ml_stage *st, const char *name)
{
    return ml_fail(st->s, "java.util.NoSuchElementException", "Param %s does not exist.", name);
}

static lm_status invalid_value(lm_ml_stage *st, const char *name, const char *text)
{
    return ml_fail(st->s, ML_EXC_IAE, "%s parameter %s given invalid value %s.", st->uid, name,
                   text);
}

static lm_status wrong_type(lm_ml_stage *st, const ml_param_def *d)
{
    static const char *const names[] = {"boolean", "int",          "double",
                                        "string",  "string array", "double array",
                                        "stage",   "stage array",  "param maps"};
    return ml_fail(st->s, ML_EXC_IAE, "%s parameter %s takes a %s value.", st->uid, d->name,
                   names[d->type]);
}

static bool in_range(const ml_param_def *d, double v)
{
    if ((d->range & ML_R_GE) && !(v >= d->lo))
        return false;
    if ((d->range & ML_R_GT) && !(v > d->lo))
        return false;
    if ((d->range & ML_R_LE) && !(v <= d->hi))
        return false;
    if ((d->range & ML_R_LT) && !(v < d->hi))
        return false;
    return true;
}

static bool in_choices(const char *choices, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = choices; *p;) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncasecmp(p, v, n) == 0)
            return true;
        p += len + (e != NULL);
    }
    return false;
}

static lm_status find_param(lm_ml_stage *st, const char *name, ml_param_def const **d,
                            ml_param_val **v)
{
    if (st == NULL)
        return LM_ERROR;
    lm_error_clear(&st->s->error);
    int i = ml_param_index(st->kind, name);
    if (i < 0)
        return no_such_param(st, name);
    *d = &st->kind->params[i];
    *v = &st->vals[i];
    return LM_OK;
}

lm_status ml_set_num(lm_ml_stage *st, const char *name, double x)
{
    const ml_param_def *d = NULL;
    ml_param_val *v = NULL;
    if (find_param(st, name, &d, &v) != LM_OK)
        return LM_ERROR;
    if (d->type != ML_P_BOOL && d->type != ML_P_INT && d->type != ML_P_DOUBLE)
        return wrong_type(st, d);
    if (!in_range(d, x) || (d->type == ML_P_INT && x != (double)(int64_t)x)) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        if (d->type == ML_P_DOUBLE)
            ml_put_double(&sb, x);
        else
            lm_strbuf_printf(&sb, "%lld", (long long)x);
        lm_status r = invalid_value(st, name, lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        return r;
    }
    val_clear(v);
    v->set = true;
    v->num = d->type == ML_P_BOOL ? (x != 0.0) : x;
    return LM_OK;
}

lm_status ml_set_str(lm_ml_stage *st, const char *name, const char *x)
{
    const ml_param_def *d = NULL;
    ml_param_val *v = NULL;
    if (find_param(st, name, &d, &v) != LM_OK)
        return LM_ERROR;
    if (d->type != ML_P_STRING)
        return wrong_type(st, d);
    if (x == NULL || (d->choices && !in_choices(d->choices, x)))
        return invalid_value(st, name, x ? x : "null");
    char *c = dup(x);
    if (c == NULL)
        return lm_error_oom(&st->s->error);
    val_clear(v);
    v->set = true;
    v->str = c;
    return LM_OK;
}

lm_status ml_set_strs(lm_ml_stage *st, const char *name, int n, const char *const *x)
{
    const ml_param_def *d = NULL;
    ml_param_val *v = NULL;
    if (find_param(st, name, &d, &v) != LM_OK)
        return LM_ERROR;
    if (d->type != ML_P_STRINGS)
        return wrong_type(st, d);
    ml_param_val nv = {0};
    nv.set = true;
    nv.n = n;
    nv.strs = calloc((size_t)n + 1, sizeof *nv.strs);
    bool ok = nv.strs != NULL;
    for (int i = 0; ok && i < n; i++)
        ok = x[i] && (nv.strs[i] = dup(x[i])) != NULL;
    if (!ok) {
        val_clear(&nv);
        return lm_error_oom(&st->s->error);
    }
    val_clear(v);
    *v = nv;
    return LM_OK;
}

lm_status ml_set_nums(lm_ml_stage *st, const char *name, int n, const double *x)
{
    const ml_param_def *d = NULL;
    ml_param_val *v = NULL;
    if (find_param(st, name, &d, &v) != LM_OK)
        return LM_ERROR;
    if (d->type != ML_P_DOUBLES)
        return wrong_type(st, d);
    for (int i = 0; i < n; i++)
        if (!in_range(d, x[i])) {
            lm_strbuf sb;
            lm_strbuf_init(&sb);
            lm_strbuf_putc(&sb, '[');
            for (int j = 0; j < n; j++) {
                if (j)
                    lm_strbuf_putc(&sb, ',');
                ml_put_double(&sb, x[j]);
            }
            lm_strbuf_putc(&sb, ']');
            lm_status r = invalid_value(st, name, lm_strbuf_cstr(&sb));
            lm_strbuf_free(&sb);
            return r;
        }
    double *c = malloc(sizeof *c * ((size_t)n + 1));
    if (c == NULL)
        return lm_error_oom(&st->s->error);
    if (n > 0)
        memcpy(c, x, sizeof *c * (size_t)n);
    val_clear(v);
    v->set = true;
    v->n = n;
    v->nums = c;
    return LM_OK;
}

/* ------------------------------------------------------------ public API */

lm_ml_stage *lm_ml_new(lm_session *s, const char *class_name)
{
    lm_error_clear(&s->error);
    const ml_kind *k = class_name ? ml_kind_find(class_name) : NULL;
    if (k == NULL) {
        ml_fail(s, ML_EXC_IAE, "unknown ML class: %s", class_name ? class_name : "null");
        return NULL;
    }
    if (k->role == ML_MODEL) {
        ml_fail(s, ML_EXC_IAE, "%s is created by fitting its estimator or by lm_ml_load",
                class_name);
        return NULL;
    }
    lm_ml_stage *st = ml_stage_new(s, k);
    if (st == NULL)
        lm_error_oom(&s->error);
    return st;
}

const char *lm_ml_class(const lm_ml_stage *st)
{
    return st ? st->kind->name : NULL;
}

const char *lm_ml_uid(const lm_ml_stage *st)
{
    return st ? st->uid : NULL;
}

lm_status lm_ml_set_int(lm_ml_stage *st, const char *param, int64_t v)
{
    return ml_set_num(st, param, (double)v);
}

lm_status lm_ml_set_double(lm_ml_stage *st, const char *param, double v)
{
    const ml_param_def *d = NULL;
    ml_param_val *pv;
    if (find_param(st, param, &d, &pv) != LM_OK)
        return LM_ERROR;
    /* Spark accepts an integral double for an IntParam only from Python,
       where the value is converted; we do the same */
    return ml_set_num(st, param, v);
}

lm_status lm_ml_set_bool(lm_ml_stage *st, const char *param, bool v)
{
    const ml_param_def *d = NULL;
    ml_param_val *pv;
    if (find_param(st, param, &d, &pv) != LM_OK)
        return LM_ERROR;
    if (d->type != ML_P_BOOL)
        return wrong_type(st, d);
    return ml_set_num(st, param, v ? 1.0 : 0.0);
}

lm_status lm_ml_set_string(lm_ml_stage *st, const char *param, const char *v)
{
    return ml_set_str(st, param, v);
}

lm_status lm_ml_set_strings(lm_ml_stage *st, const char *param, int n, const char *const *v)
{
    return ml_set_strs(st, param, n, v);
}

lm_status lm_ml_set_doubles(lm_ml_stage *st, const char *param, int n, const double *v)
{
    return ml_set_nums(st, param, n, v);
}

lm_status lm_ml_set_stages(lm_ml_stage *st, const char *param, int n, lm_ml_stage *const *stages)
{
    const ml_param_def *d = NULL;
    ml_param_val *v = NULL;
    if (find_param(st, param, &d, &v) != LM_OK)
        return LM_ERROR;
    if (d->type != ML_P_STAGES && !(d->type == ML_P_STAGE && n == 1))
        return wrong_type(st, d);
    for (int i = 0; i < n; i++)
        if (stages[i] == NULL)
            return invalid_value(st, param, "null");
    lm_ml_stage **c = calloc((size_t)n + 1, sizeof *c);
    if (c == NULL)
        return lm_error_oom(&st->s->error);
    for (int i = 0; i < n; i++)
        c[i] = ml_stage_ref(stages[i]);
    val_clear(v);
    v->set = true;
    v->n = n;
    v->stages = c;
    return LM_OK;
}

/* Reads an attribute of a fitted model, then a Param. */
static lm_status get_any(const lm_ml_stage *st, const char *name, ml_attr *a)
{
    if (st == NULL)
        return LM_ERROR;
    memset(a, 0, sizeof *a);
    if (st->kind->attr && st->data && st->kind->attr(st, name, a))
        return LM_OK;
    int i = ml_param_index(st->kind, name);
    if (i < 0)
        return ml_fail(st->s, "java.util.NoSuchElementException", "Param %s does not exist.", name);
    const ml_param_def *d = &st->kind->params[i];
    const ml_param_val *v = &st->vals[i];
    if (!v->set && !d->has_default)
        return ml_fail(st->s, "java.util.NoSuchElementException",
                       "Failed to find a default value for %s", name);
    switch (d->type) {
    case ML_P_BOOL:
    case ML_P_INT:
        a->type = ML_A_INT;
        a->i = (int64_t)(v->set ? v->num : d->dnum);
        a->d = (double)a->i;
        return LM_OK;
    case ML_P_DOUBLE:
        a->type = ML_A_DOUBLE;
        a->d = v->set ? v->num : d->dnum;
        return LM_OK;
    case ML_P_STRING:
        a->type = ML_A_STRING;
        a->s = v->set ? v->str : d->dstr;
        return LM_OK;
    case ML_P_STRINGS:
        a->type = ML_A_STRINGS;
        a->n = v->n;
        a->sv = (const char *const *)v->strs;
        return LM_OK;
    case ML_P_DOUBLES:
        a->type = ML_A_DOUBLES;
        a->n = v->n;
        a->dv = v->nums;
        return LM_OK;
    default:
        return ml_fail(st->s, ML_EXC_IAE, "Param %s is not a value", name);
    }
}

lm_status lm_ml_get_double(const lm_ml_stage *st, const char *name, double *out)
{
    ml_attr a;
    if (get_any(st, name, &a) != LM_OK)
        return LM_ERROR;
    if (a.type == ML_A_INT)
        *out = (double)a.i;
    else if (a.type == ML_A_DOUBLE)
        *out = a.d;
    else
        return ml_fail(st->s, ML_EXC_IAE, "%s is not a number", name);
    return LM_OK;
}

lm_status lm_ml_get_int(const lm_ml_stage *st, const char *name, int64_t *out)
{
    ml_attr a;
    if (get_any(st, name, &a) != LM_OK)
        return LM_ERROR;
    if (a.type == ML_A_INT)
        *out = a.i;
    else if (a.type == ML_A_DOUBLE)
        *out = (int64_t)a.d;
    else
        return ml_fail(st->s, ML_EXC_IAE, "%s is not a number", name);
    return LM_OK;
}

const char *lm_ml_get_string(const lm_ml_stage *st, const char *name)
{
    ml_attr a;
    if (get_any(st, name, &a) != LM_OK || a.type != ML_A_STRING)
        return NULL;
    return a.s;
}

int lm_ml_get_doubles(const lm_ml_stage *st, const char *name, const double **out)
{
    ml_attr a;
    *out = NULL;
    if (get_any(st, name, &a) != LM_OK)
        return -1;
    if (a.type != ML_A_DOUBLES) {
        ml_fail(st->s, ML_EXC_IAE, "%s is not an array of numbers", name);
        return -1;
    }
    *out = a.dv;
    return a.n;
}

int lm_ml_get_strings(const lm_ml_stage *st, const char *name, const char *const **out)
{
    ml_attr a;
    *out = NULL;
    if (get_any(st, name, &a) != LM_OK)
        return -1;
    if (a.type != ML_A_STRINGS) {
        ml_fail(st->s, ML_EXC_IAE, "%s is not an array of strings", name);
        return -1;
    }
    *out = a.sv;
    return a.n;
}

bool lm_ml_is_set(const lm_ml_stage *st, const char *param)
{
    return st && ml_is_set(st, param);
}

lm_df *lm_ml_transform(lm_ml_stage *st, lm_df *df)
{
    if (st == NULL || df == NULL)
        return NULL;
    lm_error_clear(&st->s->error);
    if (st->kind->transform == NULL) {
        ml_fail(st->s, ML_EXC_IAE, "%s is not a Transformer", st->kind->name);
        return NULL;
    }
    return st->kind->transform(st, df);
}

lm_ml_stage *lm_ml_fit(lm_ml_stage *est, lm_df *df)
{
    if (est == NULL || df == NULL)
        return NULL;
    lm_session *s = est->s;
    lm_error_clear(&s->error);
    if (est->kind->fit == NULL) {
        ml_fail(s, ML_EXC_IAE, "%s is not an Estimator", est->kind->name);
        return NULL;
    }
    const ml_kind *mk = ml_kind_find(est->kind->model_kind);
    lm_ml_stage *m = mk ? ml_stage_new(s, mk) : NULL;
    if (m == NULL) {
        lm_error_oom(&s->error);
        return NULL;
    }
    /* a model carries its estimator's uid, as Spark's copyValues(new
       XModel(uid, ...)) does */
    memcpy(m->uid, est->uid, sizeof m->uid);
    if (ml_stage_copy_params(m, est) != LM_OK || est->kind->fit(est, df, m) != LM_OK) {
        lm_ml_free(m);
        return NULL;
    }
    return m;
}

lm_status lm_ml_evaluate(lm_ml_stage *ev, lm_df *df, double *out)
{
    if (ev == NULL || df == NULL)
        return LM_ERROR;
    lm_error_clear(&ev->s->error);
    if (ev->kind->evaluate == NULL)
        return ml_fail(ev->s, ML_EXC_IAE, "%s is not an Evaluator", ev->kind->name);
    return ev->kind->evaluate(ev, df, out);
}

bool lm_ml_is_larger_better(const lm_ml_stage *ev)
{
    return ev && ev->kind->larger_better ? ev->kind->larger_better(ev) : true;
}

lm_df *lm_ml_summary(lm_ml_stage *model)
{
    if (model == NULL)
        return NULL;
    if (model->summary_df == NULL) {
        ml_fail(model->s, "java.lang.RuntimeException", "No training summary available for this %s",
                model->kind->name);
        return NULL;
    }
    model->summary_df->refcount++;
    return model->summary_df;
}

bool ml_attr_double(ml_attr *out, double d)
{
    out->type = ML_A_DOUBLE;
    out->d = d;
    return true;
}

bool ml_attr_doubles(ml_attr *out, int n, const double *v)
{
    out->type = ML_A_DOUBLES;
    out->n = n;
    out->dv = v;
    return true;
}
