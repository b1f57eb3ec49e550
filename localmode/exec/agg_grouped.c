/*
 * Parallel grouped aggregation (the GROUP BY side of op_aggregate.c). Every state must be the one a single
 * sequential pass computes (sums of doubles add up in input order), and
 * groups come out in order of their first row, whatever local[N] says.
 *
 * Phase 1, in parallel over fixed input partitions: each batch's keys
 * and arguments are evaluated and its keys hashed; each partition looks
 * its rows up in a table of its own (keys only), giving every row a
 * local group id.
 *
 * Then one of two ways, chosen by how many groups the partitions found:
 *
 * - Few groups (every local table under LOCAL_GROUPS_MAX): the local
 *   tables are merged, partition after partition, into the final table,
 *   which numbers the groups in first-row order; local ids are rewritten
 *   as final ids (in parallel); then each aggregate runs over all rows in
 *   input order, the typed aggregates in parallel with each other (each
 *   owns its state arrays). Nothing but keys is ever merged.
 *
 * - Many groups: merging the local tables would cost as much as one
 *   sequential pass, so the rows are split by key hash into RADIX_PARTS
 *   parts instead; each part aggregates its rows, reading every batch in
 *   input order. A group lives in exactly one part; the output merges the
 *   parts by the position of each group's first row.
 */
#include "exec/agg_table.h"

#include <stdlib.h>
#include <string.h>

#include "exec/exec_batch.h"
#include "vector/strdict.h"

#define RADIX_BITS 6
#define RADIX_PARTS (1 << RADIX_BITS)
/* Beyond this many groups in one partition the merge of local tables
   stops paying: the hash-partitioned way is taken. */
#define LOCAL_GROUPS_MAX 16384

typedef struct grouped_run {
    const agg_spec *sp;
    agg_spec keys_only;    /* sp without aggregates: the local tables */
    const lm_table *in;
    exec_parts tasks;      /* input partitions of phase 1 */
    batch_vals *bv;        /* per batch */
    int32_t **gid;         /* per batch: local, then final group ids */
    int64_t *base;         /* global index of each batch's row 0 */
    bool *redo;            /* batches the kernels could not evaluate */
    agg_table *local;      /* per partition */
    bool *overflow;        /* per partition: too many groups for a merge */
    int32_t **map;         /* per partition: local group id -> final */
    agg_table final;
    bool all_typed;        /* every aggregate has a typed kernel */
    bool one_int;          /* a GROUP BY of one integral column */
    bool all_coded;        /* every key has dictionary codes (kdict) */
    /* several integral or string columns: each is coded through a
       dictionary of its own (codes[k][batch]) and the combined code, when
       small, numbers the groups directly */
    bool multi;
    agg_spec *col_spec;    /* per key: a one-key spec */
    agg_table *dict;       /* per key: its distinct values */
    bool *dict_full;       /* per key: too many values */
    int64_t *card;         /* per key: how many codes */
    /* per key: the dictionary its input column is coded in (a cached
       string column, strdict.h), whose codes are borrowed; else NULL */
    const lm_strdict **kdict;
    int32_t ***codes;
    int64_t *kmin, *kmax;  /* per batch, for one_int: range of its keys */
    int32_t **idx;         /* per batch: row indices grouped by part */
    int32_t (*off)[RADIX_PARTS + 1];
    agg_table parts[RADIX_PARTS];
} grouped_run;


/* Local group ids of partition `task`'s batches (hashing them first when
   phase 1 left that out), until the partition finds too many groups. */
