/*
 * Spill files: what an operator writes to local disk when the memory cap
 * (common/memcap.h, spark.driver.memory) refuses it more room, and reads
 * back later. Three tools, for the three ways operators use them:
 *
 *  - spill_file: a sequence of values of one type, written once, then read
 *    once from the start. Files live in spark.local.dir (SPARK_LOCAL_DIRS
 *    in the environment wins, as in Spark), are named
 *    localmode-spill-<pid>-<n>, are unlinked as soon as they are open for
 *    reading and are removed by spill_close in any case. All I/O goes
 *    through common/fileio, so its fault plan reaches spills too.
 *
 *  - spill_sorter: an external merge sort. Values are added to an
 *    in-memory run while the cap allows; a refused reservation sorts the
 *    run, writes it to a spill file and starts a new one. Reading merges
 *    the runs. The sort is stable (equal values keep their input order), so
 *    the output is the one an in-memory stable sort gives.
 *
 *  - spill_partitions: values routed to P files by a hash, for operators
 *    that group (aggregation, groupByKey): each file then holds every row of
 *    its keys and is processed alone, a P-th of the working set at a time.
 *
 * Sizes: spill_value_bytes estimates what a value costs held in memory
 * (the lm_value, plus strings and nested payloads), the figure operators
 * reserve against the cap.
 *
 * How a DataFrame operator uses them (sort, aggregate):
 *   lm_memres res; lm_memres_init(&res, &session->memcap);
 *   for each input row: if (!lm_memres_grow(&res, spill_value_bytes(t, row)))
 *       { spill what it holds; lm_memres_release(&res); lm_memres_force(&res, n); }
 * with spill_sorter doing all of this itself for sorts.
 */
#ifndef LM_EXEC_SPILL_H
#define LM_EXEC_SPILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/memcap.h"
#include "types/type.h"
#include "types/value.h"

struct lm_conf;

/* The folder spills go to, copied into buf: the first entry of
   SPARK_LOCAL_DIRS, else spark.local.dir, else /tmp. */
void spill_local_dir(const struct lm_conf *conf, char *buf, size_t cap);

/* Estimated bytes of v (of type t) held in memory, payloads included. */
int64_t spill_value_bytes(const lm_type *t, const lm_value *v);

/* -------------------------------------------------------------- files */
typedef struct spill_file spill_file;

/* Creates an empty spill file under dir. plan (may be NULL) and cap (may
   be NULL: no metrics) are borrowed. NULL with the error in err. */
spill_file *spill_create(const char *dir, lm_fio_plan *plan, lm_memcap *cap, lm_error *err);
/* Appends v (type t); buffered. */
lm_status spill_write(spill_file *f, const lm_type *t, const lm_value *v, lm_error *err);
/* Ends writing and opens the file for reading from its start. */
lm_status spill_finish(spill_file *f, lm_error *err);
/* Reads the next value into *out, payloads in arena a; *has = false at the
   end. */
lm_status spill_read(spill_file *f, const lm_type *t, lm_arena *a, lm_value *out, bool *has,
                     lm_error *err);
/* Ends writing and keeps the file on disk (until spill_close) to be read
   any number of times, each through its own spill_open_reader. */
lm_status spill_finish_kept(spill_file *f, lm_error *err);
/* A reader over a kept file, from its start; f is not changed and may be
   read by several readers at once. Close it with spill_close (which leaves
   the file to f). NULL with the error in err. */
spill_file *spill_open_reader(const spill_file *f, lm_error *err);
/* Rows written (while writing) or left to read (once finished). */
int64_t spill_rows(const spill_file *f);
int64_t spill_bytes(const spill_file *f);
/* Closes and removes the file. f may be NULL. */
void spill_close(spill_file *f);

/* ------------------------------------------------------------- sorter */
/* <0, 0, >0 as a sorts before, with or after b. */
typedef int (*spill_cmp)(const lm_type *t, const lm_value *a, const lm_value *b, void *ud);

/* Stable merge sort of v[0..n) (tmp: n scratch values), the order the
   sorter's runs use; for callers sorting in memory what they read back. */
void spill_stable_sort(const lm_type *t, lm_value *v, lm_value *tmp, int64_t n, spill_cmp cmp,
                       void *ud);

typedef struct spill_sorter spill_sorter;

/* t, plan, cap and dir are borrowed. by_ref: the values added outlive the
   sorter, so the in-memory run keeps them by reference (no copy; they are
   still accounted at their full size). NULL on allocation failure. */
spill_sorter *spill_sorter_new(const lm_type *t, spill_cmp cmp, void *ud, lm_memcap *cap,
                               const char *dir, lm_fio_plan *plan, bool by_ref);
/* Adds v (a deep copy unless by_ref); may spill a run. */
lm_status spill_sorter_add(spill_sorter *s, const lm_value *v, lm_error *err);
/* Ends input: sorts the last run and prepares the merge. */
lm_status spill_sorter_finish(spill_sorter *s, lm_error *err);
/* The next value in order. Values read back from disk are decoded into
   arena a (the same arena on every call); values that stayed in memory
   point into the sorter. Either stays valid until the sorter is freed and
   a is released. */
lm_status spill_sorter_next(spill_sorter *s, lm_arena *a, lm_value *out, bool *has,
                            lm_error *err);
/* Runs written to disk so far. */
int spill_sorter_runs(const spill_sorter *s);
void spill_sorter_free(spill_sorter *s);

/* --------------------------------------------------------- partitions */
typedef struct spill_partitions {
    int n;
    spill_file **files; /* created on first use */
    const char *dir;
    lm_fio_plan *plan;
    lm_memcap *cap;
} spill_partitions;

lm_status spill_partitions_init(spill_partitions *p, int n, const char *dir,
                                lm_fio_plan *plan, lm_memcap *cap, lm_error *err);
/* Appends v to partition `part` (0 <= part < n). */
lm_status spill_partitions_write(spill_partitions *p, int part, const lm_type *t,
                                 const lm_value *v, lm_error *err);
/* The file of partition `part`, finished for reading; NULL when nothing
   was written to it. */
lm_status spill_partitions_take(spill_partitions *p, int part, spill_file **out, lm_error *err);
void spill_partitions_free(spill_partitions *p);

#endif
