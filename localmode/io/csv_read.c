/*
 * The CSV reader: schema from the header (or _c0, _c1 ...) and inference,
 * then each record converted to the schema's types with Spark 3.5's value
 * rules, malformed records going through the parse mode.
 *
 * Per-line mode (the default) mirrors TextInputCSVDataSource: files are
 * split into lines first, blank and comment lines are dropped, the first
 * remaining line of each file is the header when header=true, and every
 * other line is one record. Multi-line mode mirrors MultiLineCSVDataSource:
 * the tokenizer runs over the whole file, so quoted values may hold line
 * breaks.
 */
#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session/session.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/interval.h"

/* --------------------------------------------------------------- header */

/* CSVUtils.makeSafeHeader: blank or null names become _c<i>; duplicates
   (case-insensitively unless spark.sql.caseSensitive) get their index
   appended. Names are malloc'ed into out[i]. */
static lm_status make_header(const csv_opts *o, lm_error *err, const csv_tok *t, char ***out)
{
    int n = t->n;
    char **names = calloc((size_t)n + 1, sizeof *names);
    if (names == NULL)
        return lm_error_oom(err);
    for (int i = 0; i < n; i++) {
        char buf[32];
        const char *v = t->ptr[i];
        size_t len = (size_t)t->len[i];
        bool blank = !o->header || len == 0 ||
                     (len == strlen(o->null_value) && memcmp(v, o->null_value, len) == 0);
        if (blank) {
            snprintf(buf, sizeof buf, "_c%d", i);
            names[i] = strdup(buf);
        } else {
            bool dup = false;
            for (int j = 0; j < n && !dup; j++) {
                if (j == i || (size_t)t->len[j] != len)
                    continue;
                dup = o->case_sensitive ? memcmp(t->ptr[j], v, len) == 0
                                        : strncasecmp(t->ptr[j], v, len) == 0;
            }
            if (dup) {
                snprintf(buf, sizeof buf, "%d", i);
                names[i] = malloc(len + strlen(buf) + 1);
                if (names[i]) {
                    memcpy(names[i], v, len);
                    strcpy(names[i] + len, buf);
                }
            } else {
                names[i] = strndup(v, len);
            }
        }
        if (names[i] == NULL) {
            for (int j = 0; j < i; j++)
                free(names[j]);
            free(names);
            return lm_error_oom(err);
        }
    }
    *out = names;
    return LM_OK;
}

/* CSVHeaderChecker with enforceSchema=false: the header must name the
   schema's columns in order. */
static lm_status check_header(const csv_opts *o, lm_error *err, const csv_tok *t,
                              const lm_type *schema, const char *path)
{
    if (!o->header || o->enforce_schema)
        return LM_OK;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    bool bad = false;
    if (t->n != schema->nfields) {
        lm_strbuf_printf(&sb,
                         "Number of column in CSV header is not equal to number of fields in the "
                         "schema:\n Header length: %d, schema size: %d\nCSV file: file:%s",
                         t->n, schema->nfields, path);
        bad = true;
    } else {
        for (int i = 0; i < t->n && !bad; i++) {
            const char *f = schema->fields[i].name;
            size_t l = (size_t)t->len[i];
            bool same = strlen(f) == l && (o->case_sensitive ? memcmp(f, t->ptr[i], l) == 0
                                                               : strncasecmp(f, t->ptr[i], l) == 0);
            if (same)
                continue;
            bad = true;
            lm_strbuf_puts(&sb, "CSV header does not conform to the schema.\n Header: ");
            for (int j = 0; j < t->n; j++)
                lm_strbuf_printf(&sb, "%s%.*s", j ? ", " : "", (int)t->len[j], t->ptr[j]);
            lm_strbuf_puts(&sb, "\n Schema: ");
            for (int j = 0; j < schema->nfields; j++)
                lm_strbuf_printf(&sb, "%s%s", j ? ", " : "", schema->fields[j].name);
            lm_strbuf_printf(&sb, "\nExpected: %s but found: %.*s\nCSV file: file:%s", f, (int)l,
                             t->ptr[i], path);
        }
    }
    if (!bad) {
        lm_strbuf_free(&sb);
        return LM_OK;
    }
    lm_error_set(err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL, "%s", lm_strbuf_cstr(&sb));
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

/* ---------------------------------------------------------- conversion */

typedef enum conv_result { CONV_OK, CONV_BAD, CONV_UPGRADE } conv_result;

static bool eqs(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Java's BigDecimal(String) on the text without ',' (ExprUtils.getDecimalParser
   for Locale.US), then Decimal(value, p, s) rounding HALF_UP. */
static bool parse_decimal(const char *s, size_t n, int p, int sc, lm_int128 *out)
{
    char buf[512];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',')
            continue;
        if (k + 1 >= sizeof buf)
            return false;
        buf[k++] = s[i];
    }
    int bp, bs;
    if (!io_java_bigdecimal(buf, k, &bp, &bs))
        return false;
    return lm_decimal_parse_to(buf, k, p, sc, out);
}

