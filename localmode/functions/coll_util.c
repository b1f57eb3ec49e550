/*
 * Shared helpers of the collection families (see coll_util.h).
 */
#include "functions/coll_util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "render/render.h"
#include "session/session.h"

/* ---------------------------------------------------------------- results */

lm_status cu_out_map(lm_eval_ctx *ec, lm_value *out, lm_value *keys, lm_value *vals, int32_t n)
{
    lm_map_value *m = fn_alloc(ec, sizeof *m);
    if (m == NULL)
        return LM_ENOMEM;
    m->n = n;
    m->keys = keys;
    m->values = vals;
    *out = lm_value_null();
    out->is_null = false;
    out->u.map = m;
    return LM_OK;
}

lm_status cu_out_struct(lm_eval_ctx *ec, lm_value *out, lm_value *fields, int32_t n)
{
    lm_struct_value *s = fn_alloc(ec, sizeof *s);
    if (s == NULL)
        return LM_ENOMEM;
    s->n = n;
    s->fields = fields;
    *out = lm_value_null();
    out->is_null = false;
    out->u.st = s;
    return LM_OK;
}

lm_status cu_out_empty_array(lm_eval_ctx *ec, lm_value *out)
{
    lm_value *e = fn_values(ec, 1);
    return e ? fn_out_array(ec, out, e, 0) : LM_ENOMEM;
}

/* ------------------------------------------------------------ value sets */

void cu_vset_init(cu_vset *s, lm_eval_ctx *ec, const lm_type *type)
{
    memset(s, 0, sizeof *s);
    s->ec = ec;
    s->type = type;
}

static uint64_t vset_hash(const cu_vset *s, const lm_value *v)
{
    return lm_value_hash(s->type, v, 0x9e3779b97f4a7c15ULL);
}

int32_t cu_vset_find(const cu_vset *s, const lm_value *v)
{
    if (s->cap == 0)
        return -1;
    uint32_t mask = (uint32_t)s->cap - 1;
    for (uint32_t i = (uint32_t)vset_hash(s, v) & mask;; i = (i + 1) & mask) {
        int32_t k = s->slots[i];
        if (k == 0)
            return -1;
        if (lm_value_equal(s->type, &s->vals[k - 1], v))
            return k - 1;
    }
}

/* Doubles the slot table (rehashing every value) once it is half full. */
static lm_status vset_grow(cu_vset *s)
{
    int32_t cap = s->cap ? s->cap * 2 : 16;
    int32_t *slots = lm_arena_calloc(s->ec->arena, (size_t)cap, sizeof *slots);
    if (slots == NULL)
        return lm_error_oom(s->ec->err);
    uint32_t mask = (uint32_t)cap - 1;
    for (int32_t k = 0; k < s->n; k++) {
        uint32_t i = (uint32_t)vset_hash(s, &s->vals[k]) & mask;
        while (slots[i])
            i = (i + 1) & mask;
        slots[i] = k + 1;
    }
    s->slots = slots;
    s->cap = cap;
    return LM_OK;
}

lm_status cu_vset_add(cu_vset *s, const lm_value *v, int32_t *index, bool *added)
{
    int32_t k = cu_vset_find(s, v);
    if (k >= 0) {
        *index = k;
        *added = false;
        return LM_OK;
    }
    if ((s->n + 1) * 2 > s->cap && vset_grow(s) != LM_OK)
        return LM_ENOMEM;
    if (s->n == s->vcap) {
        int32_t vcap = s->vcap ? s->vcap * 2 : 16;
        lm_value *vals = fn_values(s->ec, (size_t)vcap);
        if (vals == NULL)
            return LM_ENOMEM;
        if (s->n)
            memcpy(vals, s->vals, sizeof *vals * (size_t)s->n);
        s->vals = vals;
        s->vcap = vcap;
    }
    s->vals[s->n] = *v;
    uint32_t mask = (uint32_t)s->cap - 1;
    uint32_t i = (uint32_t)vset_hash(s, v) & mask;
    while (s->slots[i])
        i = (i + 1) & mask;
    s->slots[i] = s->n + 1;
    *index = s->n++;
    *added = true;
    return LM_OK;
}

/* ----------------------------------------------------------- map builder */

