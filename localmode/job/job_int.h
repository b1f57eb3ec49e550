/*
 * Internal interface between the job files (job_load.c, job_text.c,
 * job_sql.c, job_run.c, job_pyspark.c). Not used outside job/.
 */
#ifndef LM_JOB_JOB_INT_H
#define LM_JOB_JOB_INT_H

#include "job/job.h"

/*
 * Substitutes ${name} in t->raw into t->s (in arena a) from vars, and
 * records where each substitution sits so offsets map back to the file.
 * `$${` writes a literal `${`. On an undefined or malformed reference
 * returns false with *bad_raw its offset in t->raw and *bad_name the name
 * (arena memory; "" when the reference is malformed). Also false when out
 * of memory (with *bad_raw -1).
 */
bool job_text_subst(lm_arena *a, job_text *t, const job_kv *vars, int nvars, int *bad_raw,
                    const char **bad_name);

/* A file position for an offset into t->raw. */
void job_raw_locate(const job_text *t, int raw_offset, int *line, int *col);

/* Spark's join type for a `how:` value ("left" -> "LEFT OUTER"); NULL if
   unknown. */
const char *job_join_sql(const char *how);

/* Whether s is a plain identifier (letters, digits, _; not starting with
   a digit): the names of sources and steps. */
bool job_is_identifier(const char *s);

/* The name a view's rows go by in generated SQL: the last dot-separated
   part of a table name, without backquotes, in arena a. */
const char *job_alias_of(lm_arena *a, const char *table);

#endif