static lm_status grouped_lookup_task(void *arg, int task, lm_eval_ctx *ec)
{
    grouped_run *gr = arg;
    agg_table *lt = &gr->local[task];
    if (agg_table_init(lt, &gr->keys_only) != LM_OK)
        return lm_error_oom(ec->err);
    lt->borrow_keys = true;
    for (int b = gr->tasks.first[task]; b < gr->tasks.first[task + 1]; b++) {
        lm_status st = agg_load_batch_keys(gr->sp, ec, &gr->bv[b], true);
        if (st != LM_OK)
            return st;
        if (gr->overflow[task])
            continue;
        if ((st = agg_lookup_rows(lt, ec, &gr->bv[b], NULL, gr->bv[b].n, gr->gid[b], gr->base[b])) != LM_OK)
            return st;
        gr->overflow[task] = lt->ngroups > LOCAL_GROUPS_MAX;
    }
    return LM_OK;
}

/* Reusable arrays for one batch's integer keys. */
typedef struct int_scratch {
    int64_t *i;
    uint8_t *valid;
    int32_t cap;
} int_scratch;

/* The keys of a one-integer-column GROUP BY, loaded into scratch (c
   points into it). */
static bool int_keys(const lm_vector *v, int32_t n, kcol *c, int_scratch *s)
{
    if (n > s->cap) {
        free(s->i);
        free(s->valid);
        s->i = malloc(sizeof *s->i * ((size_t)n + 1));
        s->valid = malloc((size_t)n + 1);
        s->cap = s->i && s->valid ? n : 0;
        if (s->cap == 0)
            return false;
    }
    memset(c, 0, sizeof *c);
    c->i = s->i;
    c->valid = s->valid;
    return agg_load_keys(EXEC_KEY_I64, v, n, c, NULL);
}

static void int_keys_free(int_scratch *s)
{
    free(s->i);
    free(s->valid);
    memset(s, 0, sizeof *s);
}

/* Phase 1: evaluation of partition `task`'s batches; a one-integer key
   is not hashed yet (its range may make hashing needless). */
static lm_status grouped_eval_task(void *arg, int task, lm_eval_ctx *ec)
{
    grouped_run *gr = arg;
    int_scratch scratch = {0};
    lm_status st = LM_OK;
    for (int b = gr->tasks.first[task]; st == LM_OK && b < gr->tasks.first[task + 1]; b++) {
        const lm_batch *batch = gr->in->batches[b];
        st = agg_eval_batch(gr->sp, ec, batch, &gr->bv[b], !gr->one_int && !gr->all_coded,
                            !gr->one_int && !gr->multi);
        if (st != LM_OK && st != LM_ENOMEM) {
            lm_error_clear(ec->err);
            agg_batch_vals_free(&gr->bv[b], gr->sp->nk);
            gr->redo[b] = true;
            st = LM_OK;
            continue;
        }
        lm_arena_free(ec->arena);
        kcol c;
        if (st == LM_OK &&
            ((gr->gid[b] = malloc(sizeof **gr->gid * ((size_t)batch->nrows + 1))) == NULL ||
             (gr->one_int && !int_keys(gr->bv[b].vecs[0], batch->nrows, &c, &scratch))))
            st = lm_error_oom(ec->err);
        if (st == LM_OK && gr->one_int) {
            int64_t lo = INT64_MAX, hi = INT64_MIN;
            for (int32_t i = 0; i < batch->nrows; i++)
                if (c.valid[i]) {
                    lo = c.i[i] < lo ? c.i[i] : lo;
                    hi = c.i[i] > hi ? c.i[i] : hi;
                }
            gr->kmin[b] = lo;
            gr->kmax[b] = hi;
        }
    }
    int_keys_free(&scratch);
    if (st != LM_OK || gr->one_int || gr->multi)
        return st;
    return grouped_lookup_task(arg, task, ec);
}

/* Keys of at most this range are numbered through a direct array. */
#define DIRECT_RANGE_MAX (1 << 20)

/* The group of row i of batch b (keys kc) whose number is kept in
   slot[at]: that one, or a new group of the final table, which is
   unindexed (the slots number the groups), so no key hash is needed. */
