/*
 * Shuffles and the pair operations built on them: ShuffledRDD (partitionBy,
 * reduceByKey, groupByKey, foldByKey, aggregateByKey, combineByKey,
 * distinct, repartition) with Spark's Aggregator semantics.
 *
 * Map side: each element goes to the bucket of its key's partition; with
 * map-side combine (reduceByKey and friends) each map task first combines
 * per key. Reduce side: a partition reads its bucket from every map output
 * in map order (under chaos, in a seeded arrival order); aggregation keeps
 * keys in order of first appearance (as PySpark's dict-based merge does),
 * so output is deterministic.
 *
 * combineByKey on an RDD already partitioned by the wanted partitioner
 * combines within partitions without a shuffle, as Spark does.
 */
#include "rdd_int.h"

#include <stdlib.h>
#include <string.h>

#include "exec/rowset.h"
#include "exec/spill.h"
#include "session/session.h"

/* ---------------------------------------------------------- aggregators */
rdd_agg *rdd_agg_new(const lm_type *comb_type)
{
    rdd_agg *a = calloc(1, sizeof *a);
    if (a == NULL)
        return NULL;
    a->comb_type = lm_type_ref((lm_type *)comb_type);
    rdd_block_init(&a->zero);
    return a;
}

void rdd_agg_free(rdd_agg *a)
{
    if (a == NULL)
        return;
    lm_type_unref(a->comb_type);
    rdd_block_free(&a->zero);
    free(a);
}

static lm_status agg_create(const rdd_agg *a, lm_task *t, const lm_value *v, lm_value *out)
{
    if (a->create)
        return a->create(t, v, out, a->ud);
    if (a->has_zero)
        return a->merge_value(t, &a->zero.v[0], v, out, a->ud);
    *out = *v;
    return LM_OK;
}

void rdd_shuffle_drop_output(rdd_shuffle *sh)
{
    size_t nb = (size_t)sh->nmap * (size_t)sh->part->n;
    for (size_t i = 0; sh->out && i < nb; i++)
        rdd_block_free(&sh->out[i]);
    for (size_t i = 0; sh->spilled && i < nb; i++)
        spill_close(sh->spilled[i]);
    for (int m = 0; sh->held && sh->cap && m < sh->nmap; m++)
        lm_memcap_release(sh->cap, sh->held[m]);
    free(sh->out);
    free(sh->spilled);
    free(sh->held);
    sh->out = NULL;
    sh->spilled = NULL;
    sh->held = NULL;
    sh->nmap = 0;
    sh->computed = false;
}

void rdd_map_out_discard(rdd_shuffle *sh, rdd_map_out *mo)
{
    for (int r = 0; r < sh->part->n; r++) {
        rdd_block_free(&mo->blocks[r]);
        spill_close(mo->spilled[r]);
        mo->spilled[r] = NULL;
    }
    if (sh->cap)
        lm_memcap_release(sh->cap, mo->held);
    mo->held = 0;
}

void rdd_shuffle_free(rdd_shuffle *sh)
{
    if (sh == NULL)
        return;
    rdd_shuffle_drop_output(sh);
    rdd_partitioner_unref(sh->part);
    rdd_agg_free(sh->agg);
    lm_type_unref(sh->out_value_type);
    free(sh);
}

/*
 * Keyed grouping for one task: a rowset gives keys dense indices in order
 * of first appearance; comb[i] is key i's combiner (or, for groupByKey,
 * list[i] its values). first_key[i] points at the key's first occurrence.
 */
typedef struct keyed {
    lm_rowset set;
    lm_type *key_type;
    rdd_vec comb;
    rdd_vec first_key;
    rdd_vec *list;
    int64_t list_cap;
} keyed;

static void keyed_init(keyed *k, const lm_type *key_type)
{
    memset(k, 0, sizeof *k);
    k->key_type = (lm_type *)key_type;
    lm_rowset_init(&k->set, 1, &k->key_type);
}

static void keyed_free(keyed *k)
{
    lm_rowset_free(&k->set);
    free(k->list);
}

/* Finds or adds key; *idx its index, *inserted whether new. */
static lm_status keyed_upsert(keyed *k, lm_task *t, const lm_value *key, int64_t *idx,
                              bool *inserted)
{
    if (!lm_rowset_upsert(&k->set, key, idx, inserted))
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    if (*inserted) {
        lm_status st = rdd_vec_push(t, &k->first_key, key);
        if (st != LM_OK)
            return st;
        lm_value z = lm_value_null();
        if ((st = rdd_vec_push(t, &k->comb, &z)) != LM_OK)
            return st;
    }
    return LM_OK;
}

static lm_status keyed_list_push(keyed *k, lm_task *t, int64_t idx, const lm_value *v)
{
    if (idx >= k->list_cap) {
        int64_t cap = k->list_cap ? k->list_cap * 2 : 64;
        while (cap <= idx)
            cap *= 2;
        rdd_vec *n = realloc(k->list, sizeof *n * (size_t)cap);
        if (n == NULL)
            return rdd_task_error(t, LM_ENOMEM, "out of memory");
        memset(n + k->list_cap, 0, sizeof *n * (size_t)(cap - k->list_cap));
        k->list = n;
        k->list_cap = cap;
    }
    return rdd_vec_push(t, &k->list[idx], v);
}

/*
 * Aggregates a stream of (key, value) pairs with agg; `combined` says the
 * values are already combiners (reduce side after a map-side combine).
 * Appends the (key, combiner) pairs to out in first-appearance order.
 */
