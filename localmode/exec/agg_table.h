/*
 * The hash aggregation's tables, shared by the operator (op_aggregate.c:
 * the sequential pass, the row path, the output) and its parallel grouped
 * run (agg_grouped.c). Internal to those two files.
 *
 * A table holds one entry per distinct group key, in order of first
 * appearance: keys column-wise (int64, double, string bytes, or lm_value),
 * typed per-group state arrays for count / sum / avg / min / max, and
 * registry state blocks for every other aggregate.
 */
#ifndef LM_EXEC_AGG_TABLE_H
#define LM_EXEC_AGG_TABLE_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/bytes.h"
#include "exec/exec.h"
#include "exec/key_kind.h"
#include "analysis/analyzer.h"
#include "exec/rowset.h"
#include "expr/veval.h"
#include "plan/plan.h"
#include "vector/vector.h"

/* Column-wise keys: of the groups of a table, or of the rows of a batch. */
typedef struct kcol {
    int64_t *i;
    double *d;
    const char **sp;
    int32_t *sl;
    lm_value *val;
    uint8_t *valid;
} kcol;

/* Equal doubles hash alike: -0.0 as 0.0, every NaN as one NaN. */
static inline uint64_t agg_hash_double(double d)
{
    d = exec_key_double(d);
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return lm_mix64(b);
}

static inline uint64_t agg_hash_i64(bool valid, int64_t v)
{
    return valid ? lm_mix64((uint64_t)v + 0x632be59bd9b4e019ULL) : 0x6a09e667f3bcc909ULL;
}

static inline uint64_t agg_hash_key(exec_key_kind k, const lm_type *t, const kcol *c, int64_t i, uint64_t h)
{
    uint64_t x;
    if (!c->valid[i])
        x = agg_hash_i64(false, 0);
    else if (k == EXEC_KEY_I64)
        x = agg_hash_i64(true, c->i[i]);
    else if (k == EXEC_KEY_F64)
        x = agg_hash_double(c->d[i]);
    else if (k == EXEC_KEY_STR)
        x = lm_bytes_hash(c->sp[i], c->sl[i]);
    else
        x = lm_value_hash(t, &c->val[i], 0);
    return lm_mix64(h * 31 + x);
}

typedef enum fkind {
    FA_GENERIC,
    FA_COUNT,
    FA_SUM_I,
    FA_SUM_F,
    FA_AVG_I,
    FA_AVG_F,
    FA_MIN_I,
    FA_MAX_I,
    FA_MIN_F,
    FA_MAX_F
} fkind;

/* ------------------------------------------------------------ one table */

typedef struct agg_spec {
    lm_exec *x;
    const lm_plan *p;
    const lm_agg_info *info;
    int nk, na;
    exec_key_kind *kk;
    const lm_type **kt;
    fkind *fk;
    size_t *offsets;       /* generic state offset per aggregate */
    size_t block;
    bool vec;              /* expressions may run as batch kernels */
    lm_vexpr **kprog;      /* per key */
    lm_vexpr ***aprog;     /* per aggregate, per argument */
    lm_vexpr **fprog;      /* per aggregate FILTER, or NULL */
    /* output columns (keys, then aggregates) the parent reads; NULL: all.
       Keys nobody reads are written as placeholders. */
    const bool *need;
} agg_spec;

typedef struct agg_table {
    const agg_spec *sp;
    int64_t ngroups, gcap;
    kcol *keys;            /* nk stores, gcap rows each */
    uint64_t *ghash;
    uint32_t *slots;       /* group id + 1, 0 = empty */
    int64_t nslots;
    int64_t **cnt;         /* per aggregate: counts / any flags */
    int64_t **li;          /* per aggregate: long sums, int min/max */
    double **d;            /* per aggregate: double sums, double min/max */
    char **blocks;         /* generic states per group */
    lm_arena arena;        /* key payloads, generic states */
    lm_rowset *distinct;   /* per aggregate, for DISTINCT */
    int64_t *first;        /* per group: global index of its first row */
    int64_t next_first;    /* the row being looked up */
    /* string keys point into the evaluated key vectors, which outlive
       the table (the parallel run keeps them), instead of being copied */
    bool borrow_keys;
    /* groups numbered outside the table (direct or coded keys): no slots
       or hashes are kept, the table is never searched */
    bool unindexed;
    /* unindexed, and the output reads no key: keys are not stored */
    bool keyless;
} agg_table;