/* UnivocityParser.makeConverter for one token. *cause gets a short reason
   on failure. */
static conv_result convert(const csv_opts *o, const lm_type *t, const char *s, size_t n,
                           lm_value *out, const char **cause)
{
    *out = lm_value_null();
    if (s == NULL || eqs(s, n, o->null_value))
        return CONV_OK;
    *cause = NULL;
    int64_t x;
    switch (t->id) {
    case LM_TYPE_BYTE:
        if (!io_java_parse_long(s, n, INT8_MIN, INT8_MAX, &x))
            goto bad_number;
        *out = lm_value_i64(x);
        return CONV_OK;
    case LM_TYPE_SHORT:
        if (!io_java_parse_long(s, n, INT16_MIN, INT16_MAX, &x))
            goto bad_number;
        *out = lm_value_i64(x);
        return CONV_OK;
    case LM_TYPE_INT:
        if (!io_java_parse_long(s, n, INT32_MIN, INT32_MAX, &x))
            goto bad_number;
        *out = lm_value_i64(x);
        return CONV_OK;
    case LM_TYPE_LONG:
        if (!io_java_parse_long(s, n, INT64_MIN, INT64_MAX, &x))
            goto bad_number;
        *out = lm_value_i64(x);
        return CONV_OK;
    case LM_TYPE_FLOAT: {
        float f;
        if (eqs(s, n, o->nan_value))
            f = __builtin_nanf("");
        else if (eqs(s, n, o->neg_inf))
            f = -__builtin_inff();
        else if (eqs(s, n, o->pos_inf))
            f = __builtin_inff();
        else if (!io_java_parse_float(s, n, &f))
            goto bad_number;
        *out = lm_value_f32(f);
        return CONV_OK;
    }
    case LM_TYPE_DOUBLE: {
        double d;
        if (eqs(s, n, o->nan_value))
            d = __builtin_nan("");
        else if (eqs(s, n, o->neg_inf))
            d = -__builtin_inf();
        else if (eqs(s, n, o->pos_inf))
            d = __builtin_inf();
        else if (!io_java_parse_double(s, n, &d))
            goto bad_number;
        *out = lm_value_f64(d);
        return CONV_OK;
    }
    case LM_TYPE_BOOLEAN:
        if (n == 4 && strncasecmp(s, "true", 4) == 0)
            *out = lm_value_bool(true);
        else if (n == 5 && strncasecmp(s, "false", 5) == 0)
            *out = lm_value_bool(false);
        else {
            *cause = "java.lang.IllegalArgumentException: For input string";
            return CONV_BAD;
        }
        return CONV_OK;
    case LM_TYPE_DECIMAL: {
        lm_int128 d;
        if (!parse_decimal(s, n, t->precision, t->scale, &d))
            goto bad_number;
        *out = lm_value_dec(d);
        return CONV_OK;
    }
    case LM_TYPE_STRING:
        *out = lm_value_str(s, (int32_t)n);
        return CONV_OK;
    case LM_TYPE_DATE: {
        int32_t d;
        io_parse_result r = io_parse_date(&o->dt, s, n, &d);
        if (r == IO_PARSE_UPGRADE)
            return CONV_UPGRADE;
        if (r != IO_PARSE_OK) {
            *cause = "java.time.format.DateTimeParseException: Text could not be parsed";
            return CONV_BAD;
        }
        *out = lm_value_i64(d);
        return CONV_OK;
    }
    case LM_TYPE_TIMESTAMP: {
        int64_t m;
        io_parse_result r = io_parse_timestamp(&o->dt, s, n, &m);
        if (r == IO_PARSE_UPGRADE)
            return CONV_UPGRADE;
        if (r != IO_PARSE_OK) {
            *cause = "java.time.format.DateTimeParseException: Text could not be parsed";
            return CONV_BAD;
        }
        *out = lm_value_i64(m);
        return CONV_OK;
    }
    case LM_TYPE_TIMESTAMP_NTZ: {
        int64_t m;
        io_parse_result r = io_parse_timestamp_ntz(&o->dt, s, n, &m);
        if (r == IO_PARSE_UPGRADE)
            return CONV_UPGRADE;
        if (r != IO_PARSE_OK) {
            *cause = "java.time.format.DateTimeParseException: Text could not be parsed";
            return CONV_BAD;
        }
        *out = lm_value_i64(m);
        return CONV_OK;
    }
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL: {
        /* Cast(Literal(datum), intervalType), which raises on bad text */
        lm_error e;
        lm_error_init(&e);
        lm_status rc;
        if (t->id == LM_TYPE_YM_INTERVAL) {
            int32_t months;
            rc = lm_interval_parse_ym(s, n, t->start_field, t->end_field, &months, &e);
            *out = lm_value_i64(months);
        } else {
            int64_t micros;
            rc = lm_interval_parse_dt(s, n, t->start_field, t->end_field, &micros, &e);
            *out = lm_value_i64(micros);
        }
        lm_error_clear(&e);
        if (rc != LM_OK) {
            *out = lm_value_null();
            *cause = "java.lang.IllegalArgumentException: Interval string does not match";
            return CONV_BAD;
        }
        return CONV_OK;
    }
    default:
        *cause = "unsupported type";
        return CONV_BAD;
    }
bad_number:
    *cause = "java.lang.NumberFormatException: For input string";
    return CONV_BAD;
}