static lm_status aggregate_stream(const rdd_agg *agg, const lm_type *key_type, bool combined,
                                  lm_task *t, rdd_iter *in, rdd_vec *out)
{
    keyed k;
    keyed_init(&k, key_type);
    lm_status st = LM_OK;
    for (;;) {
        lm_value v;
        bool has;
        if ((st = in->next(in, t, &v, &has)) != LM_OK || !has)
            break;
        if (v.is_null) {
            st = rdd_task_error(t, LM_ERROR, "a pair RDD element is null");
            break;
        }
        int64_t idx;
        bool ins;
        if ((st = keyed_upsert(&k, t, rdd_key(&v), &idx, &ins)) != LM_OK)
            break;
        const lm_value *val = rdd_val(&v);
        if (agg->group) {
            if (combined) {
                const lm_array_value *a = val->u.arr;
                for (int32_t i = 0; i < a->n && st == LM_OK; i++)
                    st = keyed_list_push(&k, t, idx, &a->elems[i]);
            } else {
                st = keyed_list_push(&k, t, idx, val);
            }
        } else if (ins) {
            if (combined)
                k.comb.v[idx] = *val;
            else
                st = agg_create(agg, t, val, &k.comb.v[idx]);
        } else {
            lm_value merged;
            st = combined ? agg->merge_comb(t, &k.comb.v[idx], val, &merged, agg->ud)
                          : agg->merge_value(t, &k.comb.v[idx], val, &merged, agg->ud);
            if (st == LM_OK)
                k.comb.v[idx] = merged;
        }
        if (st != LM_OK)
            break;
    }
    for (int64_t i = 0; st == LM_OK && i < k.set.count; i++) {
        lm_value c = k.comb.v[i], pair;
        if (agg->group) {
            rdd_vec *l = i < k.list_cap ? &k.list[i] : NULL;
            st = lm_task_make_array(t, l ? (int)l->n : 0, l ? l->v : NULL, &c);
        }
        if (st == LM_OK)
            st = lm_task_make_pair(t, &k.first_key.v[i], &c, &pair);
        if (st == LM_OK)
            st = rdd_vec_push(t, out, &pair);
    }
    keyed_free(&k);
    return st;
}

/* ------------------------------------------------- groupByKey beyond the cap */
/*
 * groupByKey's grouping table holds every value, so it is what outgrows
 * spark.driver.memory. Its input is read first into a buffer of references
 * (the values themselves live as long as the task), accounted at their
 * full size against the session's cap. When everything fits, the table is
 * built in memory as before. When the cap refuses, every (index, key,
 * value) seen and to come is routed by the key's hash to one of
 * GROUP_SPILL_PARTS spill files; each file is then grouped alone (its keys
 * are all there) and the groups, tagged with the index of their key's
 * first row, are put back in first-appearance order: the output is the
 * one the in-memory table gives.
 */
#define GROUP_SPILL_PARTS 16

static int cmp_first_index(const lm_type *t, const lm_value *a, const lm_value *b, void *ud)
{
    (void)t;
    (void)ud;
    int64_t x = a->u.st->fields[0].u.i64, y = b->u.st->fields[0].u.i64;
    return x < y ? -1 : x > y;
}

/* Groups the rows of one spill partition; appends (first index, pair)
   structs to out. */
static lm_status group_partition(const lm_type *key_type, lm_task *t, spill_file *f,
                                 const lm_type *rec_type, rdd_vec *out)
{
    keyed k;
    keyed_init(&k, key_type);
    rdd_vec first = {0};
    lm_status st = LM_OK;
    lm_error e;
    lm_error_init(&e);
    for (;;) {
        lm_value rec;
        bool has;
        if ((st = spill_read(f, rec_type, &t->arena, &rec, &has, &e)) != LM_OK || !has)
            break;
        const lm_value *pair = &rec.u.st->fields[1];
        int64_t idx;
        bool ins;
        if ((st = keyed_upsert(&k, t, rdd_key(pair), &idx, &ins)) != LM_OK)
            break;
        if (ins && (st = rdd_vec_push(t, &first, &rec.u.st->fields[0])) != LM_OK)
            break;
        if ((st = keyed_list_push(&k, t, idx, rdd_val(pair))) != LM_OK)
            break;
    }
    if (e.status != LM_OK) {
        if (t->err.message == NULL)
            lm_error_move(&t->err, &e);
        lm_error_clear(&e);
    }
    for (int64_t i = 0; st == LM_OK && i < k.set.count; i++) {
        rdd_vec *l = i < k.list_cap ? &k.list[i] : NULL;
        lm_value arr, pair, rec;
        st = lm_task_make_array(t, l ? (int)l->n : 0, l ? l->v : NULL, &arr);
        if (st == LM_OK)
            st = lm_task_make_pair(t, &k.first_key.v[i], &arr, &pair);
        if (st == LM_OK)
            st = lm_task_make_pair(t, &first.v[i], &pair, &rec);
        if (st == LM_OK)
            st = rdd_vec_push(t, out, &rec);
    }
    keyed_free(&k);
    return st;
}

static lm_status task_io_error(lm_task *t, lm_error *e)
{
    lm_status st = e->status != LM_OK ? e->status : LM_EIO;
    if (t->err.message == NULL)
        lm_error_move(&t->err, e);
    lm_error_clear(e);
    return st;
}

