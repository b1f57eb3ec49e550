/*
 * The localmode side of the DuckDB interop test (duckdb_interop.mjs):
 *
 *   interop_parquet write <dir>   writes Parquet files with localmode (every
 *                                 type, every codec, INT96/micros
 *                                 timestamps, plain and dictionary pages,
 *                                 many pages and row groups) and next to
 *                                 each <file>.expected.json: the DuckDB type
 *                                 each column should read as and the rows
 *   interop_parquet read <file>   reads a Parquet file with localmode and
 *                                 prints its Spark schema and rows
 *
 * Rows are printed in a canonical JSON form both sides can produce: NULL
 * as null, integers, decimals, dates (days), timestamps (microseconds) as
 * strings, floating point as JSON numbers, binary as hex, arrays and
 * structs as arrays, maps as arrays of [key, value] pairs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/df.h"
#include "io/parquet/parquet.h"
#include "localmode.h"
#include "types/decimal.h"

/* ---------------------------------------------------------- canonical */

static void json_string(lm_strbuf *sb, const char *p, int32_t n)
{
    lm_strbuf_putc(sb, '"');
    for (int32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\') {
            lm_strbuf_putc(sb, '\\');
            lm_strbuf_putc(sb, (char)c);
        } else if (c < 0x20)
            lm_strbuf_printf(sb, "\\u%04x", c);
        else
            lm_strbuf_putc(sb, (char)c);
    }
    lm_strbuf_putc(sb, '"');
}

static void canon(lm_strbuf *sb, const lm_type *t, const lm_value *v)
{
    if (v->is_null) {
        lm_strbuf_puts(sb, "null");
        return;
    }
    switch (t->id) {
    case LM_TYPE_BOOLEAN:
        lm_strbuf_puts(sb, v->u.b ? "\"true\"" : "\"false\"");
        break;
    case LM_TYPE_BYTE: case LM_TYPE_SHORT: case LM_TYPE_INT: case LM_TYPE_LONG:
    case LM_TYPE_DATE: case LM_TYPE_TIMESTAMP: case LM_TYPE_TIMESTAMP_NTZ:
    case LM_TYPE_YM_INTERVAL: case LM_TYPE_DT_INTERVAL:
        lm_strbuf_printf(sb, "\"%lld\"", (long long)v->u.i64);
        break;
    case LM_TYPE_FLOAT:
        lm_strbuf_printf(sb, "%.17g", (double)v->u.f32);
        break;
    case LM_TYPE_DOUBLE:
        lm_strbuf_printf(sb, "%.17g", v->u.f64);
        break;
    case LM_TYPE_DECIMAL: {
        char buf[64];
        lm_decimal_to_string(buf, v->u.dec, t->scale);
        lm_strbuf_printf(sb, "\"%s\"", buf);
        break;
    }
    case LM_TYPE_STRING:
        json_string(sb, v->u.str.ptr, v->u.str.len);
        break;
    case LM_TYPE_BINARY:
        lm_strbuf_putc(sb, '"');
        for (int32_t i = 0; i < v->u.str.len; i++)
            lm_strbuf_printf(sb, "%02x", (unsigned char)v->u.str.ptr[i]);
        lm_strbuf_putc(sb, '"');
        break;
    case LM_TYPE_ARRAY:
        lm_strbuf_putc(sb, '[');
        for (int32_t i = 0; i < v->u.arr->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            canon(sb, t->elem, &v->u.arr->elems[i]);
        }
        lm_strbuf_putc(sb, ']');
        break;
    case LM_TYPE_MAP:
        lm_strbuf_putc(sb, '[');
        for (int32_t i = 0; i < v->u.map->n; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            lm_strbuf_putc(sb, '[');
            canon(sb, t->key, &v->u.map->keys[i]);
            lm_strbuf_putc(sb, ',');
            canon(sb, t->value, &v->u.map->values[i]);
            lm_strbuf_putc(sb, ']');
        }
        lm_strbuf_putc(sb, ']');
        break;
    case LM_TYPE_STRUCT:
        lm_strbuf_putc(sb, '[');
        for (int i = 0; i < t->nfields; i++) {
            if (i)
                lm_strbuf_putc(sb, ',');
            canon(sb, t->fields[i].type, &v->u.st->fields[i]);
        }
        lm_strbuf_putc(sb, ']');
        break;
    default:
        lm_strbuf_puts(sb, "\"?\"");
    }
}

