/*
 * Chaos schedules: seeded disorder that a real cluster produces and a
 * single process does not, so that jobs depending on it fail here first.
 *
 * Two session confs drive it (DESIGN.md §4):
 *
 *   spark.localmode.chaos.seed       a long. When set, the order in which
 *       tasks of a stage are launched, the order in which map outputs reach
 *       each reduce partition (shuffle arrival), and the order in which
 *       task results reach the driver's merges (reduce, fold, aggregate)
 *       are permutations drawn from the seed. Unset: no permutation.
 *
 *   spark.localmode.chaos.failTasks  comma-separated items, each either
 *       STAGE:PARTITION[:ATTEMPT]   fail that attempt of that task. Each
 *                                   field is a number or `*` (any); the
 *                                   attempt defaults to 0 (the first). The
 *                                   stage is Spark's stage id, as printed in
 *                                   "Task 1 in stage 3.0 failed" and
 *                                   returned by lm_task_stage().
 *       PROBABILITY                 a number in [0, 1], e.g. 0.2: every
 *                                   task attempt fails with that chance,
 *                                   drawn from the seed; off while no seed
 *                                   is set (rules apply with or without).
 *       e.g. "0:1" fails the first attempt of partition 1 of stage 0;
 *       "*:*:0" fails every first attempt; "2:*:*" fails stage 2 for good.
 *
 * Replay. Every decision is a pure function of the seed and of where it is
 * taken: the kind of decision, the stage's position in its job (0 for the
 * first stage the job runs), the partition and the attempt; never of
 * timing, thread count or what ran earlier in the session. The same seed
 * therefore replays the same schedule exactly, whatever local[N] says.
 * Only the explicit STAGE of a failTasks item names a session-wide stage id
 * (what a user copies from a failure message); a fresh session numbers its
 * stages from 0 again.
 *
 * A failed attempt fails after it has consumed its whole input, so side
 * effects of the attempt (foreach, a non-idempotent callback) have already
 * happened when it is retried: exactly what surfaces non-idempotent jobs.
 *
 * This file holds the policy only; the RDD scheduler (rdd/scheduler.c) and
 * DataFrame execution (exec/chaos.h) apply it.
 */
#ifndef LM_COMMON_CHAOS_H
#define LM_COMMON_CHAOS_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#define LM_CHAOS_SEED_KEY "spark.localmode.chaos.seed"
#define LM_CHAOS_FAIL_KEY "spark.localmode.chaos.failTasks"

/* One STAGE:PARTITION:ATTEMPT item; -1 is `*`. */
typedef struct lm_chaos_rule {
    int stage, partition, attempt;
} lm_chaos_rule;

typedef struct lm_chaos {
    bool permute;        /* a seed is set: permutations are on */
    uint64_t seed;
    double fail_chance;  /* largest PROBABILITY item; 0 for none */
    int nrules;
    lm_chaos_rule *rules; /* owned */
} lm_chaos;

/* Kinds of decision, so that the permutations of different points of one
   stage are independent draws. */
typedef enum lm_chaos_point {
    LM_CHAOS_TASK_ORDER = 1, /* launch order of a stage's tasks (per round) */
    LM_CHAOS_ARRIVAL = 2,    /* map outputs reaching a reduce partition */
    LM_CHAOS_RESULTS = 3,    /* task results reaching the driver */
    LM_CHAOS_FAIL = 4,       /* probabilistic task failure */
    LM_CHAOS_ROWS = 5        /* DataFrame operators: input slices arriving */
} lm_chaos_point;

/* A chaos schedule with nothing on. */
void lm_chaos_init(lm_chaos *c);
void lm_chaos_clear(lm_chaos *c);

/*
 * Parses the two conf values (either may be NULL: unset). On a bad value
 * records an IllegalArgumentException naming the key and the item in err,
 * leaves *c off and returns LM_ERROR; LM_ENOMEM on allocation failure.
 */
lm_status lm_chaos_parse(lm_chaos *c, const char *seed, const char *fail_tasks, lm_error *err);

/* Whether anything is on (permutations or failures). */
bool lm_chaos_active(const lm_chaos *c);

/*
 * Fills order[0..n) with a permutation of 0..n-1 for the decision (point,
 * a, b), e.g. (LM_CHAOS_ARRIVAL, stage position, reduce partition). The
 * identity without a seed.
 */
void lm_chaos_permutation(const lm_chaos *c, lm_chaos_point point, int64_t a, int64_t b,
                          int *order, int n);

/*
 * Whether this attempt must fail: an explicit rule matches (stage_id is the
 * session's stage id) or the probabilistic draw for (position, partition,
 * attempt) falls under the fail chance.
 */
bool lm_chaos_fails(const lm_chaos *c, int stage_id, int position, int partition, int attempt);

/* The message of an injected failure, for the task's error. */
#define LM_CHAOS_EXC "org.apache.spark.localmode.ChaosInjectedFailure"

#endif
