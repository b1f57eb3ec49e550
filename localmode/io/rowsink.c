/*
 * Where parsed records become table rows. Two pieces of Spark meet here:
 * HadoopFsRelation's output schema (data columns, then partition columns,
 * a partition column that shares a data column's name taking its place) and
 * FailureSafeParser's handling of malformed records under the three parse
 * modes, with the corrupt-record column filled in PERMISSIVE mode.
 */
#include "io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "types/decimal.h"
#include "types/numfmt.h"

lm_status io_sink_init(io_sink *k, lm_error *err, const lm_type *data, const char *corrupt_col,
                       const io_source *src, io_mode mode, lm_type **out_data)
{
    memset(k, 0, sizeof *k);
    k->err = err;
    k->src = src;
    k->mode = mode;
    k->corrupt_full = -1;
    lm_arena_init(&k->scratch, 4096);
    *out_data = NULL;
    const lm_type *part = src ? src->part_schema : NULL;
    int nd = data->nfields, np = part ? part->nfields : 0;
    lm_field *full = calloc((size_t)(nd + np) + 1, sizeof *full);
    lm_field *parsed = calloc((size_t)nd + 1, sizeof *parsed);
    k->data_to_full = calloc((size_t)nd + 1, sizeof(int));
    k->overlap_part = calloc((size_t)nd + 1, sizeof(int));
    k->part_to_full = calloc((size_t)np + 1, sizeof(int));
    if (full == NULL || parsed == NULL || k->data_to_full == NULL || k->overlap_part == NULL ||
        k->part_to_full == NULL) {
        free(full);
        free(parsed);
        return lm_error_oom(err);
    }
    for (int p = 0; p < np; p++)
        k->part_to_full[p] = -1;
    int nf = 0, npd = 0;
    for (int i = 0; i < nd; i++) {
        const lm_field *f = &data->fields[i];
        int pi = -1;
        for (int p = 0; p < np; p++)
            if (strcasecmp(part->fields[p].name, f->name) == 0) {
                pi = p;
                break;
            }
        bool is_corrupt = corrupt_col && strcmp(f->name, corrupt_col) == 0;
        if (pi >= 0) {
            full[nf] = part->fields[pi];
            k->part_to_full[pi] = nf;
        } else {
            full[nf] = *f;
        }
        full[nf].nullable = true;
        if (is_corrupt) {
            k->corrupt_full = nf;
        } else {
            parsed[npd] = *f;
            parsed[npd].nullable = true;
            k->data_to_full[npd] = nf;
            k->overlap_part[npd] = pi;
            npd++;
        }
        nf++;
    }
    for (int p = 0; p < np; p++) {
        if (k->part_to_full[p] >= 0)
            continue;
        full[nf] = part->fields[p];
        full[nf].nullable = true;
        k->part_to_full[p] = nf++;
    }
    k->ndata = npd;
    k->nfull = nf;
    k->npart = np;
    lm_type *fs = lm_type_struct(full, nf);
    lm_type *ps = lm_type_struct(parsed, npd);
    free(full);
    free(parsed);
    k->row = calloc((size_t)nf + 1, sizeof *k->row);
    if (fs == NULL || ps == NULL || k->row == NULL) {
        lm_type_unref(fs);
        lm_type_unref(ps);
        return lm_error_oom(err);
    }
    k->table = lm_table_new(fs);
    lm_type_unref(fs);
    if (k->table == NULL) {
        lm_type_unref(ps);
        return lm_error_oom(err);
    }
    *out_data = ps;
    return LM_OK;
}

const lm_type *io_sink_data_type(const io_sink *k, int i)
{
    return k->table->schema->fields[k->data_to_full[i]].type;
}

static lm_status flush(io_sink *k)
{
    if (k->cur == NULL || k->cur->nrows == 0)
        return LM_OK;
    if (lm_table_append_batch(k->table, k->cur) != LM_OK)
        return lm_error_oom(k->err);
    k->cur = NULL;
    return LM_OK;
}

static lm_status push(io_sink *k)
{
    if (k->cur && k->cur->nrows >= LM_BATCH_ROWS) {
        lm_status rc = flush(k);
        if (rc != LM_OK)
            return rc;
    }
    if (k->cur == NULL) {
        k->cur = lm_batch_new(k->table->schema, LM_BATCH_ROWS);
        if (k->cur == NULL)
            return lm_error_oom(k->err);
    }
    if (lm_batch_append_row(k->cur, k->row) != LM_OK)
        return lm_error_oom(k->err);
    return LM_OK;
}