/* groupByKey with spilling: see above. in_type is the (key, value) type. */
static lm_status group_with_cap(const rdd_agg *agg, const lm_type *key_type,
                                const lm_type *in_type, lm_task *t, rdd_iter *in, rdd_vec *out)
{
    lm_session *s = t->ctx->s;
    lm_memres res;
    lm_memres_init(&res, &s->memcap);
    rdd_vec buf = {0};
    lm_status st = LM_OK;
    bool spilling = false;
    spill_partitions parts;
    memset(&parts, 0, sizeof parts);
    lm_error e;
    lm_error_init(&e);
    char dir[4096];
    spill_local_dir(s->conf, dir, sizeof dir);
    lm_field rf[2] = {{(char *)"i", lm_type_long(), false, NULL, NULL},
                      {(char *)"p", (lm_type *)in_type, true, NULL, NULL}};
    lm_type *rec_type = lm_type_struct(rf, 2);
    if (rec_type == NULL)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    int64_t n = 0;
    for (;;) {
        lm_value v;
        bool has;
        if ((st = in->next(in, t, &v, &has)) != LM_OK || !has)
            break;
        if (v.is_null) {
            st = rdd_task_error(t, LM_ERROR, "a pair RDD element is null");
            break;
        }
        if (!spilling && lm_memres_grow(&res, spill_value_bytes(in_type, &v))) {
            if ((st = rdd_vec_push(t, &buf, &v)) != LM_OK)
                break;
            n++;
            continue;
        }
        if (!spilling) {
            /* the cap is reached: everything goes to the partitions */
            spilling = true;
            if ((st = spill_partitions_init(&parts, GROUP_SPILL_PARTS, dir, t->ctx->io_faults,
                                            &s->memcap, &e)) != LM_OK)
                break;
            for (int64_t i = 0; st == LM_OK && i < buf.n; i++) {
                int64_t h;
                if (!rdd_portable_hash(key_type, rdd_key(&buf.v[i]), &h))
                    h = (int64_t)lm_value_hash(key_type, rdd_key(&buf.v[i]), 42);
                lm_value f[2] = {lm_value_i64(i), buf.v[i]}, rec;
                if ((st = lm_task_make_struct(t, 2, f, &rec)) == LM_OK)
                    st = spill_partitions_write(&parts, (int)((uint64_t)h % GROUP_SPILL_PARTS),
                                                rec_type, &rec, &e);
            }
            lm_memres_release(&res);
            buf.n = 0;
            if (st != LM_OK)
                break;
        }
        int64_t h;
        if (!rdd_portable_hash(key_type, rdd_key(&v), &h))
            h = (int64_t)lm_value_hash(key_type, rdd_key(&v), 42);
        lm_value f[2] = {lm_value_i64(n++), v}, rec;
        if ((st = lm_task_make_struct(t, 2, f, &rec)) == LM_OK)
            st = spill_partitions_write(&parts, (int)((uint64_t)h % GROUP_SPILL_PARTS), rec_type,
                                        &rec, &e);
        if (st != LM_OK)
            break;
    }
    if (st == LM_OK && !spilling) {
        rdd_iter *it = rdd_iter_array(t, buf.v, buf.n);
        st = it ? aggregate_stream(agg, key_type, false, t, it, out)
                : rdd_task_error(t, LM_ENOMEM, "out of memory");
    } else if (st == LM_OK) {
        /* group each partition, then restore first-appearance order */
        rdd_vec groups = {0};
        for (int p = 0; st == LM_OK && p < GROUP_SPILL_PARTS; p++) {
            spill_file *f = NULL;
            st = spill_partitions_take(&parts, p, &f, &e);
            if (st == LM_OK && f)
                st = group_partition(key_type, t, f, rec_type, &groups);
            spill_close(f);
        }
        if (st == LM_OK && groups.n > 1) {
            lm_value *tmp = lm_arena_alloc(&t->arena, sizeof *tmp * (size_t)groups.n);
            if (tmp == NULL)
                st = rdd_task_error(t, LM_ENOMEM, "out of memory");
            else
                spill_stable_sort(rec_type, groups.v, tmp, groups.n, cmp_first_index, NULL);
        }
        for (int64_t i = 0; st == LM_OK && i < groups.n; i++)
            st = rdd_vec_push(t, out, &groups.v[i].u.st->fields[1]);
    }
    if (e.status != LM_OK)
        st = task_io_error(t, &e);
    spill_partitions_free(&parts);
    lm_memres_release(&res);
    lm_type_unref(rec_type);
    return st;
}

/* ------------------------------------------------------------ map side */
/*
 * Beyond the cap, a map task moves every bucket it holds to that bucket's
 * spill file (created on first use, appended to on later spills) and
 * starts again with empty blocks, so a bucket's rows are: its file's, then
 * its block's, in the order they were written.
 */
static lm_status spill_buckets(rdd_shuffle *sh, lm_task *t, rdd_map_out *mo, lm_error *e)
{
    lm_session *s = t->ctx->s;
    char dir[4096];
    spill_local_dir(s->conf, dir, sizeof dir);
    for (int r = 0; r < sh->part->n; r++) {
        rdd_block *b = &mo->blocks[r];
        if (b->n == 0)
            continue;
        if (mo->spilled[r] == NULL &&
            (mo->spilled[r] = spill_create(dir, t->ctx->io_faults, &s->memcap, e)) == NULL)
            return e->status != LM_OK ? e->status : LM_EIO;
        for (int64_t i = 0; i < b->n; i++) {
            lm_status st = spill_write(mo->spilled[r], sh->out_value_type, &b->v[i], e);
            if (st != LM_OK)
                return st;
        }
        rdd_block_free(b);
        rdd_block_init(b);
    }
    return LM_OK;
}

