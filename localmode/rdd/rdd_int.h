/*
 * Internals of the RDD layer shared by the files of localmode/rdd/.
 *
 * An RDD node is Spark's five properties: partitions (a count), a compute
 * function (ops->open, which yields an iterator over one partition),
 * dependencies (narrow parents, or shuffles), an optional partitioner, and
 * persistence state. Nodes are refcounted: a child holds its parents.
 *
 * Memory. Each task attempt owns an arena; every value an iterator yields
 * lives in it, or in a longer-lived block (parallelized data, a cached
 * partition, a shuffle output, a broadcast), and so stays valid until the
 * task ends. Whatever must outlive the task (results, cache, shuffle
 * output) is deep-copied into an rdd_block with its own arena.
 *
 * Threads. Only the driver (the caller's thread) creates, frees and
 * schedules. Tasks of one stage run concurrently; what they share is
 * read-only during the stage except the cache, guarded per partition.
 */
#ifndef LM_RDD_RDD_INT_H
#define LM_RDD_RDD_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/chaos.h"
#include "common/error.h"
#include "common/jrandom.h"
#include "common/memcap.h"
#include "common/strbuf.h"
#include "common/xorshift.h"
#include "localmode.h"
#include "types/type.h"
#include "types/value.h"

/* ------------------------------------------------------------ context */
typedef struct rdd_ctx {
    lm_session *s;
    int threads;       /* worker threads of the master */
    int max_failures;  /* attempts per task */
    int default_parallelism;
    int scale_up_factor; /* spark.rdd.limit.scaleUpFactor */
    int next_rdd_id, next_shuffle_id, next_stage_id, next_job_id;
    int64_t next_tid, next_broadcast_id;
    char *call_site;   /* user-set site, or NULL */
    char *ckpt_dir;    /* <dir>/<uuid>, or NULL */
    /* The running job's chaos schedule (common/chaos.h) and its shuffle
       stages in position order; set by rdd_run_job, read-only while its
       tasks run. */
    lm_chaos chaos;
    struct rdd_shuffle **job_shuffles;
    int njob_shuffles;
    /* The partitions of the last job's result tasks in the order their
       results reached the driver, nresult_order of them; NULL means
       partition order (no chaos). Driver-side merges follow it. */
    int *result_order;
    int nresult_order;
    /* The running job's I/O fault plan (common/fileio.h), NULL for none;
       read by tasks that read files. */
    struct lm_fio_plan *io_faults;
} rdd_ctx;

/* The session's RDD state, created on first use from spark.master. NULL
   (error on the session) when the master cannot run locally. */
