/*
 * Internal interface of MLlib (localmode/ml/). Not part of the public
 * contract; the public API is the MLlib section of localmode.h.
 *
 * Shape. Every pyspark.ml class we support is one `ml_kind`: a static table
 * entry with its name, role (transformer, estimator, model, evaluator),
 * its Params (name, type, default, allowed values) and the functions that
 * do its work. A stage (lm_ml_stage) is an instance of a kind: its uid,
 * the Params set on it and, for models, the fitted state. The public calls
 * (lm_ml_new, lm_ml_set_*, lm_ml_fit, lm_ml_transform, lm_ml_save) are
 * generic over kinds; Pipeline, CrossValidator and ParamGridBuilder work
 * on any stage through that table, as Spark's do through Params.
 *
 * Data. Stages compute eagerly: a transform collects its input DataFrame
 * (ml_frame), computes the new columns row by row and returns a DataFrame
 * over the result rows (a LocalRelation), which the DataFrame API can
 * transform further. Spark's transform is lazy; the results are the same.
 *
 * Vectors. Spark's VectorUDT is stored as its sqlType
 * struct<type:tinyint,size:int,indices:array<int>,values:array<double>>
 * (type 0 = sparse, 1 = dense; size and indices NULL for dense vectors),
 * marked with the `vector` UDT so printSchema says "vector" and show()
 * prints "[1.0,2.0]" / "(3,[0,2],[1.0,3.0])". Kernels work on ml_vec, a
 * decoded view with plain int/double arrays.
 */
#ifndef LM_ML_ML_H
#define LM_ML_ML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/jrandom.h"
#include "common/strbuf.h"
#include "common/xorshift.h"
#include "localmode.h"
#include "types/type.h"
#include "types/value.h"

struct lm_table;

/* ============================================================ vectors */

/* A decoded vector. Dense: idx == NULL and nnz == size. Sparse: idx[0..nnz)
   strictly increasing. Arrays live in the arena the vector was decoded or
   built in. */
typedef struct ml_vec {
    int32_t size;
    int32_t nnz;
    int32_t *idx;
    double *val;
} ml_vec;

/* The VectorUDT type (a new reference). NULL on allocation failure. */
lm_type *ml_vector_type(void);
bool ml_is_vector_type(const lm_type *t);
/* Spark's MatrixUDT (model data only): the struct of type, numRows,
   numCols, colPtrs, rowIndices, values, isTransposed, marked `matrix`. */
lm_type *ml_matrix_type(void);
bool ml_is_matrix_type(const lm_type *t);
/* Decodes a non-NULL vector value; false on allocation failure or a
   malformed struct. */
bool ml_vec_decode(lm_arena *a, const lm_value *v, ml_vec *out);
/* Encodes v as a value (arena memory). */
bool ml_vec_encode(lm_arena *a, const ml_vec *v, lm_value *out);
bool ml_dense_value(lm_arena *a, int32_t n, const double *x, lm_value *out);
bool ml_sparse_value(lm_arena *a, int32_t size, int32_t nnz, const int32_t *idx, const double *val,
                     lm_value *out);
/* Vector.compressed: sparse when 1.5 * (nnz + 1) < size, else dense. */
bool ml_compressed_value(lm_arena *a, int32_t n, const double *x, lm_value *out);
/* x[0..v->size) = v as dense values. */
void ml_vec_to_dense(const ml_vec *v, double *x);
double ml_vec_dot(const ml_vec *v, const double *w);
/* Appends Spark's toString: [1.0,2.0] or (3,[0,2],[1.0,3.0]). */
void ml_vec_to_string(lm_strbuf *sb, const ml_vec *v);
/* Appends a Java-formatted double (Double.toString). */
void ml_put_double(lm_strbuf *sb, double d);

/* ============================================================ params */

typedef enum ml_ptype {
    ML_P_BOOL,
    ML_P_INT,
    ML_P_DOUBLE,
    ML_P_STRING,
    ML_P_STRINGS,
    ML_P_DOUBLES,
    ML_P_STAGE,  /* one stage (CrossValidator.estimator, .evaluator) */
    ML_P_STAGES, /* Pipeline.stages */
    ML_P_GRID    /* estimatorParamMaps */
} ml_ptype;

/* Range checks of ParamValidators. */
enum {
    ML_R_NONE = 0,
    ML_R_GE = 1, /* >= lo */
    ML_R_GT = 2, /* > lo */
    ML_R_LE = 4, /* <= hi */
    ML_R_LT = 8  /* < hi */
};

