/*
 * CSV internals shared by the tokenizer (csv_parse.c), schema inference
 * (csv_infer.c) and the reader (csv_read.c): the read options of Spark's
 * CSVOptions and the record tokenizer that stands in for the univocity
 * parser Spark uses.
 */
#ifndef LM_IO_CSV_H
#define LM_IO_CSV_H

#include "io.h"

typedef struct csv_opts {
    char *delim;              /* sep / delimiter after Spark's escape rules (UTF-8) */
    size_t delim_len;
    io_sym quote, escape, escape_escape, comment;
    bool header, infer_schema, ignore_lead, ignore_trail, multiline, enforce_schema;
    bool prefer_date;
    bool stop_at_closing_quote; /* unescapedQuoteHandling=STOP_AT_CLOSING_QUOTE */
    const char *null_value, *empty_value, *nan_value, *pos_inf, *neg_inf;
    const char *line_sep;     /* NULL: \n, \r or \r\n */
    const char *date_pattern; /* dateFormat as given, NULL when unset */
    const char *charset;
    io_mode mode;
    const char *corrupt_col;
    double sampling_ratio;
    int max_columns;
    io_datetime dt;
    bool case_sensitive;
} csv_opts;

/* Reads and checks the options (errors as Spark's CSVOptions raises them). */
lm_status csv_opts_init(csv_opts *o, struct lm_session *s, lm_error *err, const lm_options *opts);
void csv_opts_free(csv_opts *o);

/* Tokens of one record. Values of unquoted empty fields are the nullValue
   string and of quoted empty fields the emptyValue string, as univocity
   hands them to Spark. */
typedef struct csv_tok {
    int n, cap;
    size_t *off;
    int32_t *len;
    uint8_t *kind;
    const char **ptr; /* resolved after a record */
    io_buf buf;
    size_t rec_start, rec_end; /* raw text of the record */
} csv_tok;

void csv_tok_free(csv_tok *t);

/*
 * Parses the next record of s[*pos..n). In multi-line mode records end at
 * unquoted line breaks and quoted values may span lines; otherwise s is one
 * line and line breaks are ordinary characters. Returns 1 for a record,
 * 0 at the end, -1 on error (err set: too many columns, out of memory).
 */
int csv_next_record(const csv_opts *o, csv_tok *t, const char *s, size_t n, size_t *pos,
                    lm_error *err);

/* Spark's filterCommentAndEmpty for a line: blank after trim, or starting
   with the comment character. */
bool csv_skip_line(const csv_opts *o, const char *line, size_t len);

/* An inferred column type (CSVInferSchema's lattice). */
typedef struct csv_itype {
    lm_type_id id; /* LM_TYPE_NULL until a value is seen */
    int p, s;      /* DECIMAL */
} csv_itype;

void csv_infer_field(const csv_opts *o, csv_itype *sofar, const char *tok, size_t len);
/* NullType becomes string, as Spark's toStructFields does. New reference. */
lm_type *csv_itype_type(csv_itype t);

#endif