static void fill(io_sink *k, int file, const lm_value *vals)
{
    for (int i = 0; i < k->nfull; i++)
        k->row[i] = lm_value_null();
    const lm_value *pv = NULL;
    if (k->src && file >= 0 && file < k->src->nfiles && k->src->files[file].part >= 0)
        pv = k->src->part_values[k->src->files[file].part];
    for (int i = 0; i < k->ndata; i++)
        if (vals && k->overlap_part[i] < 0)
            k->row[k->data_to_full[i]] = vals[i];
    for (int p = 0; p < k->npart; p++)
        k->row[k->part_to_full[p]] = pv ? pv[p] : lm_value_null();
}

lm_status io_sink_row(io_sink *k, int file, const lm_value *vals)
{
    fill(k, file, vals);
    return push(k);
}

/* One value as Java's toString of Spark's internal representation prints
   it: dates as day numbers, timestamps as microseconds. */
static void value_string(lm_strbuf *sb, const lm_type *t, const lm_value *v)
{
    if (v->is_null) {
        lm_strbuf_puts(sb, "null");
        return;
    }
    char buf[LM_NUMFMT_BUFSZ];
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
        lm_strbuf_puts(sb, v->u.b ? "true" : "false");
        break;
    case LM_TYPE_BYTE:
    case LM_TYPE_SHORT:
    case LM_TYPE_INT:
    case LM_TYPE_LONG:
    case LM_TYPE_DATE:
    case LM_TYPE_TIMESTAMP:
    case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_YM_INTERVAL:
    case LM_TYPE_DT_INTERVAL:
        lm_strbuf_printf(sb, "%lld", (long long)v->u.i64);
        break;
    case LM_TYPE_FLOAT:
        lm_format_float(buf, v->u.f32);
        lm_strbuf_puts(sb, buf);
        break;
    case LM_TYPE_DOUBLE:
        lm_format_double(buf, v->u.f64);
        lm_strbuf_puts(sb, buf);
        break;
    case LM_TYPE_DECIMAL:
        io_java_decimal_string(sb, v->u.dec, t->scale);
        break;
    case LM_TYPE_STRING:
    case LM_TYPE_BINARY:
        lm_strbuf_append(sb, v->u.str.ptr, (size_t)v->u.str.len);
        break;
    case LM_TYPE_STRUCT:
        io_row_string(sb, t, v->u.st->fields);
        break;
    case LM_TYPE_ARRAY:
        lm_strbuf_puts(sb, "[");
        for (int i = 0; i < v->u.arr->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            value_string(sb, t->elem, &v->u.arr->elems[i]);
        }
        lm_strbuf_puts(sb, "]");
        break;
    case LM_TYPE_MAP:
        lm_strbuf_puts(sb, "{");
        for (int i = 0; i < v->u.map->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            value_string(sb, t->key, &v->u.map->keys[i]);
            lm_strbuf_puts(sb, "->");
            value_string(sb, t->value, &v->u.map->values[i]);
        }
        lm_strbuf_puts(sb, "}");
        break;
    default:
        lm_strbuf_puts(sb, "?");
        break;
    }
}

void io_row_string(lm_strbuf *sb, const lm_type *schema, const lm_value *row)
{
    if (schema->nfields == 0) {
        lm_strbuf_puts(sb, "[empty row]");
        return;
    }
    lm_strbuf_putc(sb, '[');
    for (int i = 0; i < schema->nfields; i++) {
        if (i)
            lm_strbuf_putc(sb, ',');
        value_string(sb, schema->fields[i].type, &row[i]);
    }
    lm_strbuf_putc(sb, ']');
}