typedef struct ml_param_def {
    const char *name;
    ml_ptype type;
    bool has_default;
    double dnum;         /* default of BOOL / INT / DOUBLE */
    const char *dstr;    /* default of STRING */
    const char *choices; /* STRING: allowed values "a|b|c" (case-insensitive), or NULL */
    unsigned range;      /* ML_R_* for INT / DOUBLE */
    double lo, hi;
} ml_param_def;

typedef struct lm_ml_stage lm_ml_stage;
typedef struct ml_grid ml_grid;

typedef struct ml_param_val {
    bool set;
    double num;
    char *str;
    int n;
    char **strs;
    double *nums;
    lm_ml_stage **stages; /* references held */
    ml_grid *grid;
} ml_param_val;

/* ============================================================ kinds */

typedef enum ml_role { ML_TRANSFORMER, ML_ESTIMATOR, ML_MODEL, ML_EVALUATOR } ml_role;

/* A model attribute (coefficients, intercept, labels, ...) as read by the
   lm_ml_get_* calls; pointers stay owned by the stage. */
typedef enum ml_atype { ML_A_DOUBLE, ML_A_INT, ML_A_STRING, ML_A_DOUBLES, ML_A_STRINGS } ml_atype;
typedef struct ml_attr {
    ml_atype type;
    double d;
    int64_t i;
    const char *s;
    int n;
    const double *dv;
    const char *const *sv;
} ml_attr;

struct ml_json;

typedef struct ml_kind {
    const char *name;       /* pyspark.ml class name: "StringIndexer" */
    const char *java_class; /* "org.apache.spark.ml.feature.StringIndexer" */
    const char *uid_prefix; /* Identifiable prefix: "strIdx" */
    ml_role role;
    const ml_param_def *params;
    int nparams;
    const char *model_kind; /* estimators: the kind fit() returns */
    /* transformers and models */
    lm_df *(*transform)(lm_ml_stage *st, lm_df *df);
    /* estimators: fills model (a fresh stage of model_kind whose Params
       were copied from the estimator) */
    lm_status (*fit)(lm_ml_stage *est, lm_df *df, lm_ml_stage *model);
    /* evaluators */
    lm_status (*evaluate)(lm_ml_stage *ev, lm_df *df, double *out);
    bool (*larger_better)(const lm_ml_stage *ev);
    /* models: fitted state */
    void (*free_data)(void *data);
    bool (*attr)(const lm_ml_stage *st, const char *name, ml_attr *out);
    /* models: the data part of save/load, one JSON object per line */
    lm_status (*save_data)(const lm_ml_stage *st, lm_strbuf *sb);
    lm_status (*load_data)(lm_ml_stage *st, const struct ml_json *rows);
    /* models: Spark's schema of data/ (persist_data.c's spec form:
       "intercept double, coefficients vector, scale double"); the JSON
       lines above are converted to and from Parquet of this schema. NULL
       keeps the data as JSON lines (data/part-00000.json). */
    const char *data_schema;
    /* models whose data schema depends on their params (ImputerModel: one
       double column per input column): the spec, malloc'ed, or NULL to
       keep JSON lines; used when data_schema is NULL */
    char *(*data_schema_of)(lm_ml_stage *st);
    /* models: Spark's extraMetadata, appended to metadata/part-00000 as
       `,"numFeatures":4,...`; on load these keys are added to every data
       row given to load_data */
    void (*save_meta)(const lm_ml_stage *st, lm_strbuf *sb);
} ml_kind;

struct lm_ml_stage {
    lm_session *s;
    const ml_kind *kind;
    char uid[64];
    int refcount;
    ml_param_val *vals; /* kind->nparams */
    void *data;         /* models: kind-specific fitted state */
    /* training summary DataFrames (models), NULL when none */
    lm_df *summary_df;
};

/* The registry (registry.c): NULL when unknown. */
const ml_kind *ml_kind_find(const char *name);
const ml_kind *ml_kind_find_java(const char *java_class);
/* The i-th kind of the registry (0-based), NULL past the end: for lists
   of names in messages (job files). */
const ml_kind *ml_kind_at(int i);