lm_status rdd_shuffle_write(rdd_shuffle *sh, lm_task *t, rdd_iter *it, rdd_map_out *mo)
{
    const lm_type *key_type = sh->parent->type->fields[0].type;
    lm_status st = LM_OK;
    lm_memcap *cap = &t->ctx->s->memcap;
    lm_memres res;
    lm_memres_init(&res, cap->limit > 0 ? cap : NULL);
    lm_error e;
    lm_error_init(&e);
    if (sh->agg && sh->map_side_combine) {
        rdd_vec combined = {0};
        if ((st = aggregate_stream(sh->agg, key_type, false, t, it, &combined)) != LM_OK)
            return st;
        it = rdd_iter_array(t, combined.v, combined.n);
        if (it == NULL)
            return LM_ENOMEM;
    }
    for (;;) {
        lm_value v;
        bool has;
        if ((st = it->next(it, t, &v, &has)) != LM_OK || !has)
            break;
        if (v.is_null) {
            st = rdd_task_error(t, LM_ERROR, "a pair RDD element is null");
            break;
        }
        int p;
        if ((st = rdd_partition_of(sh->part, key_type, rdd_key(&v), t, &p)) != LM_OK)
            break;
        if (p < 0 || p >= sh->part->n) {
            st = rdd_task_error(t, LM_ERROR, "partition %d out of range", p);
            break;
        }
        if (res.cap) {
            int64_t bytes = spill_value_bytes(sh->out_value_type, &v);
            if (!lm_memres_grow(&res, bytes)) {
                if ((st = spill_buckets(sh, t, mo, &e)) != LM_OK)
                    break;
                lm_memres_release(&res);
                lm_memres_force(&res, bytes);
            }
        }
        if (rdd_block_push_copy(&mo->blocks[p], sh->out_value_type, &v) != LM_OK) {
            st = rdd_task_error(t, LM_ENOMEM, "out of memory");
            break;
        }
    }
    /* Blocks kept in memory stay reserved until the shuffle is freed. With
       more than half the cap so held, the rest goes to disk too, leaving
       room for the reduce side (whose sorts and groupings need it). */
    if (st == LM_OK && res.cap && res.held > 0 && lm_memcap_used(cap) > cap->limit / 2) {
        if ((st = spill_buckets(sh, t, mo, &e)) == LM_OK)
            lm_memres_release(&res);
    }
    for (int r = 0; st == LM_OK && r < sh->part->n; r++)
        if (mo->spilled[r])
            st = spill_finish_kept(mo->spilled[r], &e);
    if (e.status != LM_OK)
        st = task_io_error(t, &e);
    /* the blocks' reservation goes with them to the shuffle (released
       when it is freed), or back at once on failure */
    mo->held = res.held;
    if (st != LM_OK) {
        lm_memres_release(&res);
        mo->held = 0;
    }
    return st;
}

/* ---------------------------------------------------------- reduce side */
typedef struct shuffled_state {
    int sort; /* 0, 1 ascending, -1 descending */
} shuffled_state;

typedef struct read_iter {
    rdd_iter base;
    rdd_shuffle *sh;
    int part, k;
    int64_t i;
    const int *order;  /* chaos arrival order of the map outputs, or NULL */
    spill_file *file;  /* the spilled rows of the current map output */
    bool file_done;    /* ... read (or none): now its block */
} read_iter;

static lm_status read_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    read_iter *r = (read_iter *)it;
    int nred = r->sh->part->n;
    while (r->k < r->sh->nmap) {
        int m = r->order ? r->order[r->k] : r->k;
        size_t slot = (size_t)m * (size_t)nred + (size_t)r->part;
        if (!r->file_done) {
            /* rows spilled to disk come first: they were written first */
            spill_file *kept = r->sh->spilled ? r->sh->spilled[slot] : NULL;
            lm_error e;
            lm_error_init(&e);
            if (kept && r->file == NULL && (r->file = spill_open_reader(kept, &e)) == NULL)
                return task_io_error(t, &e);
            if (r->file) {
                bool got;
                lm_status st = spill_read(r->file, r->sh->out_value_type, &t->arena, out, &got, &e);
                if (st != LM_OK)
                    return task_io_error(t, &e);
                if (got) {
                    *has = true;
                    return LM_OK;
                }
                spill_close(r->file);
                r->file = NULL;
            }
            r->file_done = true;
        }
        rdd_block *b = &r->sh->out[slot];
        if (r->i < b->n) {
            *out = b->v[r->i++];
            *has = true;
            return LM_OK;
        }
        r->k++;
        r->i = 0;
        r->file_done = false;
    }
    *has = false;
    return LM_OK;
}

static void read_close(rdd_iter *it)
{
    read_iter *r = (read_iter *)it;
    spill_close(r->file);
    r->file = NULL;
}

