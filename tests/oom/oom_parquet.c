/*
 * Allocation-failure injection over the Parquet reader and writer, as
 * oom_sweep.c does for SQL: every allocation made while writing a table
 * with nested types and NULLs (snappy, the default codec) and while
 * reading it back is made to fail in turn. Each run must fail with an
 * error status or produce exactly the undisturbed result (a written file
 * must read back equal, schema included), and leave no block allocated.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/parquet/parquet.h"
#include "vector/vector.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long fail_at = -1;
static long counted;
static long live;

static int should_fail(void)
{
    return fail_at >= 0 && ++counted == fail_at;
}

void *malloc(size_t n)
{
    if (should_fail())
        return NULL;
    void *p = __libc_malloc(n);
    if (p)
        live++;
    return p;
}

void *calloc(size_t a, size_t b)
{
    if (should_fail())
        return NULL;
    void *p = __libc_calloc(a, b);
    if (p)
        live++;
    return p;
}

void *realloc(void *q, size_t n)
{
    if (should_fail())
        return NULL;
    void *p = __libc_realloc(q, n);
    if (p && q == NULL)
        live++;
    if (n == 0 && q != NULL && p == NULL)
        live--;
    return p;
}

void free(void *p)
{
    if (p)
        live--;
    __libc_free(p);
}

/* A digest of a table's rows, to compare results cheaply. */
static uint64_t digest(const lm_table *t)
{
    long saved = fail_at;
    fail_at = -1;
    uint64_t h = (uint64_t)t->nrows;
    lm_arena a;
    lm_arena_init(&a, 4096);
    lm_value row[16];
    for (int b = 0; b < t->nbatches; b++)
        for (int32_t r = 0; r < t->batches[b]->nrows; r++) {
            lm_batch_get_row(t->batches[b], r, row, &a);
            for (int c = 0; c < t->schema->nfields; c++)
                h = h * 31 + lm_value_hash(t->schema->fields[c].type, &row[c], 7);
        }
    lm_arena_free(&a);
    fail_at = saved;
    return h;
}

/* id bigint, name string, tags array<string>, m map<string,int>,
   d decimal(25,2), ts timestamp, with NULLs and empties. */
static lm_table *make_table(void)
{
    lm_type *tags = lm_type_array(lm_type_string(), true);
    lm_type *m = lm_type_map(lm_type_string(), lm_type_int(), true);
    lm_type *dec = lm_type_decimal(25, 2);
    lm_field fs[6] = {{"id", lm_type_long(), false, NULL, NULL}, {"name", lm_type_string(), true, NULL, NULL},
                      {"tags", tags, true, NULL, NULL},          {"m", m, true, NULL, NULL},
                      {"d", dec, true, NULL, NULL},              {"ts", lm_type_timestamp(), true, NULL, NULL}};
    lm_type *schema = lm_type_struct(fs, 6);
    lm_type_unref(tags);
    lm_type_unref(m);
    lm_type_unref(dec);
    lm_table *t = lm_table_new(schema);
    lm_type_unref(schema);
    char name[32];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "n%d", i % 13);
        lm_value elems[2] = {lm_value_str(name, (int32_t)strlen(name)), lm_value_null()};
        lm_array_value av = {i % 4, elems};
        if (av.n > 2)
            av.n = 2;
        lm_value keys[1] = {lm_value_str("k", 1)}, vals[1] = {lm_value_i64(i)};
        lm_map_value mv = {i % 3 ? 1 : 0, keys, vals};
        lm_value row[6];
        row[0] = lm_value_i64(i);
        row[1] = i % 7 ? lm_value_str(name, (int32_t)strlen(name)) : lm_value_null();
        row[2] = lm_value_null();
        if (i % 5) {
            row[2].is_null = false;
            row[2].u.arr = &av;
        }
        row[3] = lm_value_null();
        if (i % 6) {
            row[3].is_null = false;
            row[3].u.map = &mv;
        }
        row[4] = lm_value_dec((lm_int128)i * 100000000000 + 7);
        row[5] = i % 9 ? lm_value_i64((int64_t)i * 1000000) : lm_value_null();
        assert_int_equal(lm_table_append_row(t, row), LM_OK);
    }
    return t;
}

static void test_parquet_write_and_read_survive_every_allocation_failure(void **state)
{
    (void)state;
    char path[64], out[64];
    snprintf(path, sizeof path, "/tmp/lm_oom_parquet_%ld.parquet", (long)getpid());
    snprintf(out, sizeof out, "/tmp/lm_oom_parquet_%ld_out.parquet", (long)getpid());
    lm_table *t = make_table();
    lm_error err;
    lm_error_init(&err);
    assert_int_equal(lm_parquet_write_file(t, path, NULL, &err), LM_OK);
    uint64_t want = digest(t);
    /* warm up process-wide caches */
    lm_table *b = NULL;
    assert_int_equal(lm_parquet_read_file(path, NULL, &b, &err), LM_OK);
    assert_true(digest(b) == want);
    lm_table_unref(b);
    long base = live, points[2] = {0, 0};
    for (int mode = 0; mode < 2; mode++) {
        for (long n = 1;; n++) {
            fail_at = n;
            counted = 0;
            lm_status st;
            b = NULL;
            if (mode == 0)
                st = lm_parquet_read_file(path, NULL, &b, &err);
            else
                st = lm_parquet_write_file(t, out, NULL, &err);
            fail_at = -1;
            if (st == LM_OK && mode == 1) {
                /* whatever the writer did without the memory, the file
                   must hold the table */
                assert_int_equal(lm_parquet_read_file(out, NULL, &b, &err), LM_OK);
            }
            if (st == LM_OK) {
                if (digest(b) != want || !lm_type_equal(b->schema, t->schema))
                    fail_msg("%s: allocation %ld failed but the result changed",
                             mode ? "write" : "read", n);
            } else if (st != LM_ENOMEM && st != LM_ERROR && st != LM_EIO) {
                fail_msg("allocation %ld: unexpected status %d", n, (int)st);
            }
            lm_table_unref(b);
            lm_error_clear(&err);
            if (live != base)
                fail_msg("%s: allocation %ld failed: %ld blocks leaked", mode ? "write" : "read",
                         n, live - base);
            if (counted < n)
                break;
            points[mode] = n;
        }
    }
    printf("oom: parquet read %ld, write %ld allocation points swept\n", points[0], points[1]);
    lm_table_unref(t);
    remove(path);
    remove(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parquet_write_and_read_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
