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

/* ------------------------------------------------ loader for job_ml.c */

/* The YAML loader's state (job_load.c), lent to the MLlib step reader so
   that its messages have the same shape: "file:line:col: step \"x\": ". */
typedef struct ld job_loader;

/* yaml.h's node, without making every user of job_int.h include it */
struct yaml_node_s;

void job_ld_fail(job_loader *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
job *job_ld_job(job_loader *L);
struct yaml_node_s *job_ld_node(job_loader *L, int id);
const char *job_ld_kind_name(const struct yaml_node_s *n);
bool job_ld_is_null(const struct yaml_node_s *n);
/* a non-empty scalar, variables substituted */
bool job_ld_text(job_loader *L, const struct yaml_node_s *n, job_text *t, const char *what);
bool job_ld_check_duplicates(job_loader *L, const struct yaml_node_s *map);
/* "unknown <noun> `x` in <what> (did you mean `y`?)", or the list of names */
void job_ld_unknown(job_loader *L, const struct yaml_node_s *k, const char *noun, const char *what,
                    const char *const *names);
/* registers a view name (sources, steps and views share one namespace) */
bool job_ld_claim_name(job_loader *L, const job_text *name, const char *kind);

/* The keys of MLlib steps, NULL-terminated. */
extern const char *const job_ml_keys[];
/* Reads the MLlib key k: v of step st into st->ml (job_ml.c). */
bool job_ml_read(job_loader *L, const struct yaml_node_s *k, const struct yaml_node_s *v,
                 job_step *st);
/* Checks an MLlib step once the step is read: its views, the model it
   names (a `fit` step before it), the keys it cannot have. */
bool job_ml_check(job_loader *L, job_step *st);
/* Whether step st defines a view the next step or a sink can read by
   default (a `fit` step defines a model, `random_split` several views). */
bool job_step_has_view(const job_step *st);

/* Runs MLlib step i (job_ml.c); models fitted so far are kept in *models
   (one per step, freed by job_ml_free_models). On failure returns the
   status and *err a malloc'ed "file:line:col: step \"x\": message". */
struct lm_ml_stage;
lm_status job_ml_run_step(lm_session *s, const job *j, int i, struct lm_ml_stage **models,
                          char **err);
void job_ml_free_models(const job *j, struct lm_ml_stage **models);

/* s as a Python string literal (job_pyspark.c). */
void job_py_str(lm_strbuf *sb, const char *s);

/* The PySpark of MLlib step i, appended to sb (job_pyspark.c). */
void job_ml_to_pyspark(const job *j, int i, lm_strbuf *sb);
/* The imports the generated MLlib code needs ("" when none). */
void job_ml_pyspark_imports(const job *j, lm_strbuf *sb);

#endif
