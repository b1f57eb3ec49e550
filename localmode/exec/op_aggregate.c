/*
 * Hash aggregation: one entry per distinct group key, in order of first
 * appearance, one state per aggregate call. DISTINCT aggregates see each
 * distinct argument tuple of a group once; FILTER (WHERE ...) clauses
 * decide per row whether an aggregate sees it. A global aggregate (no
 * keys) returns one row even for empty input, as SQL requires.
 *
 * Batch at a time: group keys and aggregate arguments are evaluated as
 * vectors (expr/veval.h); keys are hashed column by column into one hash
 * per row, looked up in an open-addressing table whose keys are stored
 * column-wise (int64, double, string bytes, or lm_value for other types),
 * giving a group id per row. count / sum / avg / min / max over integral
 * and floating arguments update typed per-group arrays in tight loops;
 * every other aggregate goes through its registry kernels (agg_update)
 * on per-group state blocks, as before.
 *
 * Parallelism: a GROUP BY whose keys and arguments the worker threads
 * may evaluate runs in parallel in agg_grouped.c (the tables themselves
 * are in agg_table.h), with the states of a sequential pass. Otherwise
 * the input is cut into fixed partitions of EXEC_PART_ROWS rows (never by
 * thread count); each partition is aggregated on its own (on the worker
 * threads) and the partial tables are merged in partition order, which
 * keeps first-appearance group order and makes sums of doubles add up
 * the same way whatever local[N] says. Aggregates without a merge kernel,
 * DISTINCT aggregates and expressions that are not thread-safe run as a
 * single partition.
 *
 * A batch whose vectorized evaluation fails is redone row by row with the
 * interpreter (see op_project.c), before any state has been touched.
 * Under chaos (exec/chaos.h) the input is first reordered as an exchange
 * would deliver it.
 */
#include "exec.h"
#include "exec/agg_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "exec/chaos.h"
#include "exec/exec_batch.h"
#include "exec/key_kind.h"
#include "exec/rowset.h"
#include "expr/func.h"
#include "expr/veval.h"
#include "session/session.h"

/* ------------------------------------------------------------ key columns */





static inline bool key_eq(exec_key_kind k, const lm_type *t, const kcol *a, int64_t i, const kcol *b,
                          int64_t j)
{
    if (a->valid[i] != b->valid[j])
        return false;
    if (!a->valid[i])
        return true;
    switch (k) {
    case EXEC_KEY_I64: return a->i[i] == b->i[j];
    case EXEC_KEY_F64: return lm_double_compare(a->d[i], b->d[j]) == 0;
    case EXEC_KEY_STR:
        return a->sl[i] == b->sl[j] && lm_bytes_eq(a->sp[i], b->sp[j], a->sl[i]);
    default: return lm_value_equal(t, &a->val[i], &b->val[j]);
    }
}

/* Loads n rows of vector v as keys (strings point into v's heap). */
bool agg_load_keys(exec_key_kind k, const lm_vector *v, int32_t n, kcol *c, lm_arena *a)
{
    bool null_type = v->type->id == LM_TYPE_NULL;
    bool all_valid = lm_vector_valid_bytes(v, n, c->valid);
    switch (k) {
    case EXEC_KEY_I64: {
        const void *d = v->data;
        int w = null_type ? 0 : lm_type_fixed_width(v->type);
        bool b = v->type->id == LM_TYPE_BOOLEAN;
        /* one loop per width: the switch stays out of the row loop */
        switch (w) {
        case 0:
            memset(c->i, 0, sizeof *c->i * (size_t)n);
            break;
        case 1:
            for (int32_t i = 0; i < n; i++)
                c->i[i] = b ? ((const uint8_t *)d)[i] : ((const int8_t *)d)[i];
            break;
        case 2:
            for (int32_t i = 0; i < n; i++)
                c->i[i] = ((const int16_t *)d)[i];
            break;
        case 4:
            for (int32_t i = 0; i < n; i++)
                c->i[i] = ((const int32_t *)d)[i];
            break;
        default:
            memcpy(c->i, d, sizeof *c->i * (size_t)n);
            break;
        }
        for (int32_t i = 0; !all_valid && i < n; i++)
            c->i[i] = c->valid[i] ? c->i[i] : 0;
        return true;
    }
    case EXEC_KEY_F64:
        for (int32_t i = 0; i < n; i++)
            c->d[i] = !c->valid[i] ? 0
                      : v->type->id == LM_TYPE_FLOAT ? (double)((const float *)v->data)[i]
                                                    : ((const double *)v->data)[i];
        return true;
    case EXEC_KEY_STR:
        for (int32_t i = 0; i < n; i++) {
            if (!c->valid[i]) {
                c->sp[i] = "";
                c->sl[i] = 0;
                continue;
            }
            const int32_t *off = v->data;
            c->sp[i] = v->heap + off[i];
            c->sl[i] = off[i + 1] - off[i];
        }
        return true;
    default:
        for (int32_t i = 0; i < n; i++)
            if (!lm_vector_get(v, i, &c->val[i], a))
                return false;
        return true;
    }
}



/* Hashes a whole key column into h (combined with the previous columns'
   hashes unless first): one loop per key kind, the kind switch outside. */
void agg_hash_column(exec_key_kind k, const lm_type *t, const kcol *c, int32_t n, uint64_t *h,
                        bool first)
{
    switch (k) {
    case EXEC_KEY_I64:
        for (int32_t i = 0; i < n; i++)
            h[i] = lm_mix64((first ? 0 : h[i]) * 31 + agg_hash_i64(c->valid[i], c->i[i]));
        break;
    case EXEC_KEY_STR:
        for (int32_t i = 0; i < n; i++) {
            uint64_t x = c->valid[i] ? lm_bytes_hash(c->sp[i], c->sl[i]) : 0x6a09e667f3bcc909ULL;
            h[i] = lm_mix64((first ? 0 : h[i]) * 31 + x);
        }
        break;
    default:
        for (int32_t i = 0; i < n; i++)
            h[i] = agg_hash_key(k, t, c, i, first ? 0 : h[i]);
        break;
    }
}



static bool int_like(lm_type_id id)
{
    return id == LM_TYPE_BYTE || id == LM_TYPE_SHORT || id == LM_TYPE_INT || id == LM_TYPE_LONG;
}

/* Which typed kernel an aggregate call can use; FA_GENERIC otherwise. */
static fkind fast_kind(const lm_expr *call, bool ansi)
{
    if (call->distinct || call->filter || call->norder)
        return FA_GENERIC;
    const char *n = call->fn->name;
    if (!strcmp(n, "count")) {
        /* count() without arguments counts nothing (aggregate.c) */
        if (call->nargs == 0)
            return FA_GENERIC;
        for (int i = 0; i < call->nargs; i++)
            if (!lm_vexpr_supported(call->args[i]))
                return FA_GENERIC;
        return FA_COUNT;
    }
    if (call->nargs != 1 || !lm_vexpr_supported(call->args[0]))
        return FA_GENERIC;
    lm_type_id t = call->args[0]->type->id;
    bool fl = t == LM_TYPE_DOUBLE || t == LM_TYPE_FLOAT;
    if (!int_like(t) && !fl)
        return FA_GENERIC;
    if (!strcmp(n, "sum"))
        return fl ? FA_SUM_F : ansi ? FA_GENERIC : FA_SUM_I;
    if (!strcmp(n, "avg") || !strcmp(n, "mean"))
        return fl ? FA_AVG_F : FA_AVG_I;
    if (!strcmp(n, "min"))
        return fl ? FA_MIN_F : FA_MIN_I;
    if (!strcmp(n, "max"))
        return fl ? FA_MAX_F : FA_MAX_I;
    return FA_GENERIC;
}





static bool grow_groups(agg_table *t, int64_t need)
{
    if (need <= t->gcap)
        return true;
    const agg_spec *sp = t->sp;
    int64_t nc = t->gcap ? t->gcap * 2 : 64;
    while (nc < need)
        nc *= 2;
    size_t n = (size_t)nc;
#define GROW(ptr, type)                                                                            \
    do {                                                                                           \
        void *q_ = realloc((ptr), sizeof(type) * n);                                               \
        if (q_ == NULL)                                                                            \
            return false;                                                                          \
        (ptr) = q_;                                                                                \
    } while (0)
    for (int k = 0; k < sp->nk && !t->keyless; k++) {
        kcol *c = &t->keys[k];
        GROW(c->valid, uint8_t);
        switch (sp->kk[k]) {
        case EXEC_KEY_I64: GROW(c->i, int64_t); break;
        case EXEC_KEY_F64: GROW(c->d, double); break;
        case EXEC_KEY_STR:
            GROW(c->sp, const char *);
            GROW(c->sl, int32_t);
            break;
        default: GROW(c->val, lm_value); break;
        }
    }
    if (!t->unindexed)
        GROW(t->ghash, uint64_t);
    GROW(t->first, int64_t);
    GROW(t->blocks, char *);
    for (int a = 0; a < sp->na; a++) {
        if (sp->fk[a] == FA_GENERIC)
            continue;
        GROW(t->cnt[a], int64_t);
        GROW(t->li[a], int64_t);
        GROW(t->d[a], double);
    }
#undef GROW
    t->gcap = nc;
    return true;
}