static void canon_rows(lm_strbuf *sb, const lm_table *t)
{
    lm_arena a;
    lm_arena_init(&a, 1 << 14);
    lm_value *row = calloc((size_t)t->schema->nfields + 1, sizeof *row);
    lm_strbuf_puts(sb, "[");
    bool first = true;
    for (int b = 0; b < t->nbatches; b++) {
        for (int32_t r = 0; r < t->batches[b]->nrows; r++) {
            lm_batch_get_row(t->batches[b], r, row, &a);
            lm_strbuf_puts(sb, first ? "\n[" : ",\n[");
            first = false;
            for (int c = 0; c < t->schema->nfields; c++) {
                if (c)
                    lm_strbuf_putc(sb, ',');
                canon(sb, t->schema->fields[c].type, &row[c]);
            }
            lm_strbuf_putc(sb, ']');
        }
        lm_arena_free(&a);
        lm_arena_init(&a, 1 << 14);
    }
    lm_strbuf_puts(sb, "]");
    free(row);
    lm_arena_free(&a);
}

/* The type DuckDB gives a column localmode wrote (DuckDB's own spelling). */
static void duck_type(lm_strbuf *sb, const lm_type *t, lm_parquet_ts_type ts)
{
    switch (t->id) {
    case LM_TYPE_BOOLEAN: lm_strbuf_puts(sb, "BOOLEAN"); break;
    case LM_TYPE_BYTE: lm_strbuf_puts(sb, "TINYINT"); break;
    case LM_TYPE_SHORT: lm_strbuf_puts(sb, "SMALLINT"); break;
    case LM_TYPE_INT: case LM_TYPE_YM_INTERVAL: lm_strbuf_puts(sb, "INTEGER"); break;
    case LM_TYPE_LONG: case LM_TYPE_DT_INTERVAL: lm_strbuf_puts(sb, "BIGINT"); break;
    case LM_TYPE_FLOAT: lm_strbuf_puts(sb, "FLOAT"); break;
    case LM_TYPE_DOUBLE: lm_strbuf_puts(sb, "DOUBLE"); break;
    case LM_TYPE_DECIMAL: lm_strbuf_printf(sb, "DECIMAL(%d,%d)", t->precision, t->scale); break;
    case LM_TYPE_STRING: lm_strbuf_puts(sb, "VARCHAR"); break;
    case LM_TYPE_BINARY: lm_strbuf_puts(sb, "BLOB"); break;
    case LM_TYPE_DATE: lm_strbuf_puts(sb, "DATE"); break;
    case LM_TYPE_TIMESTAMP:
        /* INT96 carries no zone flag; INT64 TIMESTAMP(isAdjustedToUTC=true)
           is DuckDB's TIMESTAMPTZ */
        lm_strbuf_puts(sb, ts == LM_PQ_TS_INT96 ? "TIMESTAMP" : "TIMESTAMP WITH TIME ZONE");
        break;
    case LM_TYPE_TIMESTAMP_NTZ: lm_strbuf_puts(sb, "TIMESTAMP"); break;
    case LM_TYPE_ARRAY:
        duck_type(sb, t->elem, ts);
        lm_strbuf_puts(sb, "[]");
        break;
    case LM_TYPE_MAP:
        lm_strbuf_puts(sb, "MAP(");
        duck_type(sb, t->key, ts);
        lm_strbuf_puts(sb, ", ");
        duck_type(sb, t->value, ts);
        lm_strbuf_puts(sb, ")");
        break;
    case LM_TYPE_STRUCT:
        lm_strbuf_puts(sb, "STRUCT(");
        for (int i = 0; i < t->nfields; i++) {
            if (i)
                lm_strbuf_puts(sb, ", ");
            lm_strbuf_printf(sb, "\"%s\" ", t->fields[i].name);
            duck_type(sb, t->fields[i].type, ts);
        }
        lm_strbuf_puts(sb, ")");
        break;
    default: lm_strbuf_puts(sb, "?");
    }
}

/* ------------------------------------------------------------- write */