rdd_iter *rdd_shuffle_reader(rdd_shuffle *sh, int part, lm_task *t)
{
    read_iter *r = rdd_iter_new(t, sizeof *r, read_next, read_close);
    if (r == NULL)
        return NULL;
    r->sh = sh;
    r->part = part;
    const lm_chaos *chaos = &t->ctx->chaos;
    if (chaos->permute && sh->nmap > 1) {
        /* Map outputs reach a reducer in whatever order their fetches
           complete; chaos draws that order per (shuffle, reduce partition). */
        int *order = lm_task_alloc(t, sizeof *order * (size_t)sh->nmap);
        if (order == NULL)
            return NULL;
        lm_chaos_permutation(chaos, LM_CHAOS_ARRIVAL, rdd_job_position(t->ctx, sh), part, order,
                             sh->nmap);
        r->order = order;
    }
    return &r->base;
}

/* Stable merge sort of pairs by key. */
static void sort_pairs(lm_value *v, lm_value *tmp, int64_t n, const lm_type *kt, int dir)
{
    if (n < 2)
        return;
    int64_t h = n / 2;
    sort_pairs(v, tmp, h, kt, dir);
    sort_pairs(v + h, tmp, n - h, kt, dir);
    int64_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        int c = lm_value_compare_nulls(kt, rdd_key(&v[j]), rdd_key(&v[i]), true) * dir;
        tmp[k++] = c < 0 ? v[j++] : v[i++];
    }
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, sizeof *v * (size_t)n);
}

/* sortByKey's reduce side beyond the cap: an external merge sort. */
typedef struct sorted_iter {
    rdd_iter base;
    spill_sorter *sorter;
} sorted_iter;

static int cmp_keys(const lm_type *t, const lm_value *a, const lm_value *b, void *ud)
{
    int dir = *(const int *)ud;
    return lm_value_compare_nulls(t->fields[0].type, rdd_key(a), rdd_key(b), true) * dir;
}

static lm_status sorted_next(rdd_iter *it, lm_task *t, lm_value *out, bool *has)
{
    sorted_iter *si = (sorted_iter *)it;
    lm_error e;
    lm_error_init(&e);
    lm_status st = spill_sorter_next(si->sorter, &t->arena, out, has, &e);
    return st == LM_OK ? LM_OK : task_io_error(t, &e);
}

static void sorted_close(rdd_iter *it)
{
    spill_sorter_free(((sorted_iter *)it)->sorter);
}

static const int sort_dirs[3] = {-1, 0, 1};

static lm_status sort_with_cap(lm_rdd *r, int dir, lm_task *t, rdd_iter *in, rdd_iter **out)
{
    lm_session *s = t->ctx->s;
    char path[4096];
    spill_local_dir(s->conf, path, sizeof path);
    sorted_iter *si = rdd_iter_new(t, sizeof *si, sorted_next, sorted_close);
    if (si == NULL)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    /* the shuffle's values live as long as the task: kept by reference */
    char *d = lm_arena_strdup(&t->arena, path);
    si->sorter = d ? spill_sorter_new(r->type, cmp_keys, (void *)&sort_dirs[dir + 1],
                                      &s->memcap, d, t->ctx->io_faults, true)
                   : NULL;
    if (si->sorter == NULL)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    lm_error e;
    lm_error_init(&e);
    lm_status st = LM_OK;
    for (;;) {
        lm_value v;
        bool has;
        if ((st = in->next(in, t, &v, &has)) != LM_OK || !has)
            break;
        if ((st = spill_sorter_add(si->sorter, &v, &e)) != LM_OK)
            return task_io_error(t, &e);
    }
    if (st == LM_OK && (st = spill_sorter_finish(si->sorter, &e)) != LM_OK)
        return task_io_error(t, &e);
    *out = &si->base;
    return st;
}

static lm_status shuffled_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    shuffled_state *s = r->state;
    rdd_shuffle *sh = r->deps[0].shuffle;
    const lm_type *kt = sh->parent->type->fields[0].type;
    rdd_iter *in = rdd_shuffle_reader(sh, part, t);
    if (in == NULL)
        return LM_ENOMEM;
    if (sh->agg == NULL && s->sort == 0) {
        *out = in;
        return LM_OK;
    }
    bool capped = t->ctx->s->memcap.limit > 0;
    if (sh->agg == NULL && capped)
        return sort_with_cap(r, s->sort, t, in, out);
    rdd_vec v = {0};
    lm_status st;
    if (sh->agg && sh->agg->group && !sh->map_side_combine && capped)
        st = group_with_cap(sh->agg, kt, sh->parent->type, t, in, &v);
    else if (sh->agg)
        st = aggregate_stream(sh->agg, kt, sh->map_side_combine, t, in, &v);
    else
        st = rdd_iter_drain(in, t, &v);
    if (st != LM_OK)
        return st;
    if (s->sort != 0 && v.n > 1) {
        lm_value *tmp = lm_arena_alloc(&t->arena, sizeof *tmp * (size_t)v.n);
        if (tmp == NULL)
            return rdd_task_error(t, LM_ENOMEM, "out of memory");
        sort_pairs(v.v, tmp, v.n, kt, s->sort);
    }
    *out = rdd_iter_array(t, v.v, v.n);
    return *out ? LM_OK : LM_ENOMEM;
}

static void shuffled_free(lm_rdd *r)
{
    free(r->state);
}

static const rdd_ops shuffled_ops = {"ShuffledRDD", shuffled_open, shuffled_free};