static inline lm_status slot_group(grouped_run *gr, lm_eval_ctx *ec, int32_t *slot, int64_t at,
                                   const kcol *kc, int b, int32_t i, int32_t *g)
{
    if (slot[at] < 0) {
        int64_t ng;
        lm_status st = LM_OK;
        /* coded keys are loaded only for batches where a group starts */
        if (kc == NULL && !gr->final.keyless) {
            if ((st = agg_load_batch_keys(gr->sp, ec, &gr->bv[b], false)) != LM_OK)
                return st;
            kc = gr->bv[b].kc;
        }
        gr->final.next_first = gr->base[b] + i;
        st = agg_add_group(&gr->final, ec, kc, i, 0, &ng);
        if (st != LM_OK)
            return st;
        slot[at] = (int32_t)ng;
    }
    *g = slot[at];
    return LM_OK;
}

/* Final group ids straight from a one-integer key: an array indexed by
   key - lo (the last entry for NULL) remembers each key's group. One
   sequential pass; the groups still enter the final table in
   first-row order. */
static lm_status grouped_direct(grouped_run *gr, lm_eval_ctx *ec, int64_t lo, int64_t range)
{
    int32_t *slot = malloc(sizeof *slot * ((size_t)range + 1));
    if (slot == NULL)
        return lm_error_oom(ec->err);
    memset(slot, 0xff, sizeof *slot * ((size_t)range + 1));
    lm_status st = LM_OK;
    int_scratch scratch = {0};
    for (int b = 0; st == LM_OK && b < gr->in->nbatches; b++) {
        kcol kc, *c = &kc;
        if (!int_keys(gr->bv[b].vecs[0], gr->bv[b].n, c, &scratch)) {
            st = lm_error_oom(ec->err);
            break;
        }
        int32_t *gid = gr->gid[b];
        for (int32_t i = 0; i < gr->bv[b].n; i++) {
            int64_t at = c->valid[i] ? c->i[i] - lo : range;
            if ((st = slot_group(gr, ec, slot, at, c, b, i, &gid[i])) != LM_OK)
                break;
        }
    }
    int_keys_free(&scratch);
    free(slot);
    return st;
}

/* Local ids to final ones, batch by batch. */
static lm_status grouped_map_task(void *arg, int task, lm_eval_ctx *ec)
{
    (void)ec;
    grouped_run *gr = arg;
    const int32_t *map = gr->map[task];
    for (int b = gr->tasks.first[task]; b < gr->tasks.first[task + 1]; b++) {
        int32_t *gid = gr->gid[b];
        for (int32_t i = 0; i < gr->bv[b].n; i++)
            gid[i] = map[gid[i]];
    }
    return LM_OK;
}

/* Task a: aggregate a over every batch in input order (typed kernels
   only; each task owns its aggregate's arrays). */
static lm_status grouped_update_task(void *arg, int a, lm_eval_ctx *ec)
{
    (void)ec;
    grouped_run *gr = arg;
    const agg_spec *sp = gr->sp;
    int vi = sp->nk;
    for (int k = 0; k < a; k++)
        vi += sp->info->aggs[k]->nargs + 1;
    int nargs = sp->info->aggs[a]->nargs;
    for (int b = 0; b < gr->in->nbatches; b++)
        agg_fast_update(&gr->final, a, sp->fk[a], gr->gid[b], NULL, gr->bv[b].n, &gr->bv[b].vecs[vi],
                    nargs);
    return LM_OK;
}

static lm_status radix_index_task(void *arg, int task, lm_eval_ctx *ec)
{
    grouped_run *gr = arg;
    for (int b = gr->tasks.first[task]; b < gr->tasks.first[task + 1]; b++) {
        const uint64_t *h = gr->bv[b].h;
        int32_t n = gr->bv[b].n;
        int32_t *idx = malloc(sizeof *idx * ((size_t)n + 1));
        if (idx == NULL)
            return lm_error_oom(ec->err);
        int32_t *off = gr->off[b];
        memset(off, 0, sizeof gr->off[b]);
        /* the top hash bits pick the part; the low bits index table slots */
        for (int32_t i = 0; i < n; i++)
            off[(h[i] >> (64 - RADIX_BITS)) + 1]++;
        for (int q = 0; q < RADIX_PARTS; q++)
            off[q + 1] += off[q];
        int32_t pos[RADIX_PARTS];
        memcpy(pos, off, sizeof pos);
        for (int32_t i = 0; i < n; i++)
            idx[pos[h[i] >> (64 - RADIX_BITS)]++] = i;
        gr->idx[b] = idx;
    }
    return LM_OK;
}