static bool rehash(agg_table *t, int64_t nslots)
{
    uint32_t *s = calloc((size_t)nslots, sizeof *s);
    if (s == NULL)
        return false;
    uint64_t mask = (uint64_t)nslots - 1;
    for (int64_t g = 0; g < t->ngroups; g++) {
        uint64_t pos = t->ghash[g] & mask;
        while (s[pos])
            pos = (pos + 1) & mask;
        s[pos] = (uint32_t)(g + 1);
    }
    free(t->slots);
    t->slots = s;
    t->nslots = nslots;
    return true;
}

/* An empty table with room for about `groups` groups; an unindexed one
   keeps no slots (its groups are numbered by the caller). */
static lm_status table_alloc(agg_table *t, const agg_spec *sp, int64_t groups, bool unindexed)
{
    memset(t, 0, sizeof *t);
    t->sp = sp;
    if (unindexed) {
        t->unindexed = true;
        t->borrow_keys = true;
        t->keyless = true;
        for (int k = 0; k < sp->nk; k++)
            t->keyless &= !agg_needs(sp, k);
    }
    lm_arena_init(&t->arena, 64 * 1024);
    t->keys = calloc((size_t)sp->nk + 1, sizeof *t->keys);
    t->cnt = calloc((size_t)sp->na + 1, sizeof *t->cnt);
    t->li = calloc((size_t)sp->na + 1, sizeof *t->li);
    t->d = calloc((size_t)sp->na + 1, sizeof *t->d);
    t->distinct = calloc((size_t)sp->na + 1, sizeof *t->distinct);
    int64_t slots = 256;
    while (slots < 2 * groups)
        slots *= 2;
    if (!t->keys || !t->cnt || !t->li || !t->d || !t->distinct ||
        !grow_groups(t, groups > 64 ? groups : 64) || (!unindexed && !rehash(t, slots)))
        return LM_ENOMEM;
    for (int a = 0; a < sp->na; a++) {
        const lm_expr *call = sp->info->aggs[a];
        if (!call->distinct)
            continue;
        lm_type **dt = calloc((size_t)(call->nargs + 1), sizeof *dt);
        if (dt == NULL)
            return LM_ENOMEM;
        dt[0] = lm_type_long();
        for (int k = 0; k < call->nargs; k++)
            dt[k + 1] = call->args[k]->type;
        lm_rowset_init(&t->distinct[a], call->nargs + 1, dt);
    }
    return LM_OK;
}

lm_status agg_table_init_sized(agg_table *t, const agg_spec *sp, int64_t groups)
{
    return table_alloc(t, sp, groups, false);
}

lm_status agg_table_init_unindexed(agg_table *t, const agg_spec *sp, int64_t groups)
{
    return table_alloc(t, sp, groups, true);
}

lm_status agg_table_init(agg_table *t, const agg_spec *sp)
{
    return agg_table_init_sized(t, sp, 64);
}

void agg_table_free(agg_table *t)
{
    const agg_spec *sp = t->sp;
    if (sp == NULL)
        return;
    for (int64_t g = 0; t->blocks && g < t->ngroups; g++)
        for (int a = 0; a < sp->na; a++) {
            const lm_expr *call = sp->info->aggs[a];
            if (sp->fk[a] == FA_GENERIC && call->fn->agg_free && t->blocks[g])
                call->fn->agg_free(call, t->blocks[g] + sp->offsets[a]);
        }
    for (int k = 0; t->keys && k < sp->nk; k++) {
        free(t->keys[k].i);
        free(t->keys[k].d);
        free(t->keys[k].sp);
        free(t->keys[k].sl);
        free(t->keys[k].val);
        free(t->keys[k].valid);
    }
    for (int a = 0; a < sp->na; a++) {
        /* table_init may have failed part way: any array may be missing */
        if (t->cnt)
            free(t->cnt[a]);
        if (t->li)
            free(t->li[a]);
        if (t->d)
            free(t->d[a]);
        if (t->distinct && t->distinct[a].width) {
            free((void *)t->distinct[a].types);
            lm_rowset_free(&t->distinct[a]);
        }
    }
    free(t->keys);
    free(t->cnt);
    free(t->li);
    free(t->d);
    free(t->distinct);
    free(t->ghash);
    free(t->first);
    free(t->slots);
    free(t->blocks);
    lm_arena_free(&t->arena);
    memset(t, 0, sizeof *t);
}

/* Appends a group whose key is row i of src; states start empty. */
static lm_status new_group(agg_table *t, lm_eval_ctx *ec, const kcol *src, int64_t i, uint64_t h,
                           int64_t *gid)
{
    const agg_spec *sp = t->sp;
    if (!grow_groups(t, t->ngroups + 1))
        return lm_error_oom(ec->err);
    int64_t g = t->ngroups;
    for (int k = 0; k < sp->nk && !t->keyless; k++) {
        kcol *c = &t->keys[k];
        c->valid[g] = src[k].valid[i];
        switch (sp->kk[k]) {
        case EXEC_KEY_I64: c->i[g] = src[k].i[i]; break;
        case EXEC_KEY_F64: c->d[g] = src[k].d[i]; break;
        case EXEC_KEY_STR: {
            int32_t len = src[k].sl[i];
            if (t->borrow_keys) {
                c->sp[g] = src[k].sp[i];
                c->sl[g] = len;
                break;
            }
            char *p = lm_arena_alloc(&t->arena, (size_t)len + 1);
            if (p == NULL)
                return lm_error_oom(ec->err);
            if (len)
                memcpy(p, src[k].sp[i], (size_t)len);
            c->sp[g] = p;
            c->sl[g] = len;
            break;
        }
        default:
            if (!lm_value_copy(&t->arena, sp->kt[k], &src[k].val[i], &c->val[g]))
                return lm_error_oom(ec->err);
            break;
        }
    }
    if (!t->unindexed)
        t->ghash[g] = h;
    t->first[g] = t->next_first;
    for (int a = 0; a < sp->na; a++)
        if (sp->fk[a] != FA_GENERIC) {
            t->cnt[a][g] = 0;
            t->li[a][g] = 0;
            t->d[a][g] = 0;
        }
    t->blocks[g] = NULL;
    if (sp->block) {
        char *blk = lm_arena_calloc(&t->arena, 1, sp->block);
        if (blk == NULL)
            return lm_error_oom(ec->err);
        t->blocks[g] = blk;
        lm_arena *saved = ec->arena;
        ec->arena = &t->arena;
        lm_status st = LM_OK;
        for (int a = 0; st == LM_OK && a < sp->na; a++) {
            const lm_expr *call = sp->info->aggs[a];
            if (sp->fk[a] == FA_GENERIC && call->fn->agg_init)
                st = call->fn->agg_init(ec, call, blk + sp->offsets[a]);
        }
        ec->arena = saved;
        if (st != LM_OK)
            return st;
    }
    t->ngroups++;
    if (!t->unindexed && t->ngroups * 2 > t->nslots && !rehash(t, t->nslots * 2))
        return lm_error_oom(ec->err);
    *gid = g;
    return LM_OK;
}

/* Adds the group of row i of src (hash h), known to be absent, and
   places it in the slots. */
lm_status agg_add_group(agg_table *t, lm_eval_ctx *ec, const kcol *src, int64_t i, uint64_t h,
                           int64_t *gid)
{
    lm_status st = new_group(t, ec, src, i, h, gid);
    if (st != LM_OK || t->unindexed)
        return st;
    /* place the new group (rehash may have placed it already) */
    uint64_t mask = (uint64_t)t->nslots - 1, pos = h & mask;
    while (t->slots[pos] && t->slots[pos] != (uint32_t)(*gid + 1))
        pos = (pos + 1) & mask;
    t->slots[pos] = (uint32_t)(*gid + 1);
    return LM_OK;
}