/* Output pair type: the parent's key field and the combiner (or value). */
static lm_type *shuffled_type(const lm_type *parent, const rdd_agg *agg)
{
    const lm_field *kf = &parent->fields[0], *vf = &parent->fields[1];
    lm_type *vt = vf->type, *owned = NULL;
    if (agg && agg->group)
        vt = owned = lm_type_array(vf->type, true);
    else if (agg)
        vt = agg->comb_type;
    if (vt == NULL)
        return NULL;
    lm_field f[2] = {{kf->name, kf->type, kf->nullable, NULL, NULL}, {vf->name, vt, true, NULL, NULL}};
    lm_type *t = lm_type_struct(f, 2);
    lm_type_unref(owned);
    return t;
}

lm_rdd *rdd_shuffled(lm_rdd *r, rdd_partitioner *part, rdd_agg *agg, bool map_side_combine,
                     int sort, const char *method, const char *cfunc)
{
    rdd_ctx *ctx = r->ctx;
    rdd_shuffle *sh = calloc(1, sizeof *sh);
    shuffled_state *s = calloc(1, sizeof *s);
    lm_type *type = shuffled_type(r->type, agg);
    lm_type *stored = NULL;
    if (agg && map_side_combine)
        stored = shuffled_type(r->type, agg);
    else
        stored = lm_type_ref(r->type);
    if (sh == NULL || s == NULL || type == NULL || stored == NULL) {
        free(sh);
        free(s);
        lm_type_unref(type);
        lm_type_unref(stored);
        rdd_agg_free(agg);
        rdd_partitioner_unref(part);
        lm_error_oom(&ctx->s->error);
        return NULL;
    }
    sh->id = ctx->next_shuffle_id++;
    sh->part = part;
    sh->agg = agg;
    sh->map_side_combine = map_side_combine && agg != NULL;
    sh->out_value_type = stored;
    s->sort = sort;
    lm_rdd *c = rdd_new(ctx, &shuffled_ops, type, part->n, method, cfunc);
    lm_type_unref(type);
    if (c == NULL) {
        free(s);
        rdd_shuffle_free(sh);
        return NULL;
    }
    c->state = s;
    c->partitioner = rdd_partitioner_ref(part);
    if (rdd_add_dep(c, r, sh) != LM_OK) {
        lm_rdd_free(c);
        return NULL;
    }
    return c;
}

/* --------------------------------------------------------- combineByKey */
typedef struct local_combine {
    rdd_agg *agg;
    lm_type *key_type;
} local_combine;

static void local_combine_free(void *p)
{
    local_combine *lc = p;
    rdd_agg_free(lc->agg);
    lm_type_unref(lc->key_type);
    free(lc);
}

static lm_status local_combine_part(lm_task *t, int index, const lm_value *in, int64_t n,
                                    void *ud)
{
    (void)index;
    local_combine *lc = ud;
    rdd_iter *it = rdd_iter_array(t, in, n);
    if (it == NULL)
        return LM_ENOMEM;
    rdd_vec out = {0};
    lm_status st = aggregate_stream(lc->agg, lc->key_type, false, t, it, &out);
    for (int64_t i = 0; st == LM_OK && i < out.n; i++)
        st = lm_task_emit(t, &out.v[i]);
    return st;
}