static lm_status radix_part_task(void *arg, int part, lm_eval_ctx *ec)
{
    grouped_run *gr = arg;
    agg_table *t = &gr->parts[part];
    /* many groups (that is why this way was taken): room for a share of
       the rows up front spares the doublings */
    int64_t room = gr->in->nrows / RADIX_PARTS / 2;
    lm_status st = agg_table_init_sized(t, gr->sp, room < (1 << 20) ? room : (1 << 20));
    if (st != LM_OK)
        return lm_error_oom(ec->err);
    t->borrow_keys = true;
    for (int b = 0; st == LM_OK && b < gr->in->nbatches; b++) {
        int32_t lo = gr->off[b][part], hi = gr->off[b][part + 1];
        if (hi > lo)
            st = agg_apply_batch(t, ec, &gr->bv[b], gr->idx[b] + lo, hi - lo, gr->base[b]);
        lm_arena_free(ec->arena);
    }
    return st == LM_EUNSUPPORTED ? LM_ERROR : st;
}

/* The many-groups way. */
static lm_status grouped_radix(lm_exec *x, grouped_run *gr, lm_table *out)
{
    int nb = gr->in->nbatches;
    gr->idx = calloc((size_t)nb + 1, sizeof *gr->idx);
    gr->off = calloc((size_t)nb + 1, sizeof *gr->off);
    if (gr->idx == NULL || gr->off == NULL)
        return lm_error_oom(x->err);
    lm_status st = exec_run_tasks(x, gr->tasks.n, true, radix_index_task, gr);
    if (st == LM_OK)
        st = exec_run_tasks(x, RADIX_PARTS, true, radix_part_task, gr);
    if (st != LM_OK)
        return st;
    /* groups by the position of their first row: a merge of the parts,
       each already in that order */
    int64_t total = 0;
    for (int q = 0; q < RADIX_PARTS; q++)
        total += gr->parts[q].ngroups;
    gref *refs = malloc(sizeof *refs * ((size_t)total + 1));
    if (refs == NULL)
        return lm_error_oom(x->err);
    /* each part lists its groups in first-row order: mark every first row
       with its part, then read the marks in row order */
    uint8_t *part_of = malloc((size_t)gr->in->nrows + 1);
    if (part_of == NULL) {
        free(refs);
        return lm_error_oom(x->err);
    }
    memset(part_of, 0xff, (size_t)gr->in->nrows + 1);
    for (int q = 0; q < RADIX_PARTS; q++)
        for (int64_t g = 0; g < gr->parts[q].ngroups; g++)
            part_of[gr->parts[q].first[g]] = (uint8_t)q;
    int64_t head[RADIX_PARTS] = {0}, k = 0;
    for (int64_t row = 0; row < gr->in->nrows; row++)
        if (part_of[row] != 0xff)
            refs[k++] = (gref){part_of[row], head[part_of[row]]++};
    free(part_of);
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    st = agg_emit_refs(gr->parts, refs, total, &ec, out);
    lm_arena_free(&scratch);
    free(refs);
    return st;
}

/* The few-groups way, first step: the final table numbers the groups of
   the local tables, partition after partition. */