/* A new stage of a kind, uid prefix_<12 hex digits>; NULL on OOM. */
lm_ml_stage *ml_stage_new(lm_session *s, const ml_kind *k);
lm_ml_stage *ml_stage_ref(lm_ml_stage *st);
/* Copies every set Param of `from` whose name `to` also has. */
lm_status ml_stage_copy_params(lm_ml_stage *to, const lm_ml_stage *from);
/* A deep copy of Params (not data): used to apply a ParamMap. */
lm_ml_stage *ml_stage_copy(const lm_ml_stage *st);
int ml_param_index(const ml_kind *k, const char *name);

/* Param values with defaults applied (the names must exist in the kind). */
double ml_num(const lm_ml_stage *st, const char *name);
int64_t ml_int(const lm_ml_stage *st, const char *name);
bool ml_bool(const lm_ml_stage *st, const char *name);
const char *ml_str(const lm_ml_stage *st, const char *name); /* NULL when unset, no default */
bool ml_is_set(const lm_ml_stage *st, const char *name);
bool ml_is_defined(const lm_ml_stage *st, const char *name);
/* STRINGS / DOUBLES: count, and *out (NULL when unset). */
int ml_strs(const lm_ml_stage *st, const char *name, char ***out);
int ml_nums(const lm_ml_stage *st, const char *name, double **out);
/* Setters used internally (loading, grids); same validation as the API. */
lm_status ml_set_num(lm_ml_stage *st, const char *name, double v);
lm_status ml_set_str(lm_ml_stage *st, const char *name, const char *v);
lm_status ml_set_strs(lm_ml_stage *st, const char *name, int n, const char *const *v);
lm_status ml_set_nums(lm_ml_stage *st, const char *name, int n, const double *v);

/* Records java.lang.IllegalArgumentException (or another exception) on the
   session. Returns LM_ERROR. */