lm_rdd *rdd_combine_by_key(lm_rdd *r, rdd_partitioner *part, rdd_agg *agg,
                           bool map_side_combine, const char *method, const char *cfunc)
{
    if (!rdd_partitioner_equal(r->partitioner, part))
        return rdd_shuffled(r, part, agg, map_side_combine, 0, method, cfunc);
    rdd_partitioner_unref(part);
    lm_type *type = shuffled_type(r->type, agg);
    local_combine *lc = calloc(1, sizeof *lc);
    if (type == NULL || lc == NULL) {
        lm_type_unref(type);
        free(lc);
        rdd_agg_free(agg);
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    lc->agg = agg;
    lc->key_type = lm_type_ref(r->type->fields[0].type);
    rdd_mp_fns fns = {.part = local_combine_part, .ud = lc, .ud_free = local_combine_free};
    lm_rdd *c = rdd_map_partitions_rdd(r, RDD_MP_PARTITIONS, type, &fns, true, method, cfunc);
    lm_type_unref(type);
    return c;
}

/* --------------------------------------------------------- public pair ops */
static rdd_partitioner *pick_partitioner(lm_rdd *r, int num_partitions)
{
    rdd_partitioner *p = num_partitions > 0 ? rdd_partitioner_hash(num_partitions)
                                            : rdd_default_partitioner(&r, 1);
    if (p == NULL)
        lm_error_oom(&r->ctx->s->error);
    return p;
}

static lm_rdd *by_key(lm_rdd *r, rdd_agg *agg, bool map_side, int num_partitions,
                      const char *method, const char *cfunc)
{
    if (agg == NULL) {
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    rdd_partitioner *p = pick_partitioner(r, num_partitions);
    if (p == NULL) {
        rdd_agg_free(agg);
        return NULL;
    }
    return rdd_combine_by_key(r, p, agg, map_side, method, cfunc);
}

lm_rdd *lm_rdd_reduce_by_key(lm_rdd *r, lm_reduce_fn f, void *ud, int num_partitions)
{
    if (r == NULL || rdd_require_pair(r, "reduceByKey"))
        return NULL;
    rdd_agg *a = rdd_agg_new(r->type->fields[1].type);
    if (a) {
        a->merge_value = a->merge_comb = f;
        a->ud = ud;
    }
    return by_key(r, a, true, num_partitions, "reduceByKey", __func__);
}

lm_rdd *lm_rdd_group_by_key(lm_rdd *r, int num_partitions)
{
    if (r == NULL || rdd_require_pair(r, "groupByKey"))
        return NULL;
    rdd_agg *a = rdd_agg_new(r->type->fields[1].type);
    if (a)
        a->group = true;
    return by_key(r, a, false, num_partitions, "groupByKey", __func__);
}

static rdd_agg *agg_with_zero(lm_rdd *r, const lm_type *ct, const lm_value *zero)
{
    rdd_agg *a = rdd_agg_new(ct);
    if (a && rdd_block_push_copy(&a->zero, ct, zero) != LM_OK) {
        rdd_agg_free(a);
        return NULL;
    }
    if (a)
        a->has_zero = true;
    (void)r;
    return a;
}

lm_rdd *lm_rdd_fold_by_key(lm_rdd *r, const lm_value *zero, lm_reduce_fn f, void *ud,
                           int num_partitions)
{
    if (r == NULL || rdd_require_pair(r, "foldByKey"))
        return NULL;
    rdd_agg *a = agg_with_zero(r, r->type->fields[1].type, zero);
    if (a) {
        a->merge_value = a->merge_comb = f;
        a->ud = ud;
    }
    return by_key(r, a, true, num_partitions, "foldByKey", __func__);
}

lm_rdd *lm_rdd_aggregate_by_key(lm_rdd *r, const lm_type *u_type, const lm_value *zero,
                                lm_reduce_fn seq, lm_reduce_fn comb, void *ud,
                                int num_partitions)
{
    if (r == NULL || rdd_require_pair(r, "aggregateByKey"))
        return NULL;
    rdd_agg *a = agg_with_zero(r, u_type, zero);
    if (a) {
        a->merge_value = seq;
        a->merge_comb = comb;
        a->ud = ud;
    }
    return by_key(r, a, true, num_partitions, "aggregateByKey", __func__);
}

lm_rdd *lm_rdd_combine_by_key(lm_rdd *r, const lm_type *c_type, lm_map_fn create,
                              lm_reduce_fn merge_value, lm_reduce_fn merge_combiners,
                              void *ud, int num_partitions)
{
    if (r == NULL || rdd_require_pair(r, "combineByKey"))
        return NULL;
    if (merge_combiners == NULL) {
        rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                 "requirement failed: mergeCombiners must be defined");
        return NULL;
    }
    rdd_agg *a = rdd_agg_new(c_type);
    if (a) {
        a->create = create;
        a->merge_value = merge_value;
        a->merge_comb = merge_combiners;
        a->ud = ud;
    }
    return by_key(r, a, true, num_partitions, "combineByKey", __func__);
}

lm_rdd *lm_rdd_partition_by(lm_rdd *r, int num_partitions, lm_partition_func f, void *ud)
{
    if (r == NULL || rdd_require_pair(r, "partitionBy"))
        return NULL;
    if (num_partitions < 0) {
        rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                 "requirement failed: Number of partitions (%d) cannot be negative.",
                 num_partitions);
        return NULL;
    }
    rdd_partitioner *p = rdd_partitioner_hash(num_partitions);
    if (p == NULL) {
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    if (f) {
        p->kind = RDD_PART_CUSTOM;
        p->fn = f;
        p->ud = ud;
    }
    /* Spark returns the RDD itself when it is already so partitioned. */
    if (rdd_partitioner_equal(r->partitioner, p)) {
        rdd_partitioner_unref(p);
        return rdd_ref(r);
    }
    return rdd_shuffled(r, p, NULL, false, 0, "partitionBy", __func__);
}

/* ------------------------------------------------------------ distinct */
static lm_status with_null_value(lm_task *t, const lm_value *in, lm_value *out, void *ud)
{
    (void)ud;
    lm_value n = lm_value_null();
    return lm_task_make_pair(t, in, &n, out);
}

static lm_status keep_first(lm_task *t, const lm_value *a, const lm_value *b, lm_value *out,
                            void *ud)
{
    (void)t;
    (void)b;
    (void)ud;
    *out = *a;
    return LM_OK;
}

typedef struct dedup_ud {
    lm_type *type;
} dedup_ud;

static void dedup_free(void *p)
{
    dedup_ud *d = p;
    lm_type_unref(d->type);
    free(d);
}

static lm_status dedup_part(lm_task *t, int index, const lm_value *in, int64_t n, void *ud)
{
    (void)index;
    dedup_ud *d = ud;
    lm_rowset set;
    lm_rowset_init(&set, 1, &d->type);
    lm_status st = LM_OK;
    for (int64_t i = 0; i < n && st == LM_OK; i++) {
        int64_t idx;
        bool ins;
        if (!lm_rowset_upsert(&set, &in[i], &idx, &ins))
            st = rdd_task_error(t, LM_ENOMEM, "out of memory");
        else if (ins)
            st = lm_task_emit(t, &in[i]);
    }
    lm_rowset_free(&set);
    return st;
}

lm_rdd *lm_rdd_distinct(lm_rdd *r, int num_partitions)
{
    if (r == NULL)
        return NULL;
    int n = num_partitions > 0 ? num_partitions : r->nparts;
    if (r->partitioner && n == r->nparts) {
        dedup_ud *d = calloc(1, sizeof *d);
        if (d == NULL) {
            lm_error_oom(&r->ctx->s->error);
            return NULL;
        }
        d->type = lm_type_ref(r->type);
        rdd_mp_fns fns = {.part = dedup_part, .ud = d, .ud_free = dedup_free};
        return rdd_map_partitions_rdd(r, RDD_MP_PARTITIONS, r->type, &fns, true, "distinct",
                                      __func__);
    }
    lm_type *pt = rdd_pair_type(r->type, lm_type_null());
    if (pt == NULL) {
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    rdd_mp_fns fns = {.map = with_null_value};
    lm_rdd *m = rdd_map_partitions_rdd(r, RDD_MP_MAP, pt, &fns, false, "distinct", __func__);
    lm_type_unref(pt);
    if (m == NULL)
        return NULL;
    rdd_agg *a = rdd_agg_new(lm_type_null());
    if (a)
        a->merge_value = a->merge_comb = keep_first;
    lm_rdd *red = by_key(m, a, true, n, "distinct", __func__);
    lm_rdd_free(m);
    if (red == NULL)
        return NULL;
    lm_rdd *k = rdd_map_partitions_rdd(red, RDD_MP_KEYS, NULL, NULL, false, "distinct", __func__);
    lm_rdd_free(red);
    return k;
}

/* ---------------------------------------------------------- repartition */
typedef struct distribute_ud {
    int n;
} distribute_ud;

/* RDD.coalesce(shuffle = true)'s distributePartition: keys count up from a
   random start, java.util.Random seeded with byteswap32(partition). */
static lm_status distribute_part(lm_task *t, int index, const lm_value *in, int64_t n,
                                 void *ud)
{
    distribute_ud *d = ud;
    lm_jrandom rnd;
    lm_jrandom_init(&rnd, rdd_byteswap32(index));
    int32_t position = lm_jrandom_next_int_bound(&rnd, d->n);
    for (int64_t i = 0; i < n; i++) {
        position++;
        lm_value k = lm_value_i64(position), pair;
        lm_status st = lm_task_make_pair(t, &k, &in[i], &pair);
        if (st == LM_OK)
            st = lm_task_emit(t, &pair);
        if (st != LM_OK)
            return st;
    }
    return LM_OK;
}

static lm_rdd *shuffle_coalesce(lm_rdd *r, int n, const char *method, const char *cfunc)
{
    if (n <= 0) {
        rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                 "requirement failed: Number of partitions (%d) must be positive.", n);
        return NULL;
    }
    distribute_ud *d = calloc(1, sizeof *d);
    lm_type *pt = rdd_pair_type(lm_type_int(), r->type);
    if (d == NULL || pt == NULL) {
        free(d);
        lm_type_unref(pt);
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    d->n = n;
    rdd_mp_fns fns = {.part = distribute_part, .ud = d, .ud_free = free};
    lm_rdd *m = rdd_map_partitions_rdd(r, RDD_MP_PARTITIONS, pt, &fns, false, method, cfunc);
    lm_type_unref(pt);
    if (m == NULL)
        return NULL;
    rdd_partitioner *p = rdd_partitioner_hash(n);
    lm_rdd *sh = p ? rdd_shuffled(m, p, NULL, false, 0, method, cfunc) : NULL;
    lm_rdd_free(m);
    if (sh == NULL)
        return NULL;
    lm_rdd *co = rdd_coalesce_internal(sh, n, method, cfunc);
    lm_rdd_free(sh);
    if (co == NULL)
        return NULL;
    lm_rdd *v = rdd_map_partitions_rdd(co, RDD_MP_VALUES, NULL, NULL, false, method, cfunc);
    lm_rdd_free(co);
    return v;
}

lm_rdd *lm_rdd_repartition(lm_rdd *r, int num_partitions)
{
    if (r == NULL)
        return NULL;
    return shuffle_coalesce(r, num_partitions, "repartition", __func__);
}

lm_rdd *lm_rdd_coalesce(lm_rdd *r, int num_partitions, bool shuffle)
{
    if (r == NULL)
        return NULL;
    if (shuffle)
        return shuffle_coalesce(r, num_partitions, "coalesce", __func__);
    if (num_partitions <= 0) {
        rdd_fail(r->ctx->s, LM_ERROR, RDD_EXC_ILLEGAL_ARG,
                 "requirement failed: Number of partitions (%d) must be positive.",
                 num_partitions);
        return NULL;
    }
    return rdd_coalesce_internal(r, num_partitions, "coalesce", __func__);
}

/* ------------------------------------------------------------- groupBy */
lm_rdd *lm_rdd_group_by(lm_rdd *r, const lm_type *key_type, lm_map_fn f, void *ud,
                        int num_partitions)
{
    if (r == NULL)
        return NULL;
    rdd_partitioner *p = pick_partitioner(r, num_partitions);
    if (p == NULL)
        return NULL;
    rdd_mp_fns fns = {.map = f, .ud = ud};
    lm_rdd *kb = rdd_map_partitions_rdd(r, RDD_MP_KEY_BY, key_type, &fns, false, "groupBy",
                                        __func__);
    if (kb == NULL) {
        rdd_partitioner_unref(p);
        return NULL;
    }
    rdd_agg *a = rdd_agg_new(r->type);
    if (a == NULL) {
        rdd_partitioner_unref(p);
        lm_rdd_free(kb);
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    a->group = true;
    lm_rdd *g = rdd_combine_by_key(kb, p, a, false, "groupBy", __func__);
    lm_rdd_free(kb);
    return g;
}