static lm_status grouped_merge(lm_exec *x, grouped_run *gr, lm_eval_ctx *ec)
{
    int nt = gr->tasks.n;
    if ((gr->map = calloc((size_t)nt + 1, sizeof *gr->map)) == NULL)
        return lm_error_oom(x->err);
    lm_status st = LM_OK;
    for (int q = 0; st == LM_OK && q < nt; q++) {
        const agg_table *lt = &gr->local[q];
        if ((gr->map[q] = malloc(sizeof **gr->map * ((size_t)lt->ngroups + 1))) == NULL)
            return lm_error_oom(x->err);
        for (int64_t j = 0; st == LM_OK && j < lt->ngroups; j++) {
            int64_t g;
            gr->final.next_first = lt->first[j];
            st = agg_find_group(&gr->final, ec, lt->keys, j, lt->ghash[j], &g);
            gr->map[q][j] = (int32_t)g;
        }
    }
    return st == LM_OK ? exec_run_tasks(x, nt, true, grouped_map_task, gr) : st;
}

/* The few-groups way, once every row has its final group: the updates,
   in input order, and the output. */
static lm_status grouped_update(lm_exec *x, grouped_run *gr, lm_eval_ctx *ec, lm_table *out)
{
    lm_status st = LM_OK;
    if (gr->all_typed) {
        st = exec_run_tasks(x, gr->sp->na, true, grouped_update_task, gr);
    } else {
        /* generic states share the table's arena: one task, in order */
        for (int b = 0; st == LM_OK && b < gr->in->nbatches; b++) {
            st = agg_update_batch(&gr->final, ec, &gr->bv[b], NULL, gr->bv[b].n, gr->gid[b]);
            lm_arena_free(ec->arena);
        }
        if (st == LM_EUNSUPPORTED)
            st = LM_ERROR;
    }
    return st == LM_OK ? agg_emit(&gr->final, ec, out) : st;
}

/* Task k: the dictionary of key column k, in first-row order, and each
   row's code in it; stops once the column has too many values to make a
   small combined code. */
static lm_status grouped_dict_task(void *arg, int k, lm_eval_ctx *ec)
{
    grouped_run *gr = arg;
    if (gr->kdict[k] != NULL) {
        int ord;
        lm_vexpr_is_column(gr->sp->kprog[k], &ord);
        for (int b = 0; b < gr->in->nbatches; b++)
            gr->codes[k][b] = gr->in->batches[b]->cols[ord]->codes;
        gr->card[k] = gr->kdict[k]->size;
        return LM_OK;
    }
    agg_table *d = &gr->dict[k];
    if (agg_table_init(d, &gr->col_spec[k]) != LM_OK)
        return lm_error_oom(ec->err);
    d->borrow_keys = true;
    const agg_spec *cs = &gr->col_spec[k];
    uint64_t *h = NULL;
    int32_t cap = 0;
    lm_status st = LM_OK;
    for (int b = 0; st == LM_OK && b < gr->in->nbatches && !gr->dict_full[k]; b++) {
        int32_t n = gr->bv[b].n;
        if (n > cap) {
            free(h);
            cap = n;
            if ((h = malloc(sizeof *h * ((size_t)cap + 1))) == NULL)
                st = lm_error_oom(ec->err);
        }
        if (st == LM_OK && (gr->codes[k][b] = malloc(sizeof ***gr->codes * ((size_t)n + 1))) == NULL)
            st = lm_error_oom(ec->err);
        if (st != LM_OK)
            break;
        batch_vals view = {.n = n, .kc = &gr->bv[b].kc[k], .h = h};
        agg_hash_column(cs->kk[0], cs->kt[0], view.kc, n, h, true);
        st = agg_lookup_rows(d, ec, &view, NULL, n, gr->codes[k][b], gr->base[b]);
        gr->dict_full[k] = d->ngroups > DIRECT_RANGE_MAX;
    }
    free(h);
    gr->card[k] = d->ngroups;
    return st;
}

/* The combined codes' range (product of the dictionaries' sizes), when
   every dictionary is complete and it stays under DIRECT_RANGE_MAX. */
static bool grouped_codes_range(const grouped_run *gr, int64_t *range)
{
    int64_t r = 1;
    for (int k = 0; k < gr->sp->nk; k++) {
        if (gr->dict_full[k])
            return false;
        r *= gr->card[k] > 0 ? gr->card[k] : 1;
        if (r > DIRECT_RANGE_MAX)
            return false;
    }
    *range = r;
    return true;
}

