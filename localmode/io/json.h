/*
 * JSON internals shared by the parser (json_parse.c), inference
 * (json_infer.c), the reader (json_read.c) and the writer (json_write.c).
 *
 * A record is parsed into a small tree in an arena; inference and value
 * conversion then walk the tree. Spark streams tokens from Jackson instead,
 * but what it accepts and how it types values depend only on the tokens, so
 * a tree gives the same answers with simpler code.
 */
#ifndef LM_IO_JSON_H
#define LM_IO_JSON_H

#include "io.h"

typedef enum json_kind {
    JN_NULL,
    JN_TRUE,
    JN_FALSE,
    JN_INT,    /* VALUE_NUMBER_INT; text = digits as written */
    JN_FLOAT,  /* VALUE_NUMBER_FLOAT; text as written, or NaN/Infinity forms */
    JN_STRING, /* text = unescaped UTF-8 */
    JN_OBJECT,
    JN_ARRAY
} json_kind;

/* Jackson's NumberType for numbers. */
enum { JNUM_INT = 0, JNUM_LONG = 1, JNUM_BIG = 2, JNUM_DOUBLE = 3, JNUM_NAN = 4, JNUM_POS_INF = 5,
       JNUM_NEG_INF = 6 };

typedef struct json_node json_node;
struct json_node {
    uint8_t kind;
    uint8_t num;      /* JNUM_* for numbers */
    int32_t n;        /* text length, or number of children */
    const char *text; /* JN_STRING / numbers */
    json_node *kids;  /* JN_ARRAY elements, JN_OBJECT values */
    const char **keys;
    int32_t *klens;   /* JN_OBJECT keys */
};

/* Jackson features Spark's JSONOptions switch. */
typedef struct json_popts {
    bool allow_comments;            /* allowComments */
    bool allow_unquoted_names;      /* allowUnquotedFieldNames */
    bool allow_single_quotes;       /* allowSingleQuotes (default on) */
    bool allow_leading_zeros;       /* allowNumericLeadingZeros */
    bool allow_non_numeric;         /* allowNonNumericNumbers (default on) */
    bool allow_backslash_any;       /* allowBackslashEscapingAnyCharacter */
    bool allow_unquoted_ctrl;       /* allowUnquotedControlChars */
} json_popts;

typedef enum json_parse_status { JP_OK, JP_EMPTY, JP_SYNTAX, JP_NOMEM } json_parse_status;

/* Parses the first JSON value of s[0..n) (text after it is ignored, as
   Spark only reads the first value of a record). JP_EMPTY when there is
   nothing but whitespace. On JP_SYNTAX msg holds Jackson-like text. */
json_parse_status json_parse(const json_popts *o, lm_arena *a, const char *s, size_t n,
                             json_node **out, char *msg, size_t msgcap);

/* Appends the node as compact JSON, as Jackson's copyCurrentStructure
   writes a value read into a string column. */
void json_serialize(lm_strbuf *sb, const json_node *nd);

/* Appends a string with Jackson's escaping (", \, control characters). */
void json_escape(lm_strbuf *sb, const char *s, size_t n);

/* Java's String.compareTo on UTF-8 (UTF-16 code unit order), which is how
   JsonInferSchema sorts struct fields. */
int json_name_cmp(const char *a, size_t an, const char *b, size_t bn);

typedef struct json_ropts {
    json_popts p;
    bool primitives_as_string, prefers_decimal, drop_field_if_all_null, multiline;
    bool infer_timestamp;
    const char *line_sep;
    const char *charset; /* NULL: detect (multi-line) or UTF-8 (lines) */
    io_mode mode;
    const char *corrupt_col;
    double sampling_ratio;
    io_datetime dt;
    bool case_sensitive;
} json_ropts;

lm_status json_ropts_init(json_ropts *o, struct lm_session *s, lm_error *err,
                          const lm_options *opts);
void json_ropts_free(json_ropts *o);

/* Infers a schema from records (each a parsed tree or NULL when the record
   did not parse). Returns a new STRUCT. */
typedef struct json_infer json_infer;
json_infer *json_infer_new(const json_ropts *o, lm_error *err);
lm_status json_infer_add(json_infer *ji, const json_node *root, bool parse_failed);
lm_status json_infer_finish(json_infer *ji, lm_type **out);
void json_infer_free(json_infer *ji);

#endif