lm_status io_sink_bad(io_sink *k, int file, const lm_value *vals, const char *text, size_t len,
                      const char *cause)
{
    if (k->mode == IO_DROPMALFORMED)
        return LM_OK;
    fill(k, file, vals);
    if (k->corrupt_full >= 0)
        k->row[k->corrupt_full] = lm_value_str(text, (int32_t)len);
    if (k->mode == IO_PERMISSIVE)
        return push(k);
    /* FAILFAST: the message shows the row of the data columns (partition
       columns are added after parsing in Spark, so they are not in it) */
    lm_field *fs = calloc((size_t)k->nfull + 1, sizeof *fs);
    lm_value *vs = calloc((size_t)k->nfull + 1, sizeof *vs);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (fs && vs) {
        int j = 0;
        for (int i = 0; i < k->nfull; i++) {
            int d = -1;
            for (int q = 0; q < k->ndata; q++)
                if (k->data_to_full[q] == i)
                    d = q;
            if (d < 0 && i != k->corrupt_full)
                continue;
            fs[j] = k->table->schema->fields[i];
            vs[j] = d >= 0 ? (vals ? vals[d] : lm_value_null()) : k->row[i];
            j++;
        }
        lm_type *st = lm_type_struct(fs, j);
        if (st) {
            io_row_string(&sb, st, vs);
            lm_type_unref(st);
        }
    }
    free(fs);
    free(vs);
    const char *bad = lm_strbuf_cstr(&sb);
    lm_error_set(k->err, LM_ERROR, IO_EXC_SPARK, "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION",
                 "22023",
                 "[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected "
                 "in record parsing: %s.\nParse Mode: FAILFAST. To process malformed records as "
                 "null result, try setting the option 'mode' as 'PERMISSIVE'.%s%s",
                 bad, cause ? "\nCaused by: " : "", cause ? cause : "");
    lm_error_param_add(k->err, "badRecord", bad);
    lm_error_param_add(k->err, "failFastMode", "FAILFAST");
    lm_strbuf_free(&sb);
    return LM_ERROR;
}

lm_table *io_sink_finish(io_sink *k)
{
    if (flush(k) != LM_OK)
        return NULL;
    lm_table *t = k->table;
    k->table = NULL;
    return t;
}

void io_sink_free(io_sink *k)
{
    if (k->cur)
        lm_batch_free(k->cur);
    k->cur = NULL;
    lm_table_unref(k->table);
    k->table = NULL;
    free(k->data_to_full);
    free(k->overlap_part);
    free(k->part_to_full);
    free(k->row);
    k->data_to_full = k->overlap_part = k->part_to_full = NULL;
    k->row = NULL;
    lm_arena_free(&k->scratch);
}

/* ------------------------------------------------------ schema checks */

lm_status io_unsupported_type_error(lm_error *err, const char *format, const char *col,
                                    const lm_type *t)
{
    lm_strbuf ts;
    lm_strbuf_init(&ts);
    lm_type_sql_string(&ts, t);
    lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE", "0A000",
                 "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The %s datasource doesn't support the "
                 "column `%s` of the type \"%s\".",
                 format, col, lm_strbuf_cstr(&ts));
    lm_error_param_add(err, "format", format);
    lm_error_param_add(err, "columnName", col);
    lm_error_param_add(err, "columnType", lm_strbuf_cstr(&ts));
    lm_strbuf_free(&ts);
    return LM_ERROR;
}

lm_status io_corrupt_type_error(lm_error *err)
{
    return lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "_LEGACY_ERROR_TEMP_1097", NULL,
                        "The field for corrupt records must be string type and nullable");
}

/* Schema checks shared by inferred and given schemas. */
static lm_status check_duplicates(lm_error *err, const lm_type *t, bool cs)
{
    if (t->id != LM_TYPE_STRUCT)
        return t->id == LM_TYPE_ARRAY ? check_duplicates(err, t->elem, cs) : LM_OK;
    for (int i = 0; i < t->nfields; i++) {
        for (int j = 0; j < i; j++) {
            bool dup = cs ? strcmp(t->fields[i].name, t->fields[j].name) == 0
                          : strcasecmp(t->fields[i].name, t->fields[j].name) == 0;
            if (dup) {
                char *lc = strdup(t->fields[i].name);
                if (lc == NULL)
                    return lm_error_oom(err);
                if (!cs)
                    for (char *p = lc; *p; p++)
                        if (*p >= 'A' && *p <= 'Z')
                            *p = (char)(*p + 32);
                lm_error_set(err, LM_ERROR, LM_EXC_ANALYSIS, "COLUMN_ALREADY_EXISTS", "42711",
                             "[COLUMN_ALREADY_EXISTS] The column `%s` already exists. Consider to "
                             "choose another name or rename the existing column.",
                             lc);
                char q[300];
                snprintf(q, sizeof q, "`%s`", lc);
                lm_error_param_add(err, "columnName", q);
                free(lc);
                return LM_ERROR;
            }
        }
        lm_status rc = check_duplicates(err, t->fields[i].type, cs);
        if (rc != LM_OK)
            return rc;
    }
    return LM_OK;
}

lm_status io_check_duplicate_columns(lm_error *err, const lm_type *t, bool case_sensitive)
{
    return check_duplicates(err, t, case_sensitive);
}

