/*
 * The text source, as Spark's TextFileFormat: each line of each file is a
 * row of one string column `value` (lines split at \n, \r\n or \r, or at
 * lineSep), or each whole file one row with wholetext. Bytes are kept as
 * they are - text does not decode - so invalid UTF-8 reaches the string
 * unchanged. Writing takes exactly one string column and writes each value
 * followed by the line separator (a null as an empty line).
 */
#include "io.h"

#include <stdlib.h>
#include <string.h>

#include "session/session.h"

static lm_status multi_column_error(lm_error *err, int n)
{
    return lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1290", NULL,
                        "Text data source supports only a single column, and you have %d "
                        "columns.",
                        n);
}

static lm_status check_schema(lm_error *err, const lm_type *st)
{
    if (st->nfields != 1)
        return multi_column_error(err, st->nfields);
    if (st->fields[0].type->id != LM_TYPE_STRING)
        return io_unsupported_type_error(err, "Text", st->fields[0].name, st->fields[0].type);
    return LM_OK;
}

lm_status io_text_read(io_read *r, lm_table **out)
{
    bool whole = false;
    lm_status rc = io_opt_bool(r->err, r->opts, "wholetext", false, &whole);
    if (rc != LM_OK)
        return rc;
    const char *sep = io_opt(r->opts, "lineSep");
    if (sep && sep[0] == '\0')
        return lm_error_set(r->err, LM_ERROR, IO_EXC_ILLEGAL_ARG, NULL, NULL,
                            "requirement failed: 'lineSep' cannot be an empty string");
    lm_type *schema = NULL;
    if (r->user_schema) {
        if ((rc = check_schema(r->err, r->user_schema)) != LM_OK)
            return rc;
        schema = lm_type_ref((lm_type *)r->user_schema);
    } else {
        lm_field f = {"value", lm_type_string(), true, NULL, NULL};
        schema = lm_type_struct(&f, 1);
        if (schema == NULL)
            return lm_error_oom(r->err);
    }
    io_sink sink;
    lm_type *parsed = NULL;
    rc = io_sink_init(&sink, r->err, schema, NULL, r->src, IO_PERMISSIVE, &parsed);
    for (int f = 0; rc == LM_OK && f < r->src->nfiles; f++) {
        io_buf *b = &r->texts[f];
        rc = io_read_file(r->err, r->faults, r->src->files[f].path, b);
        if (rc != LM_OK)
            break;
        lm_value v;
        if (whole) {
            v = lm_value_str(b->data, (int32_t)b->len);
            rc = io_sink_row(&sink, f, &v);
        } else {
            size_t start = 0;
            /* Hadoop's line reader skips a UTF-8 byte order mark */
            if (b->len >= 3 && memcmp(b->data, "\xEF\xBB\xBF", 3) == 0)
                start = 3;
            io_lines it;
            io_lines_init(&it, b->data + start, b->len - start, sep);
            const char *line;
            size_t len;
            while (rc == LM_OK && io_lines_next(&it, &line, &len)) {
                v = lm_value_str(line, (int32_t)len);
                rc = io_sink_row(&sink, f, &v);
            }
        }
        io_buf_free(b);
    }
    if (rc == LM_OK) {
        *out = io_sink_finish(&sink);
        if (*out == NULL)
            rc = lm_error_oom(r->err);
    }
    io_sink_free(&sink);
    lm_type_unref(parsed);
    lm_type_unref(schema);
    return rc;
}

lm_status io_text_write_check(io_write *w)
{
    return check_schema(w->err, w->schema);
}

lm_status io_text_write_rows(io_write *w, lm_value *const *rows, int64_t nrows, io_buf *out)
{
    const char *sep = io_opt(w->opts, "lineSep");
    if (sep == NULL || sep[0] == '\0')
        sep = "\n";
    size_t sl = strlen(sep);
    for (int64_t i = 0; i < nrows; i++) {
        const lm_value *v = &rows[i][0];
        if (!v->is_null && !io_buf_append(out, v->u.str.ptr, (size_t)v->u.str.len))
            return lm_error_oom(w->err);
        if (!io_buf_append(out, sep, sl))
            return lm_error_oom(w->err);
    }
    return LM_OK;
}