/* Final group ids from the combined codes, as grouped_direct does from
   one integer key: one sequential pass, groups in first-row order. */
static lm_status grouped_by_codes(grouped_run *gr, lm_eval_ctx *ec, int64_t range)
{
    int nk = gr->sp->nk;
    int32_t *slot = malloc(sizeof *slot * ((size_t)range + 1));
    if (slot == NULL)
        return lm_error_oom(ec->err);
    memset(slot, 0xff, sizeof *slot * ((size_t)range + 1));
    lm_status st = LM_OK;
    for (int b = 0; st == LM_OK && b < gr->in->nbatches; b++) {
        const kcol *kc = gr->bv[b].kc; /* NULL when every key is coded */
        int32_t *gid = gr->gid[b], n = gr->bv[b].n;
        /* the combined codes first (into gid), so that the slot of a row a
           few ahead can be fetched while this one is looked at */
        for (int32_t i = 0; i < n; i++)
            gid[i] = gr->codes[0][b][i];
        for (int k = 1; k < nk; k++) {
            int32_t card = (int32_t)gr->card[k];
            const int32_t *ck = gr->codes[k][b];
            for (int32_t i = 0; i < n; i++)
                gid[i] = gid[i] * card + ck[i];
        }
        for (int32_t i = 0; i < n; i++) {
            if (i + 16 < n)
                __builtin_prefetch(&slot[gid[i + 16]]);
            if ((st = slot_group(gr, ec, slot, gid[i], kc, b, i, &gid[i])) != LM_OK)
                break;
        }
    }
    free(slot);
    return st;
}

/* A one-integer key over a small range numbers its groups directly. */
static bool grouped_direct_range(const grouped_run *gr, int64_t *lo, int64_t *range)
{
    int64_t l = INT64_MAX, h = INT64_MIN;
    for (int b = 0; b < gr->in->nbatches; b++) {
        l = gr->kmin[b] < l ? gr->kmin[b] : l;
        h = gr->kmax[b] > h ? gr->kmax[b] : h;
    }
    if (l > h) { /* every key NULL */
        *lo = 0;
        *range = 0;
        return true;
    }
    uint64_t r = (uint64_t)h - (uint64_t)l;
    *lo = l;
    *range = (int64_t)r + 1;
    return r < DIRECT_RANGE_MAX;
}

/* The per-column dictionaries of a several-column key, side by side. */
static lm_status grouped_dicts(lm_exec *x, grouped_run *gr)
{
    int nk = gr->sp->nk, nb = gr->in->nbatches;
    gr->col_spec = calloc((size_t)nk, sizeof *gr->col_spec);
    gr->dict = calloc((size_t)nk, sizeof *gr->dict);
    gr->dict_full = calloc((size_t)nk, sizeof *gr->dict_full);
    gr->codes = calloc((size_t)nk, sizeof *gr->codes);
    gr->card = calloc((size_t)nk, sizeof *gr->card);
    if (!gr->col_spec || !gr->dict || !gr->dict_full || !gr->codes || !gr->card)
        return lm_error_oom(x->err);
    for (int k = 0; k < nk; k++) {
        gr->col_spec[k] = gr->keys_only;
        gr->col_spec[k].nk = 1;
        gr->col_spec[k].kk = &gr->sp->kk[k];
        gr->col_spec[k].kt = &gr->sp->kt[k];
        if ((gr->codes[k] = calloc((size_t)nb + 1, sizeof **gr->codes)) == NULL)
            return lm_error_oom(x->err);
    }
    return exec_run_tasks(x, nk, true, grouped_dict_task, gr);
}

/* The final table of a way that numbers groups itself, with room for
   every group a key range of `range` values (and NULL) can give. */