static const char *ALL_TYPES_SQL =
    "SELECT * FROM VALUES "
    "(true, CAST(-128 AS TINYINT), CAST(32767 AS SMALLINT), -2147483648, 9223372036854775807L,"
    " CAST(1.5 AS FLOAT), -2.25D, CAST(-123.45 AS DECIMAL(5,2)),"
    " CAST(123456789012.345 AS DECIMAL(15,3)),"
    " CAST('1234567890123456789012345.67891' AS DECIMAL(30,5)), 'h\xc3\xa9llo', X'0102',"
    " DATE'2024-02-29', TIMESTAMP'2024-03-01 12:34:56.789012',"
    " TIMESTAMP_NTZ'1999-12-31 23:59:59.5', INTERVAL '1-2' YEAR TO MONTH,"
    " INTERVAL '1 01:01:01.000001' DAY TO SECOND, array(1, null, 3), array('x', ''),"
    " map('k1', 1, 'k2', null),"
    " named_struct('a', 7, 'b', array(named_struct('c', 'c1'), null, named_struct('c', null))),"
    " array(array(1, 2), null, array())),"
    "(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,"
    " null, null, null, null, null, null, null),"
    "(false, CAST(127 AS TINYINT), CAST(-32768 AS SMALLINT), 0, -9223372036854775808L,"
    " CAST(-0.0 AS FLOAT), 1e300D, CAST(999.99 AS DECIMAL(5,2)), CAST(-1 AS DECIMAL(15,3)),"
    " CAST('-99999999999999999999999.99999' AS DECIMAL(30,5)), '', X'',"
    " DATE'1970-01-01', TIMESTAMP'1970-01-01 00:00:00', TIMESTAMP_NTZ'2262-04-11 23:47:16',"
    " INTERVAL '-2-1' YEAR TO MONTH, INTERVAL '-0 00:00:00.000001' DAY TO SECOND, array(),"
    " array(null), map(), named_struct('a', null, 'b', null), array(array(null))),"
    "(true, CAST(0 AS TINYINT), CAST(0 AS SMALLINT), 42, 42L, CAST(3.25 AS FLOAT), 0.1D,"
    " CAST(0 AS DECIMAL(5,2)), CAST(0 AS DECIMAL(15,3)), CAST(0 AS DECIMAL(30,5)), 'same',"
    " X'FF00', DATE'1900-01-01', TIMESTAMP'1900-01-01 00:00:00',"
    " TIMESTAMP_NTZ'1900-01-01 00:00:00', INTERVAL '0-0' YEAR TO MONTH,"
    " INTERVAL '0 00:00:00' DAY TO SECOND, null, null, null, null, null)"
    " AS t(b, y, s, i, l, f, d, d5, d15, d30, str, bin, dt, ts, ntz, ym, dtv, arr, arrs, m,"
    " stc, aa)";

static int write_table(const lm_table *table, const char *dir, const char *name,
                       lm_parquet_write_opts *o);

static int write_one(lm_session *s, const char *sql, const char *dir, const char *name,
                     lm_parquet_write_opts *o)
{
    lm_df *df = NULL;
    if (lm_sql(s, sql, &df) != LM_OK || lm_df_compute(df) != LM_OK) {
        fprintf(stderr, "interop_parquet: %s\n", lm_errmsg(s));
        lm_df_free(df);
        return 1;
    }
    int rc = write_table(df->result, dir, name, o);
    lm_df_free(df);
    return rc;
}

/* 30000 rows over several pages and row groups: id, a nullable string
   with repeats (dictionary), a list with empty and NULL elements, a double. */
static lm_table *big_table(void)
{
    lm_field fs[4] = {{"id", lm_type_long(), false, NULL, NULL},
                      {"name", lm_type_string(), true, NULL, NULL},
                      {"tags", NULL, true, NULL, NULL},
                      {"ratio", lm_type_double(), true, NULL, NULL}};
    fs[2].type = lm_type_array(lm_type_string(), true);
    lm_type *schema = lm_type_struct(fs, 4);
    lm_type_unref(fs[2].type);
    lm_table *t = lm_table_new(schema);
    lm_type_unref(schema);
    char name[32], tag[32];
    for (int i = 0; i < 30000; i++) {
        snprintf(name, sizeof name, "name-%d", i % 977);
        snprintf(tag, sizeof tag, "t%d", i % 7);
        lm_value elems[2] = {lm_value_str(tag, (int32_t)strlen(tag)),
                             i % 3 == 0 ? lm_value_null() : lm_value_str("x", 1)};
        lm_array_value av = {i % 5 == 0 ? 0 : 2, elems};
        lm_value row[4];
        row[0] = lm_value_i64(i);
        row[1] = i % 11 == 0 ? lm_value_null() : lm_value_str(name, (int32_t)strlen(name));
        row[2] = lm_value_null();
        row[2].is_null = false;
        row[2].u.arr = &av;
        row[3] = lm_value_f64(i / 8.0);
        if (lm_table_append_row(t, row) != LM_OK) {
            lm_table_unref(t);
            return NULL;
        }
    }
    return t;
}