/* Types the CSV source can read (CSVFileFormat.supportDataType; binary has
   not been supported since Spark 3.4). */
static bool supported(const lm_type *t)
{
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_FLOAT:
    case LM_TYPE_DOUBLE:
    case LM_TYPE_DECIMAL:
    case LM_TYPE_STRING:
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------- reading */

typedef struct csv_reader {
    io_read *r;
    csv_opts o;
    csv_tok tok;
    io_sink sink;
    lm_type *parsed; /* data schema without the corrupt column */
    lm_value *vals;
} csv_reader;

static lm_status upgrade_error(lm_error *err, const char *s, size_t n)
{
    return lm_dtf_upgrade_error(err, s, n);
}

/* One record: convert and hand to the sink. */
static lm_status emit(csv_reader *c, int file, const char *text, size_t tlen)
{
    const lm_type *ps = c->parsed;
    int nd = ps->nfields;
    bool malformed = c->tok.n != nd;
    bool conv_failed = false;
    const char *cause = NULL;
    for (int i = 0; i < nd; i++) {
        const char *s = i < c->tok.n ? c->tok.ptr[i] : NULL;
        size_t n = i < c->tok.n ? (size_t)c->tok.len[i] : 0;
        const char *why = NULL;
        conv_result cr = convert(&c->o, ps->fields[i].type, s, n, &c->vals[i], &why);
        if (cr == CONV_UPGRADE)
            return upgrade_error(c->r->err, s, n);
        if (cr == CONV_BAD) {
            conv_failed = true;
            c->vals[i] = lm_value_null();
            if (cause == NULL)
                cause = why;
        }
    }
    if (!malformed && !conv_failed)
        return io_sink_row(&c->sink, file, c->vals);
    if (malformed && cause == NULL)
        cause = "java.lang.RuntimeException: Malformed CSV record";
    /* a record of the wrong length keeps its values only when they all
       converted (UnivocityParser's getPartialResult) */
    const lm_value *partial = malformed && conv_failed ? NULL : c->vals;
    return io_sink_bad(&c->sink, file, partial, text, tlen, cause);
}

static lm_status load_texts(io_read *r, const csv_opts *o)
{
    for (int f = 0; f < r->src->nfiles; f++) {
        lm_status rc = io_read_file(r->err, r->faults, r->src->files[f].path, &r->texts[f]);
        if (rc == LM_OK)
            rc = io_decode(r->err, o->charset, &r->texts[f]);
        if (rc != LM_OK)
            return rc;
    }
    return LM_OK;
}

/* The first record that gives the column count (and names with header). */
static lm_status first_record(csv_reader *c, bool *found)
{
    io_read *r = c->r;
    *found = false;
    for (int f = 0; f < r->src->nfiles && !*found; f++) {
        const io_buf *b = &r->texts[f];
        if (c->o.multiline) {
            size_t pos = 0;
            int k = csv_next_record(&c->o, &c->tok, b->data, b->len, &pos, r->err);
            if (k < 0)
                return r->err->status;
            *found = k == 1;
            continue;
        }
        io_lines it;
        io_lines_init(&it, b->data, b->len, c->o.line_sep);
        const char *line;
        size_t len;
        while (io_lines_next(&it, &line, &len)) {
            if (csv_skip_line(&c->o, line, len))
                continue;
            size_t pos = 0;
            int k = csv_next_record(&c->o, &c->tok, line, len, &pos, r->err);
            if (k < 0)
                return r->err->status;
            *found = k == 1;
            break;
        }
    }
    return LM_OK;
}

/* Infers the schema; *out is a new STRUCT (no fields for empty input). */
static lm_status infer(csv_reader *c, lm_type **out)
{
    io_read *r = c->r;
    bool found;
    lm_status rc = first_record(c, &found);
    if (rc != LM_OK)
        return rc;
    if (!found) {
        *out = lm_type_struct(NULL, 0);
        return *out ? LM_OK : lm_error_oom(r->err);
    }
    char **names = NULL;
    if ((rc = make_header(&c->o, r->err, &c->tok, &names)) != LM_OK)
        return rc;
    int ncol = c->tok.n;
    /* the header line's raw text, to drop every repetition of it (per-line
       inference filters lines equal to the first one) */
    char *first_line = NULL;
    size_t first_len = 0;
    csv_itype *types = calloc((size_t)ncol + 1, sizeof *types);
    if (types == NULL)
        rc = lm_error_oom(r->err);
    if (rc == LM_OK && c->o.infer_schema) {
        io_sampler sm;
        io_sampler_init(&sm, c->o.sampling_ratio);
        bool seen_first = false;
        for (int f = 0; f < r->src->nfiles && rc == LM_OK; f++) {
            const io_buf *b = &r->texts[f];
            if (c->o.multiline) {
                size_t pos = 0;
                bool first_of_file = true;
                for (;;) {
                    int k = csv_next_record(&c->o, &c->tok, b->data, b->len, &pos, r->err);
                    if (k < 0) {
                        rc = r->err->status;
                        break;
                    }
                    if (k == 0)
                        break;
                    bool drop = first_of_file && c->o.header;
                    first_of_file = false;
                    if (drop || !io_sampler_keep(&sm))
                        continue;
                    for (int i = 0; i < ncol && i < c->tok.n; i++)
                        csv_infer_field(&c->o, &types[i], c->tok.ptr[i], (size_t)c->tok.len[i]);
                }
                continue;
            }
            io_lines it;
            io_lines_init(&it, b->data, b->len, c->o.line_sep);
            const char *line;
            size_t len;
            while (io_lines_next(&it, &line, &len)) {
                if (!io_sampler_keep(&sm))
                    continue;
                if (csv_skip_line(&c->o, line, len))
                    continue;
                if (!seen_first) {
                    seen_first = true;
                    /* a copy by length: the line may hold NUL bytes */
                    first_line = malloc(len + 1);
                    first_len = len;
                    if (first_line)
                        memcpy(first_line, line, len);
                    if (first_line == NULL) {
                        rc = lm_error_oom(r->err);
                        break;
                    }
                }
                if (c->o.header && len == first_len && memcmp(line, first_line, len) == 0)
                    continue;
                size_t pos = 0;
                int k = csv_next_record(&c->o, &c->tok, line, len, &pos, r->err);
                if (k < 0) {
                    rc = r->err->status;
                    break;
                }
                for (int i = 0; i < ncol && i < c->tok.n; i++)
                    csv_infer_field(&c->o, &types[i], c->tok.ptr[i], (size_t)c->tok.len[i]);
            }
        }
    }
    lm_field *fields = calloc((size_t)ncol + 1, sizeof *fields);
    if (rc == LM_OK && fields == NULL)
        rc = lm_error_oom(r->err);
    for (int i = 0; i < ncol && rc == LM_OK; i++) {
        fields[i].name = names[i];
        fields[i].type = csv_itype_type(c->o.infer_schema ? types[i] : (csv_itype){LM_TYPE_NULL, 0, 0});
        fields[i].nullable = true;
        if (fields[i].type == NULL)
            rc = lm_error_oom(r->err);
    }
    if (rc == LM_OK) {
        *out = lm_type_struct(fields, ncol);
        if (*out == NULL)
            rc = lm_error_oom(r->err);
    }
    for (int i = 0; i < ncol; i++) {
        if (fields && fields[i].type)
            lm_type_unref(fields[i].type);
        free(names[i]);
    }
    free(names);
    free(fields);
    free(types);
    free(first_line);
    return rc;
}

static lm_status read_file(csv_reader *c, int f)
{
    io_read *r = c->r;
    const io_buf *b = &r->texts[f];
    const char *path = r->src->files[f].path;
    const lm_type *ps = c->parsed;
    lm_status rc = LM_OK;
    if (c->o.multiline) {
        size_t pos = 0;
        bool first = true;
        for (;;) {
            int k = csv_next_record(&c->o, &c->tok, b->data, b->len, &pos, r->err);
            if (k < 0)
                return r->err->status;
            if (k == 0)
                break;
            if (first && c->o.header) {
                first = false;
                if ((rc = check_header(&c->o, r->err, &c->tok, ps, path)) != LM_OK)
                    return rc;
                continue;
            }
            first = false;
            if ((rc = emit(c, f, b->data + c->tok.rec_start,
                           c->tok.rec_end - c->tok.rec_start)) != LM_OK)
                return rc;
        }
        return LM_OK;
    }
    io_lines it;
    io_lines_init(&it, b->data, b->len, c->o.line_sep);
    const char *line;
    size_t len;
    bool header_done = !c->o.header;
    while (io_lines_next(&it, &line, &len)) {
        if (csv_skip_line(&c->o, line, len))
            continue;
        size_t pos = 0;
        int k = csv_next_record(&c->o, &c->tok, line, len, &pos, r->err);
        if (k < 0)
            return r->err->status;
        if (k == 0)
            continue;
        if (!header_done) {
            header_done = true;
            if ((rc = check_header(&c->o, r->err, &c->tok, ps, path)) != LM_OK)
                return rc;
            continue;
        }
        if ((rc = emit(c, f, line, len)) != LM_OK)
            return rc;
    }
    return LM_OK;
}

lm_status io_csv_read(io_read *r, lm_table **out)
{
    csv_reader c;
    memset(&c, 0, sizeof c);
    c.r = r;
    lm_status rc = csv_opts_init(&c.o, r->s, r->err, r->opts);
    if (rc != LM_OK)
        return rc;
    lm_type *schema = NULL;
    if (r->user_schema) {
        for (int i = 0; i < r->user_schema->nfields && rc == LM_OK; i++) {
            const lm_field *f = &r->user_schema->fields[i];
            if (strcmp(f->name, c.o.corrupt_col) == 0) {
                if (f->type->id != LM_TYPE_STRING)
                    rc = io_corrupt_type_error(r->err);
            } else if (!supported(f->type)) {
                rc = io_unsupported_type_error(r->err, "CSV", f->name, f->type);
            }
        }
        schema = lm_type_ref((lm_type *)r->user_schema);
    }
    if (rc == LM_OK)
        rc = load_texts(r, &c.o);
    if (rc == LM_OK && schema == NULL)
        rc = infer(&c, &schema);
    if (rc == LM_OK)
        rc = io_sink_init(&c.sink, r->err, schema, c.o.corrupt_col, r->src, c.o.mode, &c.parsed);
    if (rc == LM_OK) {
        c.vals = calloc((size_t)c.parsed->nfields + 1, sizeof *c.vals);
        if (c.vals == NULL)
            rc = lm_error_oom(r->err);
    }
    /* an empty schema reads no rows (Spark's empty DataFrame) */
    for (int f = 0; rc == LM_OK && schema->nfields > 0 && f < r->src->nfiles; f++)
        rc = read_file(&c, f);
    if (rc == LM_OK) {
        *out = io_sink_finish(&c.sink);
        if (*out == NULL)
            rc = lm_error_oom(r->err);
    }
    io_sink_free(&c.sink);
    lm_type_unref(c.parsed);
    lm_type_unref(schema);
    free(c.vals);
    csv_tok_free(&c.tok);
    csv_opts_free(&c.o);
    return rc;
}