/* A batch's evaluated keys and arguments, and its key hashes. */
typedef struct batch_vals {
    int32_t n;
    int nvec;
    lm_vector **vecs;      /* keys, then per aggregate its args and FILTER */
    kcol *kc;              /* keys loaded column-wise */
    uint64_t *h;
    bool hashed;           /* h holds the keys' hashes */
} batch_vals;

/* A group of one of the partition tables. */
typedef struct gref {
    int32_t part;
    int64_t g;
} gref;

/* An empty table of groups (about 64 before it grows; _sized: room for `groups`). */
lm_status agg_table_init(agg_table *t, const agg_spec *sp);

lm_status agg_table_init_sized(agg_table *t, const agg_spec *sp, int64_t groups);

/* An empty unindexed table (groups numbered by the caller) with room for
   `groups`; keys are stored only when the output reads one. */
lm_status agg_table_init_unindexed(agg_table *t, const agg_spec *sp, int64_t groups);

/* Whether output column c (keys first, then aggregates) is read. */
static inline bool agg_needs(const agg_spec *sp, int c)
{
    return sp->need == NULL || sp->need[c];
}

void agg_table_free(agg_table *t);

/* The group of row i of src (key hash h): found, or added in first-row
   order (next_first is recorded as its first row). */
lm_status agg_find_group(agg_table *t, lm_eval_ctx *ec, const kcol *src, int64_t i, uint64_t h,
                         int64_t *gid);

/* Adds the group of row i of src, known to be absent. */
lm_status agg_add_group(agg_table *t, lm_eval_ctx *ec, const kcol *src, int64_t i, uint64_t h,
                        int64_t *gid);

/* Group ids of rows sel[0..m) of a batch (all rows when sel is NULL),
   adding the groups not seen yet; base is the global index of row 0. */
lm_status agg_lookup_rows(agg_table *t, lm_eval_ctx *ec, const batch_vals *bv, const int32_t *sel,
                          int32_t m, int32_t *gid, int64_t base);

/* Loads n rows of vector v as keys of kind k (strings point into v). */
bool agg_load_keys(exec_key_kind k, const lm_vector *v, int32_t n, kcol *c, lm_arena *a);

/* Hashes key column c into h, combined with the earlier columns' hashes
   unless first. */
void agg_hash_column(exec_key_kind k, const lm_type *t, const kcol *c, int32_t n, uint64_t *h,
                     bool first);

/* Evaluates a batch's keys and arguments (no state is touched, so a
   failure can be redone on the row path); as asked, loads the keys
   column-wise and hashes them. agg_load_batch_keys does the second part
   later (once), agg_batch_vals_free releases it all. */
lm_status agg_eval_batch(const agg_spec *sp, lm_eval_ctx *ec, const lm_batch *b, batch_vals *bv,
                         bool keys, bool hash);

lm_status agg_load_batch_keys(const agg_spec *sp, lm_eval_ctx *ec, batch_vals *bv, bool hash);

void agg_batch_vals_free(batch_vals *bv, int nk);

/* Typed update of aggregate a with rows sel[0..n) (all when NULL), row j
   in group gid[j]. */
void agg_fast_update(agg_table *t, int a, fkind fk, const int32_t *gid, const int32_t *sel,
                     int32_t n, lm_vector *const *args, int nargs);

/* Updates every aggregate with rows sel[0..m) of a batch, row j in group
   gid[j], in row order; LM_EUNSUPPORTED for a final error of an
   aggregate (its message is set). */
lm_status agg_update_batch(agg_table *t, lm_eval_ctx *ec, const batch_vals *bv, const int32_t *sel,
                           int32_t m, const int32_t *gid);

/* agg_lookup_rows, then agg_update_batch. */
lm_status agg_apply_batch(agg_table *t, lm_eval_ctx *ec, const batch_vals *bv, const int32_t *sel,
                          int32_t m, int64_t first);

/* Writes one row per group, in group order. */
lm_status agg_emit(agg_table *t, lm_eval_ctx *ec, lm_table *out);

/* Writes groups given as (table, group) references, in that order. */
lm_status agg_emit_refs(agg_table *tables, const gref *refs, int64_t n, lm_eval_ctx *ec,
                        lm_table *out);

/* The parallel grouped aggregation (agg_grouped.c); *done false when some
   batch needs the row interpreter: the caller then runs the sequential
   pass. */
lm_status agg_grouped(lm_exec *x, const agg_spec *sp, const lm_table *in, lm_table *out,
                      bool *done);

#endif