static lm_status final_unindexed(grouped_run *gr, int64_t range)
{
    int64_t most = range + 1 < gr->in->nrows ? range + 1 : gr->in->nrows;
    agg_table_free(&gr->final);
    if (agg_table_init_unindexed(&gr->final, gr->sp, most) != LM_OK)
        return lm_error_oom(gr->sp->x->err);
    return LM_OK;
}

/* After phase 1: numbering, updates and output, by one of the ways. */
static lm_status grouped_finish(lm_exec *x, grouped_run *gr, lm_table *out)
{
    lm_arena scratch;
    lm_arena_init(&scratch, 64 * 1024);
    lm_eval_ctx ec;
    lm_exec_eval_ctx(x, &ec, &scratch);
    lm_status st = agg_table_init(&gr->final, gr->sp) == LM_OK ? LM_OK : lm_error_oom(x->err);
    gr->final.borrow_keys = true;
    int64_t lo, range;
    if (st == LM_OK && gr->multi)
        st = grouped_dicts(x, gr);
    if (st == LM_OK && gr->one_int && grouped_direct_range(gr, &lo, &range)) {
        st = final_unindexed(gr, range);
        if (st == LM_OK)
            st = grouped_direct(gr, &ec, lo, range);
    } else if (st == LM_OK && gr->multi && grouped_codes_range(gr, &range)) {
        st = final_unindexed(gr, range);
        if (st == LM_OK)
            st = grouped_by_codes(gr, &ec, range);
    } else if (st == LM_OK) {
        if (gr->one_int || gr->multi)
            st = exec_run_tasks(x, gr->tasks.n, true, grouped_lookup_task, gr);
        bool overflow = false;
        for (int q = 0; q < gr->tasks.n; q++)
            overflow |= gr->overflow[q];
        if (st == LM_OK && overflow) {
            st = grouped_radix(x, gr, out);
            lm_arena_free(&scratch);
            return st;
        }
        if (st == LM_OK)
            st = grouped_merge(x, gr, &ec);
    }
    if (st == LM_OK)
        st = grouped_update(x, gr, &ec, out);
    lm_arena_free(&scratch);
    return st;
}

static void grouped_free(grouped_run *gr, int nb)
{
    for (int q = 0; gr->local && q < gr->tasks.n; q++)
        agg_table_free(&gr->local[q]);
    for (int q = 0; gr->map && q < gr->tasks.n; q++)
        free(gr->map[q]);
    for (int q = 0; q < RADIX_PARTS; q++)
        agg_table_free(&gr->parts[q]);
    agg_table_free(&gr->final);
    for (int b = 0; b < nb; b++) {
        if (gr->bv)
            agg_batch_vals_free(&gr->bv[b], gr->sp->nk);
        if (gr->gid)
            free(gr->gid[b]);
        if (gr->idx)
            free(gr->idx[b]);
    }
    free(gr->local);
    free(gr->overflow);
    free(gr->map);
    free(gr->bv);
    free(gr->gid);
    free(gr->idx);
    free(gr->off);
    free(gr->base);
    free(gr->redo);
    free(gr->kmin);
    free(gr->kmax);
    for (int k = 0; gr->dict && k < gr->sp->nk; k++)
        agg_table_free(&gr->dict[k]);
    for (int k = 0; gr->codes && k < gr->sp->nk; k++) {
        for (int b = 0; gr->codes[k] && !gr->kdict[k] && b < nb; b++)
            free(gr->codes[k][b]);
        free(gr->codes[k]);
    }
    free(gr->codes);
    free(gr->dict);
    free(gr->dict_full);
    free(gr->card);
    free(gr->kdict);
    free(gr->col_spec);
    exec_parts_free(&gr->tasks);
}

/* The dictionary in which every batch's key column k is coded, when the
   key is a plain reference to such a column; else NULL. */