/* Finds or adds the group of row i of src (hash h). */
lm_status agg_find_group(agg_table *t, lm_eval_ctx *ec, const kcol *src, int64_t i, uint64_t h,
                            int64_t *gid)
{
    const agg_spec *sp = t->sp;
    uint64_t mask = (uint64_t)t->nslots - 1;
    uint64_t pos = h & mask;
    bool one_int = sp->nk == 1 && sp->kk[0] == EXEC_KEY_I64;
    for (;;) {
        uint32_t s = t->slots[pos];
        if (s == 0)
            break;
        int64_t g = (int64_t)s - 1;
        if (one_int) {
            /* the common GROUP BY int_column: compare in place */
            if (t->ghash[g] == h && t->keys[0].valid[g] == src[0].valid[i] &&
                t->keys[0].i[g] == src[0].i[i]) {
                *gid = g;
                return LM_OK;
            }
        } else if (t->ghash[g] == h) {
            bool eq = true;
            for (int k = 0; k < sp->nk && eq; k++)
                eq = key_eq(sp->kk[k], sp->kt[k], &t->keys[k], g, &src[k], i);
            if (eq) {
                *gid = g;
                return LM_OK;
            }
        }
        pos = (pos + 1) & mask;
    }
    return agg_add_group(t, ec, src, i, h, gid);
}

/* ------------------------------------------------------------ updates */

/* The interpreter's per-row update of every aggregate: the reference
   semantics, used for rows of batches that cannot run as kernels. */