static const char *conf_str(const lm_eval_ctx *ec, const char *key)
{
    if (ec->session == NULL)
        return NULL;
    return lm_conf_get(ec->session->conf, key);
}

bool cu_conf_bool(const lm_eval_ctx *ec, const char *key, bool dflt)
{
    const char *v = conf_str(ec, key);
    if (v == NULL)
        return dflt;
    return strcasecmp(v, "true") == 0;
}

void cu_mb_init(cu_map_builder *b, lm_eval_ctx *ec, const lm_type *key_type)
{
    memset(b, 0, sizeof *b);
    b->ec = ec;
    b->key_type = key_type;
    const char *p = conf_str(ec, "spark.sql.mapKeyDedupPolicy");
    b->last_win = p && strcasecmp(p, "LAST_WIN") == 0;
    cu_vset_init(&b->keys, ec, key_type);
}

lm_status cu_null_map_key(lm_eval_ctx *ec)
{
    return lm_eval_error(ec, LM_EXC_RUNTIME, "NULL_MAP_KEY", "2200E",
                         "[NULL_MAP_KEY] Cannot use null as map key.");
}

static lm_status duplicated_key(cu_map_builder *b, const lm_value *k)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_render(&sb, b->key_type, k, LM_STYLE_CAST, b->ec->tz);
    lm_eval_error(b->ec, LM_EXC_RUNTIME, "DUPLICATED_MAP_KEY", "23505",
                  "[DUPLICATED_MAP_KEY] Duplicate map key %s was found, please check the input "
                  "data. If you want to remove the duplicated keys, you can set "
                  "\"spark.sql.mapKeyDedupPolicy\" to \"LAST_WIN\" so that the key inserted at "
                  "last takes precedence.",
                  lm_strbuf_cstr(&sb));
    lm_error_param_add(b->ec->err, "key", lm_strbuf_cstr(&sb));
    lm_error_param_add(b->ec->err, "mapKeyDedupPolicy", "\"spark.sql.mapKeyDedupPolicy\"");
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

lm_status cu_mb_put(cu_map_builder *b, const lm_value *k, const lm_value *v)
{
    if (k->is_null)
        return cu_null_map_key(b->ec);
    int32_t idx;
    bool added;
    if (cu_vset_add(&b->keys, k, &idx, &added) != LM_OK)
        return LM_ENOMEM;
    if (!added) {
        if (!b->last_win)
            return duplicated_key(b, k);
        b->values[idx] = *v;
        return LM_OK;
    }
    if (idx >= b->vcap) {
        int32_t cap = b->vcap ? b->vcap * 2 : 16;
        lm_value *vals = fn_values(b->ec, (size_t)cap);
        if (vals == NULL)
            return LM_ENOMEM;
        if (idx)
            memcpy(vals, b->values, sizeof *vals * (size_t)idx);
        b->values = vals;
        b->vcap = cap;
    }
    b->values[idx] = *v;
    return LM_OK;
}

lm_status cu_mb_finish(cu_map_builder *b, lm_value *out)
{
    lm_value *keys = b->keys.vals, *vals = b->values;
    if (b->keys.n == 0) {
        keys = fn_values(b->ec, 1);
        vals = fn_values(b->ec, 1);
        if (keys == NULL || vals == NULL)
            return LM_ENOMEM;
    }
    return cu_out_map(b->ec, out, keys, vals, b->keys.n);
}

/* ------------------------------------------------------------------ sort */

typedef struct sort_state {
    cu_cmp_fn cmp;
    void *ctx;
    lm_status st;
} sort_state;

/* Merges the sorted runs v[lo, mid) and v[mid, hi) through tmp; on ties
   the left run wins, which keeps the sort stable. */
static void merge_runs(sort_state *s, lm_value *v, lm_value *tmp, int32_t lo, int32_t mid,
                       int32_t hi)
{
    int32_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi && s->st == LM_OK) {
        if (s->cmp(s->ctx, &v[j], &v[i], &s->st) < 0)
            tmp[k++] = v[j++];
        else
            tmp[k++] = v[i++];
    }
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < hi)
        tmp[k++] = v[j++];
    memcpy(v + lo, tmp + lo, sizeof *v * (size_t)(hi - lo));
}