static const lm_strdict *key_dict(const grouped_run *gr, int k)
{
    int ord;
    const agg_spec *sp = gr->sp;
    if (sp->kk[k] != EXEC_KEY_STR || !sp->vec || sp->kprog == NULL || sp->kprog[k] == NULL ||
        !lm_vexpr_is_column(sp->kprog[k], &ord))
        return NULL;
    const lm_strdict *d = NULL;
    for (int b = 0; b < gr->in->nbatches; b++) {
        const lm_batch *batch = gr->in->batches[b];
        if (ord >= batch->ncols || !lm_strdict_same(batch->cols[ord], batch->nrows, &d))
            return NULL;
    }
    return d;
}

/* Runs the parallel grouped aggregation; *done false when some batch
   needs the row interpreter, and the caller then aggregates sequentially. */
lm_status agg_grouped(lm_exec *x, const agg_spec *sp, const lm_table *in, lm_table *out,
                      bool *done)
{
    grouped_run gr;
    memset(&gr, 0, sizeof gr);
    gr.sp = sp;
    gr.keys_only = *sp;
    gr.keys_only.na = 0;
    gr.keys_only.block = 0;
    gr.in = in;
    *done = false;
    gr.one_int = sp->nk == 1 && sp->kk[0] == EXEC_KEY_I64;
    /* coded string keys make even one key a coded one */
    if ((gr.kdict = calloc((size_t)sp->nk + 1, sizeof *gr.kdict)) == NULL)
        return lm_error_oom(x->err);
    bool coded = false;
    gr.all_coded = sp->nk > 0;
    for (int k = 0; k < sp->nk; k++) {
        coded |= (gr.kdict[k] = key_dict(&gr, k)) != NULL;
        gr.all_coded &= gr.kdict[k] != NULL;
    }
    gr.multi = sp->nk >= 2 || coded;
    for (int k = 0; k < sp->nk; k++)
        gr.multi &= sp->kk[k] == EXEC_KEY_I64 || sp->kk[k] == EXEC_KEY_STR;
    gr.all_typed = true;
    for (int a = 0; a < sp->na; a++)
        gr.all_typed &= sp->fk[a] != FA_GENERIC;
    int nb = in->nbatches;
    gr.bv = calloc((size_t)nb + 1, sizeof *gr.bv);
    gr.gid = calloc((size_t)nb + 1, sizeof *gr.gid);
    gr.base = calloc((size_t)nb + 1, sizeof *gr.base);
    gr.redo = calloc((size_t)nb + 1, sizeof *gr.redo);
    gr.kmin = calloc((size_t)nb + 1, sizeof *gr.kmin);
    gr.kmax = calloc((size_t)nb + 1, sizeof *gr.kmax);
    lm_status st = (gr.bv && gr.gid && gr.base && gr.redo && gr.kmin && gr.kmax) ? LM_OK
                                                                               : lm_error_oom(x->err);
    for (int b = 0; st == LM_OK && b < nb; b++)
        gr.base[b + 1] = gr.base[b] + in->batches[b]->nrows;
    /* the way chosen changes the speed, never the result: partitions as
       large as keep every thread busy, so that few local tables merge */
    int64_t rows = in->nrows / (2 * (int64_t)exec_threads(x)) + 1;
    if (st == LM_OK && !exec_partitions(in, rows > EXEC_PART_ROWS ? rows : EXEC_PART_ROWS, &gr.tasks))
        st = lm_error_oom(x->err);
    if (st == LM_OK && ((gr.local = calloc((size_t)gr.tasks.n + 1, sizeof *gr.local)) == NULL ||
                        (gr.overflow = calloc((size_t)gr.tasks.n + 1, sizeof *gr.overflow)) == NULL))
        st = lm_error_oom(x->err);
    if (st == LM_OK)
        st = exec_run_tasks(x, gr.tasks.n, true, grouped_eval_task, &gr);
    bool redo = false;
    for (int b = 0; st == LM_OK && b < nb; b++)
        redo |= gr.redo[b];
    if (st == LM_OK && !redo) {
        st = grouped_finish(x, &gr, out);
        *done = st == LM_OK;
    }
    grouped_free(&gr, nb);
    return st;
}