static int write_table(const lm_table *table, const char *dir, const char *name,
                       lm_parquet_write_opts *o)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    lm_error err;
    lm_error_init(&err);
    if (lm_parquet_write_file_opts(table, path, o, &err) != LM_OK) {
        fprintf(stderr, "interop_parquet: writing %s: %s\n", path, err.message);
        lm_error_clear(&err);
        return 1;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    const lm_type *st = table->schema;
    lm_strbuf_puts(&sb, "{\"names\":[");
    for (int i = 0; i < st->nfields; i++)
        lm_strbuf_printf(&sb, "%s\"%s\"", i ? "," : "", st->fields[i].name);
    lm_strbuf_puts(&sb, "],\n\"types\":[");
    for (int i = 0; i < st->nfields; i++) {
        lm_strbuf_puts(&sb, i ? ",\"" : "\"");
        lm_strbuf t;
        lm_strbuf_init(&t);
        duck_type(&t, st->fields[i].type, o->timestamp_type);
        for (const char *p = lm_strbuf_cstr(&t); *p; p++) {
            if (*p == '"')
                lm_strbuf_putc(&sb, '\\');
            lm_strbuf_putc(&sb, *p);
        }
        lm_strbuf_free(&t);
        lm_strbuf_putc(&sb, '"');
    }
    lm_strbuf_puts(&sb, "],\n\"rows\":");
    canon_rows(&sb, table);
    lm_strbuf_puts(&sb, "}\n");
    snprintf(path, sizeof path, "%s/%s.expected.json", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL || fwrite(sb.data, 1, sb.len, f) != sb.len) {
        fprintf(stderr, "interop_parquet: cannot write %s\n", path);
        if (f)
            fclose(f);
        lm_strbuf_free(&sb);
        return 1;
    }
    fclose(f);
    lm_strbuf_free(&sb);
    return 0;
}

static int cmd_write(const char *dir)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.sql.session.timeZone", "UTC");
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    if (s == NULL)
        return 1;
    int rc = 0;
    static const char *codecs[] = {"none", "snappy", "gzip", "zstd"};
    for (int i = 0; i < 4 && rc == 0; i++) {
        lm_parquet_write_opts o;
        lm_parquet_write_opts_init(&o);
        o.compression = codecs[i];
        char name[64];
        snprintf(name, sizeof name, "all_%s.parquet", codecs[i]);
        rc = write_one(s, ALL_TYPES_SQL, dir, name, &o);
    }
    lm_parquet_write_opts o;
    lm_parquet_write_opts_init(&o);
    o.timestamp_type = LM_PQ_TS_MICROS;
    if (rc == 0)
        rc = write_one(s, ALL_TYPES_SQL, dir, "all_micros.parquet", &o);
    lm_parquet_write_opts_init(&o);
    o.dictionary = false;
    if (rc == 0)
        rc = write_one(s, ALL_TYPES_SQL, dir, "all_plain.parquet", &o);
    lm_parquet_write_opts_init(&o);
    o.page_size = 8192;
    o.row_group_size = 200000;
    lm_table *big = rc == 0 ? big_table() : NULL;
    if (rc == 0)
        rc = big ? write_table(big, dir, "big.parquet", &o) : 1;
    lm_table_unref(big);
    lm_session_close(s);
    return rc;
}

/* -------------------------------------------------------------- read */

static int cmd_read(const char *path)
{
    lm_parquet_read_opts o;
    lm_parquet_read_opts_init(&o);
    lm_table *t = NULL;
    lm_error err;
    lm_error_init(&err);
    if (lm_parquet_read_file(path, &o, &t, &err) != LM_OK) {
        printf("{\"error\":");
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        json_string(&sb, err.message, (int32_t)strlen(err.message));
        printf("%s}\n", lm_strbuf_cstr(&sb));
        lm_strbuf_free(&sb);
        lm_error_clear(&err);
        return 0;
    }
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    lm_strbuf_puts(&sb, "{\"schema\":\"");
    lm_type_catalog_string(&sb, t->schema);
    lm_strbuf_puts(&sb, "\",\n\"rows\":");
    canon_rows(&sb, t);
    lm_strbuf_puts(&sb, "}\n");
    fwrite(sb.data, 1, sb.len, stdout);
    lm_strbuf_free(&sb);
    lm_table_unref(t);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "write") == 0)
        return cmd_write(argv[2]);
    if (argc == 3 && strcmp(argv[1], "read") == 0)
        return cmd_read(argv[2]);
    fprintf(stderr, "usage: interop_parquet write <dir> | read <file>\n");
    return 2;
}