lm_status cu_sort(lm_eval_ctx *ec, lm_value *v, int32_t n, cu_cmp_fn cmp, void *ctx)
{
    if (n < 2)
        return LM_OK;
    lm_value *tmp = fn_values(ec, (size_t)n);
    if (tmp == NULL)
        return LM_ENOMEM;
    sort_state s = {cmp, ctx, LM_OK};
    /* bottom-up: insertion-sorted runs of 8, then merges of doubling width */
    for (int32_t lo = 0; lo < n && s.st == LM_OK; lo += 8) {
        int32_t hi = lo + 8 < n ? lo + 8 : n;
        for (int32_t i = lo + 1; i < hi && s.st == LM_OK; i++) {
            lm_value x = v[i];
            int32_t j = i;
            while (j > lo && s.st == LM_OK && cmp(ctx, &x, &v[j - 1], &s.st) < 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
    }
    for (int32_t w = 8; w < n && s.st == LM_OK; w *= 2)
        for (int32_t lo = 0; lo + w < n && s.st == LM_OK; lo += 2 * w)
            merge_runs(&s, v, tmp, lo, lo + w, lo + 2 * w < n ? lo + 2 * w : n);
    return s.st;
}

/* ------------------------------------------------------------- resolving */

bool cu_is_array(const lm_expr *e)
{
    return e->type->id == LM_TYPE_ARRAY;
}

bool cu_is_map(const lm_expr *e)
{
    return e->type->id == LM_TYPE_MAP;
}

lm_type *cu_keep(lm_resolve_ctx *rc, lm_type *t)
{
    return t ? lm_arena_keep_type(rc->a, t) : NULL;
}

lm_type *cu_array_of(lm_resolve_ctx *rc, const lm_type *elem, bool contains_null)
{
    return cu_keep(rc, lm_type_array((lm_type *)elem, contains_null));
}

lm_status cu_need_array(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    const lm_type *t = call->args[i]->type;
    if (t->id == LM_TYPE_ARRAY)
        return LM_OK;
    if (t->id == LM_TYPE_NULL) {
        lm_type *at = cu_array_of(rc, lm_type_null(), true);
        return at ? fn_cast_arg(rc, call, i, at, err) : fn_oom(err);
    }
    return lm_coerce_unexpected_input(rc, call, i, "\"ARRAY\"", err);
}

lm_status cu_need_map(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    const lm_type *t = call->args[i]->type;
    if (t->id == LM_TYPE_MAP)
        return LM_OK;
    if (t->id == LM_TYPE_NULL) {
        lm_type *mt = cu_keep(rc, lm_type_map(lm_type_null(), lm_type_null(), true));
        return mt ? fn_cast_arg(rc, call, i, mt, err) : fn_oom(err);
    }
    return lm_coerce_unexpected_input(rc, call, i, "\"MAP\"", err);
}

lm_status cu_need_int(lm_resolve_ctx *rc, lm_expr *call, int i, lm_error *err)
{
    if (call->args[i]->type->id == LM_TYPE_INT)
        return LM_OK;
    return fn_expect(rc, call, i, lm_type_int(), "\"INT\"", err);
}

const char *cu_fname(lm_resolve_ctx *rc, const lm_expr *call)
{
    const char *n = call->fn && call->fn->pretty ? call->fn->pretty
                    : call->fn                  ? call->fn->name
                                                : call->name;
    char *s = lm_arena_printf(rc->a, "`%s`", n);
    return s ? s : "";
}

lm_status cu_data_diff_types(lm_resolve_ctx *rc, lm_expr *call, int from, int step,
                             lm_error *err)
{
    lm_strbuf ts;
    lm_strbuf_init(&ts);
    lm_strbuf_putc(&ts, '[');
    for (int i = from; i < call->nargs; i += step) {
        if (i > from)
            lm_strbuf_puts(&ts, ", ");
        lm_strbuf_puts(&ts, fn_type_q(rc, call->args[i]->type));
    }
    lm_strbuf_putc(&ts, ']');
    const char *fq = cu_fname(rc, call);
    lm_coerce_mismatch(rc, call, err, "DATA_DIFF_TYPES",
                       "Input to %s should all be the same type, but it's %s.", fq,
                       lm_strbuf_cstr(&ts));
    lm_error_param_add(err, "functionName", fq);
    lm_error_param_add(err, "dataType", lm_strbuf_cstr(&ts));
    lm_strbuf_free(&ts);
    return LM_ERROR;
}