lm_status ml_fail(lm_session *s, const char *exception, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define ML_EXC_IAE "java.lang.IllegalArgumentException"
#define ML_EXC_SPARK "org.apache.spark.SparkException"

/* ============================================================ grids */

/* One ParamMap: (stage uid, param name, value) triples. */
typedef struct ml_grid_entry {
    char *uid;
    char *param;
    ml_ptype type;
    double num;
    char *str;
} ml_grid_entry;

typedef struct ml_param_map {
    int n;
    ml_grid_entry *e;
} ml_param_map;

struct ml_grid {
    int nmaps;
    ml_param_map *maps;
};

ml_grid *ml_grid_copy(const ml_grid *g);
void ml_grid_free(ml_grid *g);
/* Applies map to the stage and (through Pipeline stages) its children:
   returns a copy with the map's Params set. */
lm_ml_stage *ml_apply_param_map(const lm_ml_stage *st, const ml_param_map *m);

/* ============================================================ frames */

/* A collected DataFrame: schema and rows of values. */
typedef struct ml_frame {
    lm_session *s;
    lm_rows *rows;
    const lm_type *schema; /* STRUCT; owned by rows */
    int64_t n;
    int ncols;
} ml_frame;

lm_status ml_frame_load(lm_df *df, ml_frame *f);
void ml_frame_free(ml_frame *f);
const lm_value *ml_frame_cell(const ml_frame *f, int64_t r, int c);
const lm_type *ml_frame_type(const ml_frame *f, int c);
/* Column index by name, or -1 with Spark's "Field "x" does not exist."
   error on the session. */
int ml_frame_col(const ml_frame *f, const char *name);
/* Column that must be numeric (any numeric type) / a vector / a string:
   -1 with Spark's "requirement failed: Column x must be of type ..." */
int ml_frame_col_numeric(const ml_frame *f, const char *name);
int ml_frame_col_vector(const ml_frame *f, const char *name);
/* A numeric cell as a double; false for NULL. */
bool ml_cell_double(const lm_type *t, const lm_value *v, double *out);

/* Output rows: the input columns followed by new ones. */
typedef struct ml_out {
    lm_session *s;
    struct lm_table *t;
    int nin, nnew;
    lm_value *row;
    lm_arena scratch; /* per-row memory, reset by ml_out_row */
} ml_out;

/* Starts output with the input's columns plus nnew new ones. Fails with
   "requirement failed: Output column x already exists." */
lm_status ml_out_begin(ml_out *o, const ml_frame *f, int nnew, const char *const *names,
                       lm_type *const *types);
/* Appends input row r and the new values (which may live in o->scratch). */
lm_status ml_out_row(ml_out *o, const ml_frame *f, int64_t r, const lm_value *newv);
/* The DataFrame over the rows (NULL on failure); ends o. */
lm_df *ml_out_finish(ml_out *o);
void ml_out_abort(ml_out *o);
/* Sets output column col's field metadata (JSON object text, copied; NULL
   clears it); the new columns are nin + j. Before ml_out_finish. */
lm_status ml_out_set_metadata(ml_out *o, int col, const char *json);
/* A DataFrame over a computed table (takes the reference). */
lm_df *ml_df_from_table(lm_session *s, struct lm_table *t);

/* ============================================================ ML attributes (attrs.c) */

/* Spark's ml.attribute.Attribute, decoded from / encoded to field metadata.
   Strings and arrays live in the arena the attribute was read into. */
typedef enum ml_attr_kind {
    ML_AT_UNRESOLVED, /* no ml_attr metadata */
    ML_AT_NUMERIC,
    ML_AT_NOMINAL,
    ML_AT_BINARY
} ml_attr_kind;
typedef struct ml_attribute {
    ml_attr_kind kind;
    const char *name; /* NULL: unset */
    int nvals;        /* nominal / binary values; -1: unset */
    const char **vals;
    int64_t num_vals; /* nominal numValues; -1: unset */
    int ord;          /* nominal isOrdinal; -1: unset */
    unsigned has_stat; /* numeric: bits of min, max, std, sparsity set */
    double stat[4];
} ml_attribute;

/* {"ml_attr":{..}} of one attribute (Attribute.toMetadata), malloc'ed;
   NULL on allocation failure. */
char *ml_attr_metadata(const ml_attribute *at);
/* {"ml_attr":{"attrs":{..},"num_attrs":n}} (AttributeGroup.toMetadata). */
char *ml_attr_group_metadata(int n, const ml_attribute *attrs);
/* Attribute.fromStructField: the field's attribute, named after the field
   (ML_AT_UNRESOLVED without ml_attr metadata). */
void ml_attr_from_field(lm_arena *a, const lm_field *f, ml_attribute *out);
/* AttributeGroup.fromStructField: the group's size (-1 unknown) and, when
   the metadata lists attributes, *attrs (else NULL). */
int ml_attr_group_from_field(lm_arena *a, const lm_field *f, ml_attribute **attrs);
/* NominalAttribute.getNumValues (binary: 2; numeric: 0; -1 unknown). */
int ml_attr_num_values(const ml_attribute *at);

/* ============================================================ linear algebra */

/* Solves the packed (upper, column-major as LAPACK's 'U' packing) SPD
   system A x = b in place by Cholesky: a[0..n(n+1)/2) is overwritten by
   the factor, b by x. False when A is not positive definite. */
bool ml_cholesky_solve_packed(int n, double *a, double *b);
/* Inverse of a packed SPD matrix from its packed Cholesky factor (as left
   by ml_cholesky_solve_packed), packed the same way, into inv. */
void ml_cholesky_inverse_packed(int n, const double *factor, double *inv);

/* ============================================================ optimisation */

/* f(x) and its gradient. */
typedef double (*ml_objective)(void *ud, const double *x, double *grad);

typedef struct ml_optim_opts {
    int max_iter;
    int m; /* L-BFGS memory (Spark uses 10) */
    double tol;
    const double *l1; /* per-coordinate L1 weights (OWL-QN), or NULL */
} ml_optim_opts;

typedef struct ml_optim_result {
    int iterations;
    int nhistory;
    double *history; /* adjusted objective per iteration; malloc'ed */
} ml_optim_result;

/* Breeze's LBFGS (strong Wolfe line search) or, with l1, OWLQN
   (backtracking line search, orthant projection), with Breeze's
   convergence checks. x holds the start and receives the result. */
lm_status ml_minimize(lm_session *s, int n, double *x, ml_objective f, void *ud,
                      const ml_optim_opts *o, ml_optim_result *res);

/* ============================================================ random */

/* java.util.Random (common/jrandom.h) and Spark's XORShiftRandom
   (common/xorshift.h), bit for bit, so seeded results follow Spark's. */


/* ============================================================ JSON */

/* A parsed JSON value (tiny reader for model metadata and data). */
typedef enum ml_jtype { ML_J_NULL, ML_J_BOOL, ML_J_NUM, ML_J_STR, ML_J_ARR, ML_J_OBJ } ml_jtype;
typedef struct ml_json {
    ml_jtype type;
    bool b;
    double num;
    char *str;
    int n;                 /* ARR / OBJ */
    struct ml_json *items; /* ARR elements / OBJ values */
    char **keys;           /* OBJ */
} ml_json;

/* Parses text into arena memory; NULL on a syntax error. Several values
   separated by newlines (JSON lines) parse as one array when lines is true. */
ml_json *ml_json_parse(lm_arena *a, const char *text, bool lines);
const ml_json *ml_json_get(const ml_json *obj, const char *key);
double ml_json_num(const ml_json *obj, const char *key, double dflt);
const char *ml_json_str(const ml_json *obj, const char *key);
/* Writers */
void ml_json_string(lm_strbuf *sb, const char *s);
void ml_json_double(lm_strbuf *sb, double d);
void ml_json_doubles(lm_strbuf *sb, int n, const double *v);
/* Reads a numeric array into malloc'ed memory; count or -1. */
int ml_json_read_doubles(const ml_json *arr, double **out);

/* Model data as Parquet (persist_data.c). Writes the JSON lines rows as
   Spark's data folder dir (part-00000-<uuid>-c000.snappy.parquet and
   _SUCCESS) with the schema of spec; dir must not exist. */
lm_status ml_data_write_parquet(lm_session *s, const char *spec, const char *rows,
                                const char *dir);
/* Reads dir's Parquet back as JSON lines in the shape the writer took
   (vectors as number arrays, matrices as {numRows, numCols, values} row
   major), columns matched to spec by name; extra (a list of `"k":v`
   members, or NULL) is appended to every row. *out is malloc'ed. */
lm_status ml_data_read_parquet(lm_session *s, const char *spec, const char *dir,
                               const char *extra, char **out);

/* ============================================================ helpers shared by kinds */

/* Java's toLowerCase of n UTF-8 bytes into arena memory (NUL-terminated),
   and Java's String.length (UTF-16 units) of UTF-8 text (text.c). */
char *ml_lower_utf8(lm_arena *a, const char *s, int32_t n);
int32_t ml_utf16_len(const char *s, int32_t n);

/* Training rows (instances.c): labels y, weights w, dense features x
   (n x d, row-major). Rows with NULL features are skipped; NULL or NaN
   labels and negative weights fail as Spark's. */
typedef struct ml_instances {
    int64_t n;
    int d;
    double *y, *w, *x;
} ml_instances;
lm_status ml_instances_load(lm_ml_stage *st, lm_df *df, const char *label, const char *weight,
                            const char *features, ml_instances *out);
void ml_instances_free(ml_instances *in);

/* Regression metrics (metrics.c), as Spark's RegressionMetrics over
   (prediction, label, weight) triples. */
typedef struct ml_reg_metrics {
    double mse, rmse, mae, r2, var;
    double wsum;
    int64_t count;
} ml_reg_metrics;
void ml_regression_metrics(int64_t n, const double *pred, const double *label, const double *weight,
                           bool through_origin, ml_reg_metrics *out);

/* Output columns computed from each row's features vector (predict.c):
   fn fills values for row r; features may be NULL (then outputs NULL). */
typedef lm_status (*ml_predict_fn)(const lm_ml_stage *st, const ml_vec *x, lm_arena *a,
                                   lm_value *out);
lm_df *ml_predict_columns(lm_ml_stage *st, lm_df *df, int n, const char *const *names,
                          lm_type *const *types, ml_predict_fn fn);

/* PipelineModel internals for persistence (pipeline.c). */
int ml_pipeline_model_stages(const lm_ml_stage *model, lm_ml_stage ***out);
lm_status ml_pipeline_model_set(lm_ml_stage *model, int n, lm_ml_stage **stages);

/* A DataFrame's schema (STRUCT), borrowed. */
const lm_type *ml_df_schema(const lm_df *df);
/* HashingTF's index of a term (feature_hashing.c). */
int32_t ml_hashing_index(const lm_type *t, const lm_value *v, int32_t num_features);

/* Spark's default English stop words (feature_stopwords.c). */
int ml_default_stop_words(const char *const **out);

/* Stable merge sort with a context (sort.c); false on OOM. */
typedef int (*ml_cmp_fn)(const void *a, const void *b, void *ctx);
bool ml_sort(void *base, size_t n, size_t size, ml_cmp_fn cmp, void *ctx);

/* Model-side attributes of common shape. */
bool ml_attr_double(ml_attr *out, double d);
bool ml_attr_doubles(ml_attr *out, int n, const double *v);

#endif