static lm_status update_row(agg_table *t, lm_eval_ctx *ec, int64_t g, const lm_value *row)
{
    const agg_spec *sp = t->sp;
    lm_value stack[8];
    for (int a = 0; a < sp->na; a++) {
        const lm_expr *call = sp->info->aggs[a];
        if (call->filter) {
            bool keep;
            lm_status st = lm_eval_predicate(ec, call->filter, row, &keep);
            if (st != LM_OK)
                return st;
            if (!keep)
                continue;
        }
        lm_value *args = call->nargs <= 8 ? stack
                                          : lm_arena_alloc(ec->arena, sizeof *args * (size_t)call->nargs);
        if (args == NULL)
            return lm_error_oom(ec->err);
        for (int k = 0; k < call->nargs; k++) {
            lm_status st = lm_eval_expr(ec, call->args[k], row, &args[k]);
            if (st != LM_OK)
                return st;
        }
        fkind fk = sp->fk[a];
        if (fk != FA_GENERIC) {
            bool null = false;
            for (int k = 0; k < call->nargs; k++)
                null |= args[k].is_null;
            if (null)
                continue;
            lm_type_id at = call->nargs ? call->args[0]->type->id : LM_TYPE_NULL;
            double xv = at == LM_TYPE_FLOAT ? (double)args[0].u.f32 : args[0].u.f64;
            int64_t *cnt = &t->cnt[a][g], *li = &t->li[a][g];
            double *d = &t->d[a][g];
            switch (fk) {
            case FA_COUNT: break;
            case FA_SUM_I: *li = (int64_t)((uint64_t)*li + (uint64_t)args[0].u.i64); break;
            case FA_AVG_I: *d += (double)args[0].u.i64; break;
            case FA_SUM_F:
            case FA_AVG_F: *d += xv; break;
            case FA_MIN_I: if (!*cnt || args[0].u.i64 < *li) *li = args[0].u.i64; break;
            case FA_MAX_I: if (!*cnt || args[0].u.i64 > *li) *li = args[0].u.i64; break;
            case FA_MIN_F: if (!*cnt || lm_double_compare(xv, *d) < 0) *d = xv; break;
            case FA_MAX_F: if (!*cnt || lm_double_compare(xv, *d) > 0) *d = xv; break;
            default: break;
            }
            (*cnt)++;
            continue;
        }
        if (t->distinct[a].width) {
            lm_value *key = lm_arena_alloc(ec->arena, sizeof *key * (size_t)(call->nargs + 1));
            if (key == NULL)
                return lm_error_oom(ec->err);
            key[0] = lm_value_i64(g);
            memcpy(key + 1, args, sizeof *args * (size_t)call->nargs);
            int64_t idx;
            bool inserted;
            if (!lm_rowset_upsert(&t->distinct[a], key, &idx, &inserted))
                return lm_error_oom(ec->err);
            if (!inserted)
                continue;
        }
        lm_arena *saved = ec->arena;
        ec->arena = &t->arena;
        lm_status st = call->fn->agg_update(ec, call, t->blocks[g] + sp->offsets[a], args);
        ec->arena = saved;
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

static lm_status batch_rows(agg_table *t, lm_eval_ctx *ec, const lm_batch *b)
{
    const agg_spec *sp = t->sp;
    int nk = sp->nk;
    lm_value *row = calloc((size_t)b->ncols + 1, sizeof *row);
    lm_value *key = calloc((size_t)nk + 1, sizeof *key);
    kcol *kc = calloc((size_t)nk + 1, sizeof *kc);
    uint8_t *valid = calloc((size_t)nk + 1, 1);
    int64_t *iv = calloc((size_t)nk + 1, sizeof *iv);
    double *dv = calloc((size_t)nk + 1, sizeof *dv);
    const char **spv = calloc((size_t)nk + 1, sizeof *spv);
    int32_t *slv = calloc((size_t)nk + 1, sizeof *slv);
    lm_status st = (row && key && kc && valid && iv && dv && spv && slv) ? LM_OK : lm_error_oom(ec->err);
    for (int k = 0; k < nk && st == LM_OK; k++) {
        kc[k].valid = &valid[k];
        kc[k].i = &iv[k];
        kc[k].d = &dv[k];
        kc[k].sp = &spv[k];
        kc[k].sl = &slv[k];
        kc[k].val = &key[k];
    }
    for (int32_t r = 0; st == LM_OK && r < b->nrows; r++) {
        if (!lm_batch_get_row(b, r, row, ec->arena)) {
            st = lm_error_oom(ec->err);
            break;
        }
        int64_t g = 0;
        if (nk) {
            uint64_t h = 0;
            for (int k = 0; st == LM_OK && k < nk; k++) {
                lm_value v;
                st = lm_eval_expr(ec, sp->p->group_by[k], row, &v);
                if (st != LM_OK)
                    break;
                valid[k] = !v.is_null;
                key[k] = v;
                lm_type_id id = sp->kt[k]->id;
                iv[k] = v.is_null ? 0 : id == LM_TYPE_BOOLEAN ? v.u.b : v.u.i64;
                dv[k] = v.is_null ? 0 : id == LM_TYPE_FLOAT ? (double)v.u.f32 : v.u.f64;
                spv[k] = v.is_null ? "" : v.u.str.ptr;
                slv[k] = v.is_null ? 0 : v.u.str.len;
                h = agg_hash_key(sp->kk[k], sp->kt[k], &kc[k], 0, h);
            }
            if (st == LM_OK)
                st = agg_find_group(t, ec, kc, 0, h, &g);
        }
        if (st == LM_OK)
            st = update_row(t, ec, g, row);
        if ((r & 255) == 255)
            lm_arena_free(ec->arena);
    }
    free(row);
    free(key);
    free(kc);
    free(valid);
    free(iv);
    free(dv);
    free(spv);
    free(slv);
    return st;
}

/* The typed update loops over flat arguments; valid NULL when every row
   is valid (inlined twice, so that branch leaves the loops); gid NULL for
   sums and averages of a single group. */
static inline __attribute__((always_inline)) void
update_f(fkind fk, const int32_t *gid, int32_t n, const double *x, const uint8_t *valid,
         int64_t *cnt, double *d)
{
    if (gid == NULL && (fk == FA_SUM_F || fk == FA_AVG_F)) {
        /* one group: the running sum stays in a register, same order */
        double acc = d[0];
        int64_t c = 0;
        for (int32_t i = 0; i < n; i++)
            if (valid == NULL || valid[i]) {
                acc += x[i];
                c++;
            }
        d[0] = acc;
        cnt[0] += c;
        return;
    }
    switch (fk) {
    case FA_SUM_F:
    case FA_AVG_F:
        for (int32_t i = 0; i < n; i++)
            if (valid == NULL || valid[i]) {
                d[gid[i]] += x[i];
                cnt[gid[i]]++;
            }
        break;
    default:
        for (int32_t i = 0; i < n; i++) {
            if (valid != NULL && !valid[i])
                continue;
            int32_t g = gid[i];
            int c = cnt[g] ? lm_double_compare(x[i], d[g]) : 0;
            if (!cnt[g] || (fk == FA_MIN_F ? c < 0 : c > 0))
                d[g] = x[i];
            cnt[g]++;
        }
        break;
    }
}

static inline __attribute__((always_inline)) void
update_i(fkind fk, const int32_t *gid, int32_t n, const int64_t *x, const uint8_t *valid,
         int64_t *cnt, int64_t *li, double *d)
{
    if (gid == NULL && (fk == FA_SUM_I || fk == FA_AVG_I)) {
        /* one group: the running sum stays in a register, same order */
        uint64_t acc = (uint64_t)li[0];
        double dacc = d[0];
        int64_t c = 0;
        for (int32_t i = 0; i < n; i++)
            if (valid == NULL || valid[i]) {
                if (fk == FA_SUM_I)
                    acc += (uint64_t)x[i];
                else
                    dacc += (double)x[i];
                c++;
            }
        li[0] = (int64_t)acc;
        d[0] = dacc;
        cnt[0] += c;
        return;
    }
    switch (fk) {
    case FA_SUM_I:
        for (int32_t i = 0; i < n; i++)
            if (valid == NULL || valid[i]) {
                li[gid[i]] = (int64_t)((uint64_t)li[gid[i]] + (uint64_t)x[i]);
                cnt[gid[i]]++;
            }
        break;
    case FA_AVG_I:
        for (int32_t i = 0; i < n; i++)
            if (valid == NULL || valid[i]) {
                d[gid[i]] += (double)x[i];
                cnt[gid[i]]++;
            }
        break;
    default:
        for (int32_t i = 0; i < n; i++) {
            if (valid != NULL && !valid[i])
                continue;
            int32_t g = gid[i];
            if (!cnt[g] || (fk == FA_MIN_I ? x[i] < li[g] : x[i] > li[g]))
                li[g] = x[i];
            cnt[g]++;
        }
        break;
    }
}

/* Typed kernels: one aggregate over the rows of a batch. The argument is
   loaded once into a flat int64 or double array with a validity byte per
   row (kind and width switches stay out of the row loops). */
void agg_fast_update(agg_table *t, int a, fkind fk, const int32_t *gid, const int32_t *sel,
                        int32_t n, lm_vector *const *args, int nargs)
{
#define ROW(j) (sel ? sel[j] : (j))
    int64_t *cnt = t->cnt[a], *li = t->li[a];
    double *d = t->d[a];
    if (fk == FA_COUNT) {
        uint8_t *ok = sel == NULL ? malloc((size_t)n + 1) : NULL;
        uint8_t *one = ok ? malloc((size_t)n + 1) : NULL;
        if (ok != NULL && one != NULL) {
            bool every = true;
            memset(ok, 1, (size_t)n);
            for (int k = 0; k < nargs; k++) {
                if (args[k] == NULL || lm_vector_valid_bytes(args[k], n, one))
                    continue;
                every = false;
                for (int32_t i = 0; i < n; i++)
                    ok[i] &= one[i];
            }
            if (every && t->sp->nk == 0)
                cnt[0] += n;
            else
                for (int32_t i = 0; i < n; i++)
                    cnt[gid[i]] += ok[i];
        } else {
            for (int32_t i = 0; i < n; i++) {
                bool valid = true;
                for (int k = 0; k < nargs && valid; k++)
                    valid = args[k] == NULL || !lm_vector_is_null(args[k], ROW(i));
                cnt[gid[i]] += valid;
            }
        }
        free(ok);
        free(one);
        return;
    }
    const lm_vector *v = args[0];
    if (v->type->id == LM_TYPE_NULL)
        return;
    uint8_t *valid = malloc((size_t)n + 1);
    void *buf = malloc(8 * ((size_t)n + 1));
    if (valid == NULL || buf == NULL) {
        /* row at a time without the scratch arrays */
        free(valid);
        free(buf);
        valid = NULL;
        buf = NULL;
    }
    bool fl = fk == FA_SUM_F || fk == FA_AVG_F || fk == FA_MIN_F || fk == FA_MAX_F;
    lm_type_id id = v->type->id;
    int w = lm_type_fixed_width(v->type);
    if (valid == NULL) {
        for (int32_t j = 0; j < n; j++) {
            int32_t i = ROW(j);
            if (lm_vector_is_null(v, i))
                continue;
            int64_t g = gid[j];
            if (fl) {
                double x = id == LM_TYPE_FLOAT ? (double)((const float *)v->data)[i]
                                               : ((const double *)v->data)[i];
                if (fk == FA_SUM_F || fk == FA_AVG_F)
                    d[g] += x;
                else if (!cnt[g] || (fk == FA_MIN_F ? lm_double_compare(x, d[g]) < 0 : lm_double_compare(x, d[g]) > 0))
                    d[g] = x;
            } else {
                int64_t x = w == 4 ? ((const int32_t *)v->data)[i]
                            : w == 8 ? ((const int64_t *)v->data)[i]
                            : w == 2 ? ((const int16_t *)v->data)[i]
                                     : ((const int8_t *)v->data)[i];
                switch (fk) {
                case FA_SUM_I: li[g] = (int64_t)((uint64_t)li[g] + (uint64_t)x); break;
                case FA_AVG_I: d[g] += (double)x; break;
                case FA_MIN_I: if (!cnt[g] || x < li[g]) li[g] = x; break;
                default: if (!cnt[g] || x > li[g]) li[g] = x; break;
                }
            }
            cnt[g]++;
        }
        return;
    }
    bool one_sum = t->sp->nk == 0 &&
                   (fk == FA_SUM_I || fk == FA_AVG_I || fk == FA_SUM_F || fk == FA_AVG_F);
    bool all_valid = true;
    if (sel == NULL) {
        all_valid = lm_vector_valid_bytes(v, n, valid);
    } else {
        const uint8_t *bits = v->validity;
        for (int32_t i = 0; i < n; i++) {
            valid[i] = (bits[sel[i] >> 3] >> (sel[i] & 7)) & 1;
            all_valid &= valid[i];
        }
    }
    if (fl) {
        double *x = buf;
        if (id == LM_TYPE_FLOAT)
            for (int32_t i = 0; i < n; i++)
                x[i] = (double)((const float *)v->data)[ROW(i)];
        else if (sel)
            for (int32_t i = 0; i < n; i++)
                x[i] = ((const double *)v->data)[sel[i]];
        else
            x = v->data;
        const int32_t *g = one_sum ? NULL : gid;
        if (all_valid)
            update_f(fk, g, n, x, NULL, cnt, d);
        else
            update_f(fk, g, n, x, valid, cnt, d);
    } else {
        if (one_sum && sel == NULL && w == 4 && fk == FA_SUM_I) {
            /* the common sum(int_column) of a whole batch: no widened copy */
            const int32_t *x = v->data;
            uint64_t acc = (uint64_t)li[0];
            int64_t c = 0;
            for (int32_t i = 0; i < n; i++)
                if (all_valid || valid[i]) {
                    acc += (uint64_t)(int64_t)x[i];
                    c++;
                }
            li[0] = (int64_t)acc;
            cnt[0] += c;
            free(valid);
            free(buf);
            return;
        }
        int64_t *x = buf;
        switch (w) {
        case 1:
            for (int32_t i = 0; i < n; i++)
                x[i] = ((const int8_t *)v->data)[ROW(i)];
            break;
        case 2:
            for (int32_t i = 0; i < n; i++)
                x[i] = ((const int16_t *)v->data)[ROW(i)];
            break;
        case 4:
            for (int32_t i = 0; i < n; i++)
                x[i] = ((const int32_t *)v->data)[ROW(i)];
            break;
        default:
            if (sel)
                for (int32_t i = 0; i < n; i++)
                    x[i] = ((const int64_t *)v->data)[sel[i]];
            else
                x = v->data;
            break;
        }
        const int32_t *g = one_sum ? NULL : gid;
        if (all_valid)
            update_i(fk, g, n, x, NULL, cnt, li, d);
        else
            update_i(fk, g, n, x, valid, cnt, li, d);
    }
    free(valid);
    free(buf);
#undef ROW
}

static void drop_vectors(lm_vector **v, int n)
{
    for (int i = 0; i < n; i++) {
        lm_vector_free(v[i]);
        v[i] = NULL;
    }
}

/* One batch through the kernels; LM_ERROR (not OOM) asks for batch_rows. */


void agg_batch_vals_free(batch_vals *bv, int nk)
{
    for (int k = 0; bv->kc && k < nk; k++) {
        free(bv->kc[k].valid);
        free(bv->kc[k].i);
        free(bv->kc[k].d);
        free(bv->kc[k].sp);
        free(bv->kc[k].sl);
        free(bv->kc[k].val);
    }
    free(bv->kc);
    if (bv->vecs)
        drop_vectors(bv->vecs, bv->nvec);
    free(bv->vecs);
    free(bv->h);
    memset(bv, 0, sizeof *bv);
}

static void hash_keys(const agg_spec *sp, batch_vals *bv)
{
    for (int k = 0; k < sp->nk; k++)
        agg_hash_column(sp->kk[k], sp->kt[k], &bv->kc[k], bv->n, bv->h, k == 0);
}

/* A literal other than NULL: count(1), count(*) count every row without
   evaluating it (its vector is left out, read as all valid). */
static bool never_null(const lm_expr *e)
{
    return e->kind == LM_EXPR_LITERAL && !e->value.is_null;
}

/* Loads a batch's evaluated keys column-wise (once) and, if asked,
   hashes them. */
lm_status agg_load_batch_keys(const agg_spec *sp, lm_eval_ctx *ec, batch_vals *bv, bool hash)
{
    int nk = sp->nk;
    int32_t n = bv->n;
    if (bv->kc != NULL) {
        /* loaded before without hashes */
        if (hash && !bv->hashed) {
            hash_keys(sp, bv);
            bv->hashed = true;
        }
        return LM_OK;
    }
    bv->h = malloc(sizeof *bv->h * ((size_t)n + 1));
    bv->kc = calloc((size_t)nk + 1, sizeof *bv->kc);
    if (bv->h == NULL || bv->kc == NULL)
        return lm_error_oom(ec->err);
    for (int k = 0; k < nk; k++) {
        kcol *c = &bv->kc[k];
        c->valid = malloc((size_t)n + 1);
        switch (sp->kk[k]) {
        case EXEC_KEY_I64: c->i = malloc(sizeof *c->i * ((size_t)n + 1)); break;
        case EXEC_KEY_F64: c->d = malloc(sizeof *c->d * ((size_t)n + 1)); break;
        case EXEC_KEY_STR:
            c->sp = malloc(sizeof *c->sp * ((size_t)n + 1));
            c->sl = malloc(sizeof *c->sl * ((size_t)n + 1));
            break;
        default: c->val = malloc(sizeof *c->val * ((size_t)n + 1)); break;
        }
        if (c->valid == NULL || (c->i == NULL && c->d == NULL && c->sp == NULL && c->val == NULL) ||
            (sp->kk[k] == EXEC_KEY_STR && c->sl == NULL) ||
            !agg_load_keys(sp->kk[k], bv->vecs[k], n, c, ec->arena))
            return lm_error_oom(ec->err);
    }
    if (hash)
        hash_keys(sp, bv);
    bv->hashed = hash;
    return LM_OK;
}

/* Evaluates every key and argument of a batch (a failure changes no
   state) and, as asked, loads the keys and hashes them. */
lm_status agg_eval_batch(const agg_spec *sp, lm_eval_ctx *ec, const lm_batch *b, batch_vals *bv,
                            bool keys, bool hash)
{
    int nk = sp->nk, na = sp->na;
    memset(bv, 0, sizeof *bv);
    bv->n = b->nrows;
    bv->nvec = nk;
    for (int a = 0; a < na; a++)
        bv->nvec += sp->info->aggs[a]->nargs + 1;
    bv->vecs = calloc((size_t)bv->nvec + 1, sizeof *bv->vecs);
    lm_status st = bv->vecs ? LM_OK : lm_error_oom(ec->err);
    lm_vector **vecs = bv->vecs;
    int vi = 0;
    for (int k = 0; st == LM_OK && k < nk; k++)
        st = lm_vexpr_eval(ec, sp->kprog[k], b, &vecs[vi++]);
    for (int a = 0; st == LM_OK && a < na; a++) {
        const lm_expr *call = sp->info->aggs[a];
        for (int k = 0; st == LM_OK && k < call->nargs; k++)
            if (!(sp->fk[a] == FA_COUNT && never_null(call->args[k])))
                st = lm_vexpr_eval(ec, sp->aprog[a][k], b, &vecs[vi + k]);
        vi += call->nargs;
        if (st == LM_OK && sp->fprog[a])
            st = lm_vexpr_eval(ec, sp->fprog[a], b, &vecs[vi]);
        vi++;
    }
    return st == LM_OK && keys ? agg_load_batch_keys(sp, ec, bv, hash) : st;
}

/* Updates every aggregate with rows sel[0..m) (all rows when sel is
   NULL) of a batch, row j belonging to group gid[j], in row order. */
lm_status agg_update_batch(agg_table *t, lm_eval_ctx *ec, const batch_vals *bv,
                              const int32_t *sel, int32_t m, const int32_t *gid)
{
    const agg_spec *sp = t->sp;
    int nk = sp->nk, na = sp->na;
    lm_status st = LM_OK;
    int vi = nk;
    lm_value stack[8];
    for (int a = 0; st == LM_OK && a < na; a++) {
        const lm_expr *call = sp->info->aggs[a];
        lm_vector *const *args = &bv->vecs[vi];
        const lm_vector *filt = bv->vecs[vi + call->nargs];
        vi += call->nargs + 1;
        if (sp->fk[a] != FA_GENERIC) {
            agg_fast_update(t, a, sp->fk[a], gid, sel, m, args, call->nargs);
            continue;
        }
        lm_value *av = call->nargs <= 8 ? stack : lm_arena_alloc(ec->arena, sizeof *av * (size_t)call->nargs);
        if (av == NULL) {
            st = lm_error_oom(ec->err);
            break;
        }
        for (int32_t j = 0; st == LM_OK && j < m; j++) {
            int32_t i = sel ? sel[j] : j;
            if (filt && (lm_vector_is_null(filt, i) || !((const uint8_t *)filt->data)[i]))
                continue;
            for (int k = 0; k < call->nargs; k++)
                if (!lm_vector_get(args[k], i, &av[k], ec->arena))
                    st = lm_error_oom(ec->err);
            if (st != LM_OK)
                break;
            int64_t g = gid[j];
            if (t->distinct[a].width) {
                lm_value *key = lm_arena_alloc(ec->arena, sizeof *key * (size_t)(call->nargs + 1));
                if (key == NULL) {
                    st = lm_error_oom(ec->err);
                    break;
                }
                key[0] = lm_value_i64(g);
                memcpy(key + 1, av, sizeof *av * (size_t)call->nargs);
                int64_t idx;
                bool inserted;
                if (!lm_rowset_upsert(&t->distinct[a], key, &idx, &inserted)) {
                    st = lm_error_oom(ec->err);
                    break;
                }
                if (!inserted)
                    continue;
            }
            lm_arena *saved = ec->arena;
            ec->arena = &t->arena;
            st = call->fn->agg_update(ec, call, t->blocks[g] + sp->offsets[a], av);
            ec->arena = saved;
            /* an update error is final: states were touched */
            if (st != LM_OK && st != LM_ENOMEM)
                st = LM_EUNSUPPORTED;
        }
    }
    return st;
}

/* Group ids of rows sel[0..m) of a batch (all rows when sel is NULL),
   adding the groups not seen yet; one integral column or string columns
   compare in place without a call per row. base: global index of the
   batch's row 0. */
lm_status agg_lookup_rows(agg_table *t, lm_eval_ctx *ec, const batch_vals *bv,
                             const int32_t *sel, int32_t m, int32_t *gid, int64_t base)
{
    const agg_spec *sp = t->sp;
    int nk = sp->nk;
    bool one_int = nk == 1 && sp->kk[0] == EXEC_KEY_I64;
    bool all_str = true;
    for (int k = 0; k < nk; k++)
        all_str &= sp->kk[k] == EXEC_KEY_STR;
    const kcol *src = bv->kc;
    for (int32_t j = 0; j < m; j++) {
        int32_t i = sel ? sel[j] : j;
        uint64_t h = bv->h[i];
        uint64_t mask = (uint64_t)t->nslots - 1, pos = h & mask;
        int32_t found = -1;
        for (uint32_t s; (s = t->slots[pos]) != 0; pos = (pos + 1) & mask) {
            uint32_t g = s - 1;
            bool eq;
            if (one_int) {
                eq = t->keys[0].i[g] == src->i[i] && t->keys[0].valid[g] == src->valid[i];
            } else if (all_str) {
                /* a NULL key is stored as "" and told apart by valid */
                eq = t->ghash[g] == h;
                for (int k = 0; k < nk && eq; k++) {
                    const kcol *a = &t->keys[k], *b = &src[k];
                    eq = a->sl[g] == b->sl[i] && a->valid[g] == b->valid[i] &&
                         lm_bytes_eq(a->sp[g], b->sp[i], b->sl[i]);
                }
            } else {
                eq = t->ghash[g] == h;
                for (int k = 0; k < nk && eq; k++)
                    eq = key_eq(sp->kk[k], sp->kt[k], &t->keys[k], g, &src[k], i);
            }
            if (eq) {
                found = (int32_t)g;
                break;
            }
        }
        if (found >= 0) {
            gid[j] = found;
            continue;
        }
        int64_t g;
        t->next_first = base + i;
        lm_status st = agg_add_group(t, ec, src, i, h, &g);
        if (st != LM_OK)
            return st;
        gid[j] = (int32_t)g;
    }
    return LM_OK;
}

/* Looks up the groups of rows sel[0..m) (all rows when sel is NULL) and
   updates every aggregate with them, in row order. first: global index
   of the batch's row 0, recorded for new groups. */
lm_status agg_apply_batch(agg_table *t, lm_eval_ctx *ec, const batch_vals *bv,
                             const int32_t *sel, int32_t m, int64_t first)
{
    int nk = t->sp->nk;
    int32_t *gid = calloc((size_t)m + 1, sizeof *gid);
    if (gid == NULL)
        return lm_error_oom(ec->err);
    lm_status st = nk ? agg_lookup_rows(t, ec, bv, sel, m, gid, first) : LM_OK;
    if (st == LM_OK)
        st = agg_update_batch(t, ec, bv, sel, m, gid);
    free(gid);
    return st;
}

static lm_status batch_vec(agg_table *t, lm_eval_ctx *ec, const lm_batch *b)
{
    batch_vals bv;
    lm_status st = agg_eval_batch(t->sp, ec, b, &bv, true, true);
    if (st == LM_OK)
        st = agg_apply_batch(t, ec, &bv, NULL, bv.n, 0);
    agg_batch_vals_free(&bv, t->sp->nk);
    return st;
}

static lm_status add_batch(agg_table *t, lm_eval_ctx *ec, const lm_batch *b)
{
    if (!t->sp->vec)
        return batch_rows(t, ec, b);
    lm_status st = batch_vec(t, ec, b);
    if (st == LM_OK || st == LM_ENOMEM)
        return st;
    if (st == LM_EUNSUPPORTED)
        return LM_ERROR; /* the aggregate's own error, already set */
    /* every vector is evaluated before the first lookup, so a failure
       left the table as it was: redo the batch on the row path */
    lm_error_clear(ec->err);
    return batch_rows(t, ec, b);
}

/* ------------------------------------------------------------ merge */

/* Folds table o (a later partition) into t, group by group in o's order. */
static lm_status merge_tables(agg_table *t, agg_table *o, lm_eval_ctx *ec)
{
    const agg_spec *sp = t->sp;
    for (int64_t j = 0; j < o->ngroups; j++) {
        int64_t g = 0;
        lm_status st = sp->nk ? agg_find_group(t, ec, o->keys, j, o->ghash[j], &g) : LM_OK;
        if (st != LM_OK)
            return st;
        for (int a = 0; a < sp->na; a++) {
            fkind fk = sp->fk[a];
            int64_t oc = o->cnt[a] ? o->cnt[a][j] : 0;
            switch (fk) {
            case FA_GENERIC: {
                const lm_expr *call = sp->info->aggs[a];
                lm_arena *saved = ec->arena;
                ec->arena = &t->arena;
                st = call->fn->agg_merge(ec, call, t->blocks[g] + sp->offsets[a],
                                         o->blocks[j] + sp->offsets[a]);
                ec->arena = saved;
                if (st != LM_OK)
                    return st;
                continue;
            }
            case FA_COUNT: break;
            case FA_SUM_I: t->li[a][g] = (int64_t)((uint64_t)t->li[a][g] + (uint64_t)o->li[a][j]); break;
            case FA_SUM_F:
            case FA_AVG_I:
            case FA_AVG_F: t->d[a][g] += o->d[a][j]; break;
            case FA_MIN_I: if (oc && (!t->cnt[a][g] || o->li[a][j] < t->li[a][g])) t->li[a][g] = o->li[a][j]; break;
            case FA_MAX_I: if (oc && (!t->cnt[a][g] || o->li[a][j] > t->li[a][g])) t->li[a][g] = o->li[a][j]; break;
            case FA_MIN_F: if (oc && (!t->cnt[a][g] || lm_double_compare(o->d[a][j], t->d[a][g]) < 0)) t->d[a][g] = o->d[a][j]; break;
            case FA_MAX_F: if (oc && (!t->cnt[a][g] || lm_double_compare(o->d[a][j], t->d[a][g]) > 0)) t->d[a][g] = o->d[a][j]; break;
            }
            t->cnt[a][g] += oc;
        }
    }
    return LM_OK;
}

/* ------------------------------------------------------------ output */

static lm_value key_value(const agg_spec *sp, const agg_table *t, int k, int64_t g)
{
    const kcol *c = &t->keys[k];
    if (!c->valid[g])
        return lm_value_null();
    lm_type_id id = sp->kt[k]->id;
    switch (sp->kk[k]) {
    case EXEC_KEY_I64: return id == LM_TYPE_BOOLEAN ? lm_value_bool(c->i[g] != 0) : lm_value_i64(c->i[g]);
    case EXEC_KEY_F64: return id == LM_TYPE_FLOAT ? lm_value_f32((float)c->d[g]) : lm_value_f64(c->d[g]);
    case EXEC_KEY_STR: return lm_value_str(c->sp[g], c->sl[g]);
    default: return c->val[g];
    }
}

static lm_status fast_final(const lm_expr *call, fkind fk, const agg_table *t, int a, int64_t g,
                            lm_value *out)
{
    int64_t n = t->cnt[a][g];
    *out = lm_value_null();
    if (fk == FA_COUNT) {
        *out = lm_value_i64(n);
        return LM_OK;
    }
    if (n == 0)
        return LM_OK;
    lm_type_id rt = call->type->id;
    switch (fk) {
    case FA_SUM_I: *out = lm_value_i64(t->li[a][g]); break;
    case FA_SUM_F: *out = lm_value_f64(t->d[a][g]); break;
    case FA_AVG_I:
    case FA_AVG_F: *out = lm_value_f64(t->d[a][g] / (double)n); break;
    case FA_MIN_I:
    case FA_MAX_I: *out = lm_value_i64(t->li[a][g]); break;
    default:
        *out = rt == LM_TYPE_FLOAT ? lm_value_f32((float)t->d[a][g]) : lm_value_f64(t->d[a][g]);
        break;
    }
    return LM_OK;
}

static lm_status emit_rows(agg_table *t, lm_eval_ctx *ec, lm_table *out);

static inline void set_bit(lm_vector *v, int32_t i, bool valid)
{
    if (valid)
        v->validity[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* Writes values [from, from + m) of a typed per-group array into a new
   vector of type t: int64 (ints, dates, booleans ...) or double. */
static lm_vector *typed_column(const lm_type *t, int32_t m, const int64_t *iv, const double *dv,
                               const uint8_t *valid, const int64_t *cnt, bool count_valid)
{
    lm_vector *v = lm_vector_new(t, m > 0 ? m : 1);
    if (v == NULL)
        return NULL;
    memset(v->validity, 0, ((size_t)m + 7) / 8);
    int w = lm_type_fixed_width(t);
    bool boolean = t->id == LM_TYPE_BOOLEAN;
    for (int32_t i = 0; i < m; i++) {
        bool ok = valid ? valid[i] != 0 : cnt ? (count_valid || cnt[i] != 0) : true;
        set_bit(v, i, ok);
        if (dv) {
            if (t->id == LM_TYPE_FLOAT)
                ((float *)v->data)[i] = ok ? (float)dv[i] : 0.0f;
            else
                ((double *)v->data)[i] = ok ? dv[i] : 0.0;
            continue;
        }
        int64_t x = ok ? iv[i] : 0;
        switch (w) {
        case 1:
            if (boolean)
                ((uint8_t *)v->data)[i] = x != 0;
            else
                ((int8_t *)v->data)[i] = (int8_t)x;
            break;
        case 2: ((int16_t *)v->data)[i] = (int16_t)x; break;
        case 4: ((int32_t *)v->data)[i] = (int32_t)x; break;
        default: ((int64_t *)v->data)[i] = x; break;
        }
    }
    v->length = m;
    return v;
}

static lm_vector *string_column(const lm_type *t, int32_t m, const char *const *sp,
                                const int32_t *sl, const uint8_t *valid)
{
    lm_vector *v = lm_vector_new(t, m > 0 ? m : 1);
    if (v == NULL)
        return NULL;
    int64_t total = 0;
    for (int32_t i = 0; i < m; i++)
        total += valid[i] ? sl[i] : 0;
    if (total > INT32_MAX) {
        lm_vector_free(v);
        return NULL;
    }
    if (total > v->heap_cap) {
        char *hp = realloc(v->heap, (size_t)total);
        if (hp == NULL) {
            lm_vector_free(v);
            return NULL;
        }
        v->heap = hp;
        v->heap_cap = total;
    }
    memset(v->validity, 0, ((size_t)m + 7) / 8);
    int32_t *off = v->data, pos = 0;
    off[0] = 0;
    for (int32_t i = 0; i < m; i++) {
        if (valid[i]) {
            if (sl[i])
                memcpy(v->heap + pos, sp[i], (size_t)sl[i]);
            pos += sl[i];
            set_bit(v, i, true);
        }
        off[i + 1] = pos;
    }
    v->heap_len = pos;
    v->length = m;
    return v;
}



/* Typed output for keys and typed aggregates (gathered from the groups'
   tables into flat arrays, then written as vectors); the generic
   aggregates' finals through lm_value. Batches of LM_BATCH_ROWS groups. */
lm_status agg_emit_refs(agg_table *tables, const gref *refs, int64_t n, lm_eval_ctx *ec,
                           lm_table *out)
{
    const agg_spec *sp = tables[0].sp;
    int nk = sp->nk, na = sp->na;
    size_t cap = LM_BATCH_ROWS + 1;
    uint8_t *valid = malloc(cap);
    int64_t *iv = malloc(sizeof *iv * cap), *cnt = malloc(sizeof *cnt * cap);
    double *dv = malloc(sizeof *dv * cap);
    const char **spv = malloc(sizeof *spv * cap);
    int32_t *slv = malloc(sizeof *slv * cap);
    lm_status st = (valid && iv && cnt && dv && spv && slv) ? LM_OK : lm_error_oom(ec->err);
    for (int64_t lo = 0; st == LM_OK && lo < n; lo += LM_BATCH_ROWS) {
        int32_t m = (int32_t)(n - lo < LM_BATCH_ROWS ? n - lo : LM_BATCH_ROWS);
        const gref *r = refs + lo;
        lm_batch *b = exec_batch_alloc(nk + na, m);
        if (b == NULL) {
            st = lm_error_oom(ec->err);
            break;
        }
        for (int k = 0; st == LM_OK && k < nk; k++) {
            const lm_type *kt = out->schema->fields[k].type;
            if (!agg_needs(sp, k)) {
                b->cols[k] = exec_placeholder(m);
                continue;
            }
            for (int32_t i = 0; i < m; i++) {
                const kcol *c = &tables[r[i].part].keys[k];
                int64_t g = r[i].g;
                valid[i] = c->valid[g];
                switch (sp->kk[k]) {
                case EXEC_KEY_I64: iv[i] = c->i[g]; break;
                case EXEC_KEY_F64: dv[i] = c->d[g]; break;
                case EXEC_KEY_STR: spv[i] = c->sp[g]; slv[i] = c->sl[g]; break;
                default: break;
                }
            }
            switch (sp->kk[k]) {
            case EXEC_KEY_I64: b->cols[k] = typed_column(kt, m, iv, NULL, valid, NULL, false); break;
            case EXEC_KEY_F64: b->cols[k] = typed_column(kt, m, NULL, dv, valid, NULL, false); break;
            case EXEC_KEY_STR: b->cols[k] = string_column(kt, m, spv, slv, valid); break;
            default:
                if ((b->cols[k] = lm_vector_new(kt, m)) != NULL)
                    for (int32_t i = 0; i < m && st == LM_OK; i++)
                        if (lm_vector_append(b->cols[k], &tables[r[i].part].keys[k].val[r[i].g]) != LM_OK)
                            st = lm_error_oom(ec->err);
                break;
            }
            if (b->cols[k] == NULL && st == LM_OK)
                st = lm_error_oom(ec->err);
        }
        for (int a = 0; st == LM_OK && a < na; a++) {
            const lm_expr *call = sp->info->aggs[a];
            const lm_type *at = out->schema->fields[nk + a].type;
            fkind fk = sp->fk[a];
            lm_vector *v = NULL;
            if (fk != FA_GENERIC) {
                for (int32_t i = 0; i < m; i++) {
                    const agg_table *t = &tables[r[i].part];
                    int64_t g = r[i].g, c = t->cnt[a][g];
                    cnt[i] = c;
                    iv[i] = t->li[a][g];
                    dv[i] = fk == FA_AVG_I || fk == FA_AVG_F ? (c ? t->d[a][g] / (double)c : 0)
                                                             : t->d[a][g];
                }
            }
            switch (fk) {
            case FA_COUNT: v = typed_column(at, m, cnt, NULL, NULL, cnt, true); break;
            case FA_SUM_I:
            case FA_MIN_I:
            case FA_MAX_I: v = typed_column(at, m, iv, NULL, NULL, cnt, false); break;
            case FA_GENERIC:
                if ((v = lm_vector_new(at, m)) == NULL)
                    break;
                for (int32_t i = 0; st == LM_OK && i < m; i++) {
                    lm_value res;
                    st = call->fn->agg_final(ec, call, tables[r[i].part].blocks[r[i].g] + sp->offsets[a], &res);
                    if (st == LM_OK && lm_vector_append(v, &res) != LM_OK)
                        st = lm_error_oom(ec->err);
                }
                lm_arena_free(ec->arena);
                break;
            default: v = typed_column(at, m, NULL, dv, NULL, cnt, false); break;
            }
            b->cols[nk + a] = v;
            if (v == NULL && st == LM_OK)
                st = lm_error_oom(ec->err);
        }
        if (st == LM_OK && lm_table_append_batch(out, b) != LM_OK)
            st = lm_error_oom(ec->err);
        if (st != LM_OK) {
            for (int c = 0; c < b->ncols; c++)
                if (b->cols[c] == NULL)
                    b->cols[c] = exec_placeholder(0);
            lm_batch_free(b);
        }
    }
    free(valid);
    free(iv);
    free(cnt);
    free(dv);
    free(spv);
    free(slv);
    return st;
}

/* Whether the output can be written by emit_refs (the typed path needs
   the output types to be the stored ones). */
static bool typed_output(const agg_spec *sp, const lm_table *out)
{
    bool typed = out->schema->nfields == sp->nk + sp->na;
    for (int a = 0; typed && a < sp->na; a++) {
        fkind fk = sp->fk[a];
        lm_type_id id = out->schema->fields[sp->nk + a].type->id;
        if (fk == FA_COUNT || fk == FA_SUM_I)
            typed = id == LM_TYPE_LONG;
        else if (fk == FA_SUM_F || fk == FA_AVG_I || fk == FA_AVG_F)
            typed = id == LM_TYPE_DOUBLE;
        else if (fk != FA_GENERIC)
            typed = id == sp->info->aggs[a]->args[0]->type->id;
    }
    for (int k = 0; typed && k < sp->nk; k++)
        typed = out->schema->fields[k].type->id == sp->kt[k]->id;
    return typed;
}

static lm_status emit_vec(agg_table *t, lm_eval_ctx *ec, lm_table *out)
{
    gref *refs = malloc(sizeof *refs * ((size_t)t->ngroups + 1));
    if (refs == NULL)
        return lm_error_oom(ec->err);
    for (int64_t g = 0; g < t->ngroups; g++)
        refs[g] = (gref){0, g};
    lm_status st = agg_emit_refs(t, refs, t->ngroups, ec, out);
    free(refs);
    return st;
}

lm_status agg_emit(agg_table *t, lm_eval_ctx *ec, lm_table *out)
{
    if (typed_output(t->sp, out))
        return emit_vec(t, ec, out);
    return emit_rows(t, ec, out);
}

static lm_status emit_rows(agg_table *t, lm_eval_ctx *ec, lm_table *out)
{
    const agg_spec *sp = t->sp;
    int nk = sp->nk, na = sp->na;
    lm_value *res = calloc((size_t)(nk + na + 1), sizeof *res);
    if (res == NULL)
        return lm_error_oom(ec->err);
    lm_status st = LM_OK;
    for (int64_t g = 0; st == LM_OK && g < t->ngroups; g++) {
        for (int k = 0; k < nk; k++)
            res[k] = key_value(sp, t, k, g);
        for (int a = 0; st == LM_OK && a < na; a++) {
            const lm_expr *call = sp->info->aggs[a];
            if (sp->fk[a] != FA_GENERIC)
                st = fast_final(call, sp->fk[a], t, a, g, &res[nk + a]);
            else
                st = call->fn->agg_final(ec, call, t->blocks[g] + sp->offsets[a], &res[nk + a]);
        }
        if (st == LM_OK && lm_table_append_row(out, res) != LM_OK)
            st = lm_error_oom(ec->err);
        if ((g & 1023) == 1023)
            lm_arena_free(ec->arena);
    }
    free(res);
    return st;
}

/* ------------------------------------------------------------ driver */

typedef struct agg_run {
    agg_spec sp;
    const lm_table *in;
    exec_parts parts;
    agg_table *tables;    /* per partition */
} agg_run;

static lm_status agg_task(void *arg, int task, lm_eval_ctx *ec)
{
    agg_run *ar = arg;
    agg_table *t = &ar->tables[task];
    lm_status st = agg_table_init(t, &ar->sp);
    if (st != LM_OK)
        return lm_error_oom(ec->err);
    if (ar->sp.nk == 0) {
        int64_t g;
        kcol none = {0};
        if ((st = new_group(t, ec, &none, 0, 0, &g)) != LM_OK)
            return st;
    }
    for (int b = ar->parts.first[task]; st == LM_OK && b < ar->parts.first[task + 1]; b++) {
        st = add_batch(t, ec, ar->in->batches[b]);
        lm_arena_free(ec->arena);
    }
    return st;
}

static void spec_free(agg_spec *sp)
{
    for (int k = 0; sp->kprog && k < sp->nk; k++)
        lm_vexpr_free(sp->kprog[k]);
    for (int a = 0; sp->aprog && a < sp->na; a++) {
        for (int k = 0; sp->aprog[a] && k < sp->info->aggs[a]->nargs; k++)
            lm_vexpr_free(sp->aprog[a][k]);
        free(sp->aprog[a]);
    }
    for (int a = 0; sp->fprog && a < sp->na; a++)
        lm_vexpr_free(sp->fprog[a]);
    free(sp->kprog);
    free(sp->aprog);
    free(sp->fprog);
    free(sp->kk);
    free(sp->kt);
    free(sp->fk);
    free(sp->offsets);
}

static lm_status spec_init(agg_spec *sp, lm_exec *x, const lm_plan *p, bool *parallel_ok,
                           bool *radix_ok)
{
    static const lm_agg_info none = {0, NULL, false};
    sp->x = x;
    sp->p = p;
    sp->info = p->aux ? (const lm_agg_info *)p->aux : &none;
    sp->nk = p->ngroup;
    sp->na = sp->info->naggs;
    int nk = sp->nk, na = sp->na;
    sp->kk = calloc((size_t)nk + 1, sizeof *sp->kk);
    sp->kt = calloc((size_t)nk + 1, sizeof *sp->kt);
    sp->fk = calloc((size_t)na + 1, sizeof *sp->fk);
    sp->offsets = calloc((size_t)na + 1, sizeof *sp->offsets);
    if (!sp->kk || !sp->kt || !sp->fk || !sp->offsets)
        return lm_error_oom(x->err);
    bool vec = true, safe = true, mergeable = true;
    for (int k = 0; k < nk; k++) {
        sp->kt[k] = p->group_by[k]->type;
        sp->kk[k] = exec_key_kind_of(sp->kt[k]);
        vec &= lm_vexpr_supported(p->group_by[k]);
        safe &= exec_expr_thread_safe(p->group_by[k]);
    }
    bool ansi = x->session ? x->session->ansi : false;
    for (int a = 0; a < na; a++) {
        const lm_expr *call = sp->info->aggs[a];
        for (int k = 0; k < call->nargs; k++)
            vec &= lm_vexpr_supported(call->args[k]);
        vec &= call->filter == NULL || lm_vexpr_supported(call->filter);
        safe &= exec_expr_thread_safe(call);
        sp->fk[a] = fast_kind(call, ansi);
        if (sp->fk[a] == FA_GENERIC) {
            sp->offsets[a] = sp->block;
            sp->block += (call->fn->state_size + 15) & ~(size_t)15;
            mergeable &= call->fn->agg_merge != NULL && !call->distinct;
        }
    }
    sp->vec = vec;
    *parallel_ok = vec && safe && mergeable;
    /* partitioning by key hash needs keys that load without an arena */
    *radix_ok = vec && safe && nk > 0;
    for (int k = 0; k < nk; k++)
        *radix_ok &= sp->kk[k] != EXEC_KEY_VAL;
    if (!vec)
        return LM_OK;
    sp->kprog = calloc((size_t)nk + 1, sizeof *sp->kprog);
    sp->aprog = calloc((size_t)na + 1, sizeof *sp->aprog);
    sp->fprog = calloc((size_t)na + 1, sizeof *sp->fprog);
    if (!sp->kprog || !sp->aprog || !sp->fprog)
        return lm_error_oom(x->err);
    lm_arena scratch;
    lm_arena_init(&scratch, 4096);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    lm_status st = LM_OK;
    for (int k = 0; st == LM_OK && k < nk; k++)
        if ((sp->kprog[k] = lm_vexpr_compile(&ec, p->group_by[k])) == NULL)
            st = LM_ENOMEM;
    for (int a = 0; st == LM_OK && a < na; a++) {
        const lm_expr *call = sp->info->aggs[a];
        sp->aprog[a] = calloc((size_t)call->nargs + 1, sizeof **sp->aprog);
        if (sp->aprog[a] == NULL)
            st = lm_error_oom(x->err);
        for (int k = 0; st == LM_OK && k < call->nargs; k++)
            if ((sp->aprog[a][k] = lm_vexpr_compile(&ec, call->args[k])) == NULL)
                st = LM_ENOMEM;
        if (st == LM_OK && call->filter && (sp->fprog[a] = lm_vexpr_compile(&ec, call->filter)) == NULL)
            st = LM_ENOMEM;
    }
    lm_arena_free(&scratch);
    return st;
}

static lm_status aggregate(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                           lm_table **out);

lm_status lm_op_aggregate(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                          lm_table **out)
{
    /* rows in input order, or as an exchange would deliver them under
       chaos (exec/chaos.h) */
    lm_table *src = NULL;
    lm_status st = exec_input_order(x, in, EXEC_CHAOS_AGG_INPUT, &src);
    if (st != LM_OK)
        return st;
    st = aggregate(x, p, src, need, out);
    lm_table_unref(src);
    return st;
}

static lm_status aggregate(lm_exec *x, const lm_plan *p, lm_table *in, const bool *need,
                           lm_table **out)
{
    agg_run ar;
    memset(&ar, 0, sizeof ar);
    ar.in = in;
    bool parallel_ok = false, radix_ok = false;
    lm_status st = spec_init(&ar.sp, x, p, &parallel_ok, &radix_ok);
    ar.sp.need = need;
    if (st == LM_OK && radix_ok && in->nrows > EXEC_TASK_ROWS) {
        lm_table *t = lm_table_new(p->schema);
        bool done = false;
        if (t == NULL)
            st = lm_error_oom(x->err);
        else if (!typed_output(&ar.sp, t))
            done = false;
        else
            st = agg_grouped(x, &ar.sp, in, t, &done);
        if (st == LM_OK && done) {
            spec_free(&ar.sp);
            *out = t;
            return LM_OK;
        }
        lm_table_unref(t);
        if (st != LM_OK) {
            spec_free(&ar.sp);
            return st;
        }
        /* some batch needs the row interpreter: one sequential pass, which
           gives the same states the partitioned run would have */
        parallel_ok = false;
    }
    if (st == LM_OK && !exec_partitions(in, parallel_ok ? EXEC_PART_ROWS : INT64_MAX, &ar.parts))
        st = lm_error_oom(x->err);
    if (st == LM_OK && (ar.tables = calloc((size_t)ar.parts.n + 1, sizeof *ar.tables)) == NULL)
        st = lm_error_oom(x->err);
    if (st == LM_OK)
        st = exec_run_tasks(x, ar.parts.n, parallel_ok, agg_task, &ar);
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    for (int i = 1; st == LM_OK && i < ar.parts.n; i++)
        st = merge_tables(&ar.tables[0], &ar.tables[i], &ec);
    lm_table *t = NULL;
    if (st == LM_OK && (t = lm_table_new(p->schema)) == NULL)
        st = lm_error_oom(x->err);
    if (st == LM_OK)
        st = agg_emit(&ar.tables[0], &ec, t);
    lm_arena_free(&scratch);
    for (int i = 0; ar.tables && i < ar.parts.n; i++)
        agg_table_free(&ar.tables[i]);
    free(ar.tables);
    exec_parts_free(&ar.parts);
    spec_free(&ar.sp);
    if (st != LM_OK) {
        lm_table_unref(t);
        return st;
    }
    *out = t;
    return LM_OK;
}