rdd_ctx *rdd_ctx_get(lm_session *s);
/* Records an error on the session; returns status. */
lm_status rdd_fail(lm_session *s, lm_status st, const char *exc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define RDD_EXC_ILLEGAL_ARG "java.lang.IllegalArgumentException"
#define RDD_EXC_UNSUPPORTED "java.lang.UnsupportedOperationException"
#define RDD_EXC_SPARK "org.apache.spark.SparkException"
#define RDD_EXC_RUNTIME "java.lang.RuntimeException"

/* ------------------------------------------------------------- blocks */
/* A growable array of values owning their payloads (deep copies). */
typedef struct rdd_block {
    lm_arena arena;
    lm_value *v;
    int64_t n, cap;
} rdd_block;

void rdd_block_init(rdd_block *b);
void rdd_block_free(rdd_block *b);
/* Deep-copies v (of type t) into the block. */
lm_status rdd_block_push_copy(rdd_block *b, const lm_type *t, const lm_value *v);
/* Appends v as is (its payload must outlive the block's use). */
lm_status rdd_block_push(rdd_block *b, const lm_value *v);
/* Bytes held, for toDebugString's MemorySize. */
int64_t rdd_block_bytes(const rdd_block *b);

/* A value array in task memory, for materialised partitions. */
typedef struct rdd_vec {
    lm_value *v;
    int64_t n, cap;
} rdd_vec;
lm_status rdd_vec_push(lm_task *t, rdd_vec *vec, const lm_value *v);

/* ---------------------------------------------------------- the task */
typedef struct rdd_acc_update rdd_acc_update;

struct lm_task {
    rdd_ctx *ctx;
    int stage, partition, attempt;
    int64_t tid;
    lm_arena arena;
    lm_error err;              /* why the attempt failed */
    rdd_vec *emit;             /* where lm_task_emit appends, set by iterators */
    struct rdd_iter *iters;    /* every open iterator, closed at task end */
    rdd_acc_update *acc;       /* accumulator updates, applied on success */
    int position;              /* the stage's position in its job (chaos) */
    bool doomed;               /* chaos fails this attempt at its input's end */
    bool chaos_fired;          /* ... and it has */
    bool chaos_defer;          /* the body fires it itself, after its work */
};

void rdd_task_init(lm_task *t, rdd_ctx *ctx, int stage, int partition, int attempt,
                   int64_t tid);
/* Closes iterators and frees task memory (accumulator updates included). */
void rdd_task_release(lm_task *t);
/* Fails a doomed attempt (chaos) now: records the injected failure and
   returns LM_ERROR. For task bodies that stop reading before their input
   ends (take), so a doomed attempt still fails before it publishes. */
lm_status rdd_task_chaos_fire(lm_task *t);
/* Records an engine failure in the task (OOM and the like). */
lm_status rdd_task_error(lm_task *t, lm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---------------------------------------------------------- iterators */
typedef struct rdd_iter rdd_iter;
struct rdd_iter {
    /* Yields the next element into *out; *has = false at the end. */
    lm_status (*next)(rdd_iter *it, lm_task *t, lm_value *out, bool *has);
    void (*close)(rdd_iter *it); /* may be NULL */
    rdd_iter *next_open;         /* task's list of open iterators */
};

/* Allocates an iterator of `size` bytes in task memory and registers it
   for closing at task end. */
void *rdd_iter_new(lm_task *t, size_t size,
                   lm_status (*next)(rdd_iter *, lm_task *, lm_value *, bool *),
                   void (*close)(rdd_iter *));
/* An iterator over values[0..n) (memory owned elsewhere). */
rdd_iter *rdd_iter_array(lm_task *t, const lm_value *values, int64_t n);
/* Drains it into a task-memory vector (shallow). */
lm_status rdd_iter_drain(rdd_iter *it, lm_task *t, rdd_vec *out);

/* ------------------------------------------------------- partitioners */
typedef enum rdd_part_kind {
    RDD_PART_HASH,   /* portable_hash(key) % n */
    RDD_PART_CUSTOM, /* f(key) % n */
    RDD_PART_RANGE   /* Spark's RangePartitioner */
} rdd_part_kind;

typedef struct rdd_partitioner {
    int refcount;
    rdd_part_kind kind;
    int n;
    lm_partition_func fn; /* CUSTOM */
    void *ud;
    lm_type *key_type;    /* RANGE */
    rdd_block bounds;     /* RANGE: n - 1 upper bounds */
    bool ascending;
} rdd_partitioner;

rdd_partitioner *rdd_partitioner_hash(int n);
rdd_partitioner *rdd_partitioner_ref(rdd_partitioner *p);
void rdd_partitioner_unref(rdd_partitioner *p);
bool rdd_partitioner_equal(const rdd_partitioner *a, const rdd_partitioner *b);
/* The partition of key; LM_ERROR (in t) for keys PySpark cannot hash. */
lm_status rdd_partition_of(const rdd_partitioner *p, const lm_type *key_type,
                           const lm_value *key, lm_task *t, int *out);
/* PySpark's portable_hash of a value; false when not hashable. */
bool rdd_portable_hash(const lm_type *t, const lm_value *v, int64_t *out);

/* ---------------------------------------------------------- aggregators */
/* Spark's Aggregator: createCombiner / mergeValue / mergeCombiners. */
typedef struct rdd_agg {
    lm_type *comb_type;
    lm_map_fn create;        /* NULL: combiner = value, or seq(zero, v) */
    lm_reduce_fn merge_value;
    lm_reduce_fn merge_comb;
    void *ud;
    bool has_zero;
    rdd_block zero;          /* one value when has_zero */
    bool group;              /* groupByKey: combiners are value lists */
} rdd_agg;

/* --------------------------------------------------------------- shuffles */
typedef struct rdd_shuffle {
    int id;
    struct lm_rdd *parent;   /* borrowed from the dependency */
    rdd_partitioner *part;   /* owned reference */
    rdd_agg *agg;            /* owned, may be NULL */
    bool map_side_combine;
    bool computed;
    int nmap;
    rdd_block *out;          /* nmap * part->n blocks, map-major */
    lm_type *out_value_type; /* type of the values written (comb or value) */
    /* Beyond the memory cap (spark.driver.memory) map outputs go to local
       disk: spilled[m * n + r] (exec/spill.h, kept files, may be NULL)
       holds rows of bucket (m, r) that come before out[m * n + r]'s. */
    struct spill_file **spilled;
    int64_t *held;           /* per map task: bytes reserved for its blocks */
    lm_memcap *cap;          /* where held is reserved */
} rdd_shuffle;

/* A map task's output while it is written (rdd_shuffle_write). */
typedef struct rdd_map_out {
    rdd_block *blocks;          /* part->n */
    struct spill_file **spilled; /* part->n, NULL where nothing spilled */
    int64_t held;               /* bytes reserved for the blocks */
} rdd_map_out;

void rdd_shuffle_free(rdd_shuffle *sh);
/* Releases a map output not handed to the shuffle (failure path). */
void rdd_map_out_discard(rdd_shuffle *sh, rdd_map_out *mo);
/* Frees a shuffle's map outputs (blocks, spill files, reservations), as
   after a failed map stage; the shuffle is not computed any more. */
void rdd_shuffle_drop_output(rdd_shuffle *sh);
/* Reads reduce partition `part` of a computed shuffle: every map output's
   bucket, in map order, or in the chaos arrival order of the running job. */
rdd_iter *rdd_shuffle_reader(rdd_shuffle *sh, int part, lm_task *t);
/* The position of sh among the running job's stages (0 if not found). */
int rdd_job_position(const rdd_ctx *ctx, const rdd_shuffle *sh);
/* A map task: partitions (and combines) the parent's elements of one
   partition into mo (blocks initialised, spilled zeroed, held 0),
   spilling buckets to local disk when the session's memory cap refuses
   more room. */
lm_status rdd_shuffle_write(rdd_shuffle *sh, lm_task *t, rdd_iter *it, rdd_map_out *mo);

typedef struct rdd_dep {
    struct lm_rdd *rdd;      /* owned reference */
    rdd_shuffle *shuffle;    /* NULL: narrow */
} rdd_dep;

/* ------------------------------------------------------------- the RDD */
typedef struct rdd_ops {
    const char *class_name;  /* "MapPartitionsRDD", ... */
    /* Opens an iterator over partition `part`. */
    lm_status (*open)(struct lm_rdd *r, int part, lm_task *t, rdd_iter **out);
    void (*free_state)(struct lm_rdd *r);
} rdd_ops;

typedef struct rdd_cache_slot {
    pthread_mutex_t lock;
    bool done;
    rdd_block data;
} rdd_cache_slot;

struct lm_rdd {
    rdd_ctx *ctx;
    int refcount;
    int id;
    const rdd_ops *ops;
    void *state;
    lm_type *type;
    int nparts;
    int ndeps;
    rdd_dep *deps;
    rdd_partitioner *partitioner; /* owned reference or NULL */
    char *name;
    char *call_site;              /* "map at lm_rdd_map" */
    lm_storage_level level;
    rdd_cache_slot *cache;        /* nparts slots while persisted */
    bool ckpt_marked;
    bool ckpt_done;
    char *ckpt_path;              /* folder of the part files */
    struct lm_rdd *ckpt_rdd;      /* ReliableCheckpointRDD replacing the lineage */
    rdd_dep ckpt_dep;             /* the one dependency once checkpointed */
};

/* Creates a node with the given parents (references taken) and one
   partition count; method is Spark's method name for the call site. */
struct lm_rdd *rdd_new(rdd_ctx *ctx, const rdd_ops *ops, const lm_type *type, int nparts,
                       const char *method, const char *cfunc);
lm_status rdd_add_dep(struct lm_rdd *r, struct lm_rdd *parent, rdd_shuffle *sh);
struct lm_rdd *rdd_ref(struct lm_rdd *r);
/* Builds "method at site" for nodes created inside another method. */
char *rdd_call_site(rdd_ctx *ctx, const char *method, const char *cfunc);

/* Spark's RDD.iterator: cache, checkpoint, or compute. */
lm_status rdd_iterator(struct lm_rdd *r, int part, lm_task *t, rdd_iter **out);
/* The dependencies in effect (a checkpointed RDD has its checkpoint only). */
int rdd_num_deps(const struct lm_rdd *r);
const rdd_dep *rdd_dep_at(const struct lm_rdd *r, int i);

/* ------------------------------------------------------------- jobs */
/*
 * A result task's work on one partition: consume the iterator and leave
 * the partition's result in the job's slot (results[part]). Runs on a
 * worker thread; the result must not point into task memory.
 */
typedef lm_status (*rdd_task_fn)(lm_task *t, rdd_iter *it, int part, void *job_ud,
                                 void *slot);
/*
 * Runs a job over partitions parts[0..n) (NULL: all) of r. slots is an
 * array of nparts results of slot_size bytes (slot for partition p at
 * p * slot_size), zeroed by the caller. On failure the session holds
 * Spark's job-abort message.
 */
lm_status rdd_run_job(struct lm_rdd *r, const int *parts, int n, rdd_task_fn fn,
                      void *job_ud, void *slots, size_t slot_size);
/* Runs checkpoints marked in r's lineage (after a job). */
lm_status rdd_do_checkpoint(struct lm_rdd *r);

/* ---------------------------------------------------------- internal API */
/*
 * MapPartitionsRDD constructors for engine-internal callbacks. ud is owned
 * by the new RDD when ud_free is not NULL (and freed on failure too).
 */
typedef enum rdd_mp_kind {
    RDD_MP_MAP,
    RDD_MP_FLAT_MAP,
    RDD_MP_FILTER,
    RDD_MP_PARTITIONS,
    RDD_MP_MAP_VALUES,
    RDD_MP_FLAT_MAP_VALUES,
    RDD_MP_KEY_BY,
    RDD_MP_KEYS,
    RDD_MP_VALUES,
    RDD_MP_GLOM,
    RDD_MP_IDENTITY
} rdd_mp_kind;

typedef struct rdd_mp_fns {
    lm_map_fn map;          /* MAP, MAP_VALUES, KEY_BY */
    lm_each_fn each;        /* FLAT_MAP, FLAT_MAP_VALUES */
    lm_filter_fn filter;    /* FILTER */
    lm_partition_fn part;   /* PARTITIONS */
    void *ud;
    void (*ud_free)(void *);
} rdd_mp_fns;

/* out_type: the element type, or for *_VALUES / KEY_BY the value / key
   type; preserves: keep the parent's partitioner. */
struct lm_rdd *rdd_map_partitions_rdd(struct lm_rdd *r, rdd_mp_kind kind,
                                      const lm_type *out_type, const rdd_mp_fns *fns,
                                      bool preserves, const char *method, const char *cfunc);

/* A ShuffledRDD of pair RDD r. agg may be NULL (owned on success and on
   failure); sort: 0 none, 1 ascending, -1 descending by key. */
struct lm_rdd *rdd_shuffled(struct lm_rdd *r, rdd_partitioner *part, rdd_agg *agg,
                            bool map_side_combine, int sort, const char *method,
                            const char *cfunc);
/* combineByKeyWithClassTag: skips the shuffle when r is already
   partitioned by part. Takes agg and the partitioner reference. */
struct lm_rdd *rdd_combine_by_key(struct lm_rdd *r, rdd_partitioner *part, rdd_agg *agg,
                                  bool map_side_combine, const char *method,
                                  const char *cfunc);
/* Spark's Partitioner.defaultPartitioner over rdds[0..n) (new reference). */
rdd_partitioner *rdd_default_partitioner(struct lm_rdd *const *rdds, int n);
rdd_agg *rdd_agg_new(const lm_type *comb_type);
void rdd_agg_free(rdd_agg *a);
/* CoGroupedRDD + mapValues as Spark builds cogroup: (k, (vs, ws)). */
struct lm_rdd *rdd_cogroup(struct lm_rdd *a, struct lm_rdd *b, rdd_partitioner *part,
                           const char *method, const char *cfunc);
struct lm_rdd *rdd_union2(rdd_ctx *ctx, struct lm_rdd *const *rdds, int n,
                          const char *method, const char *cfunc);
struct lm_rdd *rdd_coalesce_internal(struct lm_rdd *r, int n, const char *method,
                                     const char *cfunc);
struct lm_rdd *rdd_sample_internal(struct lm_rdd *r, bool with_replacement, double fraction,
                                   int64_t seed, const char *method, const char *cfunc);
struct lm_rdd *rdd_parallelize_internal(rdd_ctx *ctx, const lm_type *type,
                                        const lm_value *values, int64_t n, int slices,
                                        const char *method, const char *cfunc);
struct lm_rdd *rdd_partition_pruning(struct lm_rdd *r, const bool *keep, const char *method,
                                     const char *cfunc);

/* Types: STRUCT<_1:a,_2:b> (new reference) and pair field access. */
lm_type *rdd_pair_type(const lm_type *a, const lm_type *b);
bool rdd_is_pair_type(const lm_type *t);
lm_status rdd_require_pair(struct lm_rdd *r, const char *method);
static inline const lm_value *rdd_key(const lm_value *v) { return &v->u.st->fields[0]; }
static inline const lm_value *rdd_val(const lm_value *v) { return &v->u.st->fields[1]; }

struct lm_value_list {
    lm_type *type;
    rdd_block b;
};

/* Collects r into a result list (job). */
lm_status rdd_collect_list(struct lm_rdd *r, lm_value_list **out);
/* A new result list of type t taking block b's contents. */
lm_value_list *rdd_value_list_new(const lm_type *t);
rdd_block *rdd_value_list_block(lm_value_list *l);

/* Element as text (saveAsTextFile, pipe): Scala's toString of the value. */
void rdd_value_text(lm_strbuf *sb, const lm_type *t, const lm_value *v, const lm_session *s);

/* Numeric element as a double (numeric types only). */
bool rdd_as_double(const lm_type *t, const lm_value *v, double *out);

/* ---------------------------------------------------------- randomness */
/* java.util.Random is common/jrandom.h, XORShiftRandom common/xorshift.h */
/* commons-math3 PoissonDistribution(mean) reseeded with seed (Well19937c),
   sampled as PoissonDistribution.sample (means below 40) */
typedef struct rdd_poisson rdd_poisson;
rdd_poisson *rdd_poisson_new(double mean, int64_t seed);
int rdd_poisson_sample(rdd_poisson *p);
void rdd_poisson_free(rdd_poisson *p);
/* scala.util.hashing.byteswap32 */
int32_t rdd_byteswap32(int32_t v);

/* Samplers: how many times the next element is taken. */
typedef struct rdd_sampler rdd_sampler;
rdd_sampler *rdd_sampler_bernoulli(lm_task *t, double fraction, int64_t seed);
rdd_sampler *rdd_sampler_poisson(lm_task *t, double fraction, int64_t seed);
rdd_sampler *rdd_sampler_cell(lm_task *t, double lb, double ub, int64_t seed);
int rdd_sampler_next(rdd_sampler *s);
/* SamplingUtils.computeFractionForSampleSize */
double rdd_fraction_for_sample_size(int n, int64_t total, bool with_replacement);

/* ---------------------------------------------------------- checkpoint */
lm_status rdd_serialize_value(lm_strbuf *sb, const lm_type *t, const lm_value *v);
lm_status rdd_deserialize_value(const uint8_t **p, const uint8_t *end, const lm_type *t,
                                lm_value *out, lm_arena *a);

/* ---------------------------------------------------------- accumulators */
/* A task's updates (malloc'ed list, oldest first): applied once the stage
   succeeds, in partition order, or dropped. */
void rdd_acc_apply_updates(rdd_acc_update *u);
void rdd_acc_free_updates(rdd_acc_update *u);

#endif
