/*
 * Memory cap and spilling: common/memcap accounting, exec/spill files, the
 * external sorter and hash partitions, spark.driver.memory read at session
 * open, and the RDD shuffle (sortByKey, groupByKey) giving the uncapped
 * answer while spilling to spark.local.dir and leaving nothing there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/memcap.h"
#include "exec/spill.h"
#include "rdd_util.h"
#include "session/session.h"

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/lm_spill_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int drop_dir(void **state)
{
    (void)state;
    lm_fio_remove_tree(dir);
    return 0;
}

/* Entries left in the spill folder. */
static int leftovers(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* ---------------------------------------------------------------- memcap */
static void test_reservations_stop_at_the_cap(void **state)
{
    (void)state;
    lm_memcap m;
    lm_memcap_init(&m, 1000);
    assert_true(lm_memcap_try_reserve(&m, 600));
    assert_false(lm_memcap_try_reserve(&m, 401));
    assert_true(lm_memcap_try_reserve(&m, 400));
    assert_int_equal(lm_memcap_used(&m), 1000);
    lm_memcap_release(&m, 700);
    lm_memcap_force(&m, 900); /* forced past the cap */
    assert_int_equal(lm_memcap_used(&m), 1200);
    assert_int_equal(lm_memcap_peak(&m), 1200);
    lm_memcap_release(&m, 1200);
    assert_int_equal(lm_memcap_used(&m), 0);
    lm_memcap u;
    lm_memcap_init(&u, 0); /* no cap */
    assert_true(lm_memcap_try_reserve(&u, INT64_C(1) << 50));
}

static void test_shares_reserve_in_chunks_and_give_back(void **state)
{
    (void)state;
    lm_memcap m;
    lm_memcap_init(&m, 100 * 1024);
    lm_memres r;
    lm_memres_init(&r, &m);
    assert_true(lm_memres_grow(&r, 10));
    assert_int_equal(lm_memcap_used(&m), 64 * 1024); /* one chunk */
    assert_true(lm_memres_grow(&r, 60 * 1024));      /* inside the chunk */
    assert_int_equal(lm_memcap_used(&m), 64 * 1024);
    /* a second chunk does not fit under the cap, the exact need does */
    assert_true(lm_memres_grow(&r, 10 * 1024));
    assert_int_equal(lm_memcap_used(&m), 70 * 1024 + 10);
    assert_false(lm_memres_grow(&r, 40 * 1024));
    assert_int_equal(lm_memcap_used(&m), 70 * 1024 + 10);
    lm_memres_release(&r);
    assert_int_equal(lm_memcap_used(&m), 0);
    lm_memres_force(&r, 200 * 1024);
    assert_int_equal(lm_memcap_used(&m), 200 * 1024);
    lm_memres_release(&r);
    assert_int_equal(lm_memcap_used(&m), 0);
}

static void test_driver_memory_is_read_at_open(void **state)
{
    (void)state;
    const char *in[] = {"64k", "1", "2g", NULL};
    int64_t want[] = {64 * 1024, 1024 * 1024, INT64_C(2) << 30, INT64_C(1) << 30};
    for (int i = 0; i < 4; i++) {
        lm_conf *c = lm_conf_new();
        if (in[i])
            lm_conf_set(c, "spark.driver.memory", in[i]);
        lm_session *s = lm_session_open(c, NULL);
        lm_conf_free(c);
        assert_non_null(s);
        assert_int_equal(s->memcap.limit, want[i]);
        lm_session_close(s);
    }
}

static void test_local_dir_prefers_the_environment(void **state)
{
    (void)state;
    lm_conf *c = lm_conf_new();
    char buf[256];
    unsetenv("SPARK_LOCAL_DIRS");
    spill_local_dir(c, buf, sizeof buf);
    assert_string_equal(buf, "/tmp");
    lm_conf_set(c, "spark.local.dir", "/var/spill");
    spill_local_dir(c, buf, sizeof buf);
    assert_string_equal(buf, "/var/spill");
    setenv("SPARK_LOCAL_DIRS", "/a,/b", 1);
    spill_local_dir(c, buf, sizeof buf);
    assert_string_equal(buf, "/a");
    unsetenv("SPARK_LOCAL_DIRS");
    lm_conf_free(c);
}

/* ----------------------------------------------------------- spill files */
static lm_type *nested_type(void)
{
    lm_type *arr = lm_type_array(lm_type_string(), true);
    lm_type *map = lm_type_map(lm_type_int(), lm_type_double(), true);
    lm_type *dec = lm_type_decimal(20, 2);
    lm_field f[4] = {{(char *)"s", lm_type_string(), true, NULL, NULL},
                     {(char *)"a", arr, true, NULL, NULL},
                     {(char *)"m", map, true, NULL, NULL},
                     {(char *)"d", dec, true, NULL, NULL}};
    lm_type *t = lm_type_struct(f, 4);
    lm_type_unref(arr);
    lm_type_unref(map);
    lm_type_unref(dec);
    return t;
}

static void test_spill_file_round_trips_nested_values(void **state)
{
    (void)state;
    lm_type *t = nested_type();
    lm_fio_plan *plan = NULL;
    lm_error e;
    lm_error_init(&e);
    assert_int_equal(lm_fio_plan_parse("write:PARTIAL,read:PARTIAL", &plan, &e), LM_OK);
    lm_memcap m;
    lm_memcap_init(&m, 0);
    spill_file *f = spill_create(dir, plan, &m, &e);
    assert_non_null(f);
    lm_value strs[2] = {lm_value_str("x", 1), lm_value_null()};
    lm_array_value av = {2, strs};
    lm_value keys[1] = {lm_value_i64(7)}, vals[1] = {lm_value_f64(-0.5)};
    lm_map_value mv = {1, keys, vals};
    lm_value fields[4] = {lm_value_str("hello", 5), lm_value_null(), lm_value_null(),
                          lm_value_dec((lm_int128)-12345)};
    fields[1].is_null = false;
    fields[1].u.arr = &av;
    fields[2].is_null = false;
    fields[2].u.map = &mv;
    lm_struct_value sv = {4, fields};
    lm_value row = lm_value_null();
    row.is_null = false;
    row.u.st = &sv;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(spill_write(f, t, i % 3 == 2 ? &(lm_value){.is_null = true} : &row, &e),
                         LM_OK);
    assert_int_equal(spill_finish(f, &e), LM_OK);
    assert_int_equal(leftovers(), 0); /* unlinked once open for reading */
    assert_int_equal(lm_memcap_spills(&m), 1);
    lm_arena a;
    lm_arena_init(&a, 4096);
    for (int i = 0; i < 1000; i++) {
        lm_value v;
        bool has;
        assert_int_equal(spill_read(f, t, &a, &v, &has, &e), LM_OK);
        assert_true(has);
        if (i % 3 == 2) {
            assert_true(v.is_null);
            continue;
        }
        assert_true(lm_value_equal(t, &v, &row));
        assert_true(v.u.st->fields[1].u.arr->elems[1].is_null);
    }
    lm_value v;
    bool has = true;
    assert_int_equal(spill_read(f, t, &a, &v, &has, &e), LM_OK);
    assert_false(has);
    lm_arena_free(&a);
    spill_close(f);
    lm_fio_plan_free(plan);
    lm_type_unref(t);
}

static void test_full_disk_while_spilling_is_a_clear_error(void **state)
{
    (void)state;
    lm_fio_plan *plan = NULL;
    lm_error e;
    lm_error_init(&e);
    assert_int_equal(lm_fio_plan_parse("write:ENOSPC:localmode-spill", &plan, &e), LM_OK);
    spill_file *f = spill_create(dir, plan, NULL, &e);
    assert_non_null(f);
    lm_value v = lm_value_i64(1);
    assert_int_equal(spill_write(f, lm_type_long(), &v, &e), LM_OK); /* buffered */
    assert_int_equal(spill_finish(f, &e), LM_EIO);
    assert_non_null(strstr(e.message, "No space left on device (writing "));
    assert_non_null(strstr(e.message, "/localmode-spill-"));
    spill_close(f);
    assert_int_equal(leftovers(), 0);
    lm_error_clear(&e);
    lm_fio_plan_free(plan);
}

/* ---------------------------------------------------------------- sorter */
/* (key, seq) pairs sorted by key only: stability shows in seq. */
static int by_key(const lm_type *t, const lm_value *a, const lm_value *b, void *ud)
{
    (void)t;
    (void)ud;
    int64_t x = a->u.st->fields[0].u.i64, y = b->u.st->fields[0].u.i64;
    return x < y ? -1 : x > y;
}

static void test_external_sort_is_stable_across_runs(void **state)
{
    (void)state;
    lm_type *t = rdd_pair_type(lm_type_long(), lm_type_long());
    lm_memcap m;
    lm_memcap_init(&m, 32 * 1024); /* a few hundred rows a run */
    lm_error e;
    lm_error_init(&e);
    spill_sorter *s = spill_sorter_new(t, by_key, NULL, &m, dir, NULL, false);
    const int n = 5000;
    lm_struct_value *sv = calloc(n, sizeof *sv);
    lm_value *f = calloc(2 * n, sizeof *f);
    uint64_t x = 12345;
    for (int i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        f[2 * i] = lm_value_i64((int64_t)(x >> 33) % 97); /* many equal keys */
        f[2 * i + 1] = lm_value_i64(i);
        sv[i] = (lm_struct_value){2, &f[2 * i]};
        lm_value v = lm_value_null();
        v.is_null = false;
        v.u.st = &sv[i];
        assert_int_equal(spill_sorter_add(s, &v, &e), LM_OK);
    }
    assert_int_equal(spill_sorter_finish(s, &e), LM_OK);
    assert_true(spill_sorter_runs(s) >= 10);
    lm_arena a;
    lm_arena_init(&a, 64 * 1024);
    int64_t prev_k = -1, prev_i = -1, count = 0;
    for (;;) {
        lm_value v;
        bool has;
        assert_int_equal(spill_sorter_next(s, &a, &v, &has, &e), LM_OK);
        if (!has)
            break;
        int64_t k = v.u.st->fields[0].u.i64, i = v.u.st->fields[1].u.i64;
        assert_true(k > prev_k || (k == prev_k && i > prev_i));
        prev_k = k;
        prev_i = i;
        count++;
    }
    assert_int_equal(count, n);
    assert_true(lm_memcap_spills(&m) >= 10);
    spill_sorter_free(s);
    assert_int_equal(lm_memcap_used(&m), 0);
    assert_int_equal(leftovers(), 0);
    lm_arena_free(&a);
    free(sv);
    free(f);
    lm_type_unref(t);
}

static void test_partitions_keep_each_partition_in_order(void **state)
{
    (void)state;
    spill_partitions p;
    lm_error e;
    lm_error_init(&e);
    assert_int_equal(spill_partitions_init(&p, 4, dir, NULL, NULL, &e), LM_OK);
    for (int i = 0; i < 100; i++) {
        lm_value v = lm_value_i64(i);
        if (i % 4 != 3) /* partition 3 stays empty */
            assert_int_equal(spill_partitions_write(&p, i % 4, lm_type_long(), &v, &e), LM_OK);
    }
    lm_arena a;
    lm_arena_init(&a, 4096);
    for (int part = 0; part < 4; part++) {
        spill_file *f;
        assert_int_equal(spill_partitions_take(&p, part, &f, &e), LM_OK);
        if (part == 3) {
            assert_null(f);
            continue;
        }
        assert_int_equal(spill_rows(f), 25);
        for (int k = 0;; k++) {
            lm_value v;
            bool has;
            assert_int_equal(spill_read(f, lm_type_long(), &a, &v, &has, &e), LM_OK);
            if (!has) {
                assert_int_equal(k, 25);
                break;
            }
            assert_int_equal(v.u.i64, 4 * k + part);
        }
        spill_close(f);
    }
    spill_partitions_free(&p);
    lm_arena_free(&a);
    assert_int_equal(leftovers(), 0);
}

/* ------------------------------------------------------------ RDD shuffle */
static lm_session *open_capped(const char *memory, const char *faults)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", "local[2]");
    lm_conf_set(c, "spark.local.dir", dir);
    if (memory)
        lm_conf_set(c, "spark.driver.memory", memory);
    if (faults)
        lm_conf_set(c, LM_FIO_FAULTS_KEY, faults);
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    return s;
}

/* 20000 (word, n) pairs over 4 partitions, words from a small set. */
static lm_rdd *word_pairs(lm_session *s)
{
    enum { N = 20000 };
    static const char *const words[] = {"pear", "fig", "apple", "kiwi", "plum", "date",
                                        "lime", "nut",  "yam",   "cherry"};
    const char **k = calloc(N, sizeof *k);
    int *v = calloc(N, sizeof *v);
    for (int i = 0; i < N; i++) {
        k[i] = words[(i * 7 + i / 13) % 10];
        v[i] = i;
    }
    lm_rdd *r = rt_pairs(s, (const char *const *)k, v, N, 4);
    free(k);
    free(v);
    return r;
}

/* A digest of a collected list: count and an order-sensitive hash. */
static char *digest(lm_session *s, lm_rdd *r)
{
    lm_value_list *l = NULL;
    if (lm_rdd_collect(r, &l) != LM_OK)
        return strdup(lm_errmsg(s));
    uint64_t h = 1469598103934665603ULL;
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int64_t i = 0; i < lm_value_list_count(l); i++) {
        lm_strbuf_reset(&sb);
        rdd_value_text(&sb, lm_value_list_type(l), lm_value_list_at(l, i), s);
        for (size_t j = 0; j < sb.len; j++)
            h = (h ^ (unsigned char)sb.data[j]) * 1099511628211ULL;
    }
    lm_strbuf_free(&sb);
    char out[64];
    snprintf(out, sizeof out, "%lld:%016llx", (long long)lm_value_list_count(l),
             (unsigned long long)h);
    lm_value_list_free(l);
    return strdup(out);
}

typedef lm_rdd *(*shape_fn)(lm_rdd *r);

static lm_rdd *sort_desc(lm_rdd *r)
{
    return lm_rdd_sort_by_key(r, false, 3);
}

static lm_rdd *group(lm_rdd *r)
{
    return lm_rdd_group_by_key(r, 3);
}

/* Runs shape under memory; returns the digest and the spill count. */
static char *run_shape(shape_fn shape, const char *memory, int64_t *spills)
{
    lm_session *s = open_capped(memory, NULL);
    lm_rdd *r = word_pairs(s);
    lm_rdd *o = shape(r);
    char *d = digest(s, o);
    *spills = lm_memcap_spills(&s->memcap);
    /* map outputs stay reserved while their shuffle lives ... */
    if (memory == NULL)
        assert_true(lm_memcap_used(&s->memcap) > 1024 * 1024);
    /* under a cap, nothing held more than the cap (beyond single rows
       forced into empty buffers) at any time */
    if (memory != NULL) {
        printf("peak %lld of %lld bytes\n", (long long)lm_memcap_peak(&s->memcap),
               (long long)s->memcap.limit);
        assert_true(lm_memcap_peak(&s->memcap) <= s->memcap.limit + 1024);
    }
    lm_rdd_free(o);
    lm_rdd_free(r);
    /* ... and every reservation is given back with it */
    assert_int_equal(lm_memcap_used(&s->memcap), 0);
    lm_session_close(s);
    return d;
}

static void test_sort_by_key_spills_and_gives_the_same_answer(void **state)
{
    (void)state;
    int64_t spills;
    char *free_run = run_shape(sort_desc, NULL, &spills);
    assert_int_equal(spills, 0);
    char *capped = run_shape(sort_desc, "256k", &spills);
    assert_true(spills > 3);
    assert_string_equal(capped, free_run);
    assert_int_equal(leftovers(), 0);
    printf("sortByKey: %lld spill files under a 256 KiB cap\n", (long long)spills);
    free(free_run);
    free(capped);
}

static void test_group_by_key_spills_and_gives_the_same_answer(void **state)
{
    (void)state;
    int64_t spills;
    char *free_run = run_shape(group, NULL, &spills);
    assert_int_equal(spills, 0);
    char *capped = run_shape(group, "256k", &spills);
    assert_true(spills > 3);
    /* values in arrival order, keys in first-appearance order: identical */
    assert_string_equal(capped, free_run);
    assert_int_equal(leftovers(), 0);
    printf("groupByKey: %lld spill files under a 256 KiB cap\n", (long long)spills);
    free(free_run);
    free(capped);
}

static void test_group_by_key_small_output_is_exact(void **state)
{
    (void)state;
    lm_session *s = open_capped("300b", NULL);
    static const char *const k[] = {"b", "a", "b", "c", "a", "b"};
    static const int v[] = {1, 2, 3, 4, 5, 6};
    lm_rdd *r = rt_pairs(s, k, v, 6, 2);
    lm_rdd *g = lm_rdd_group_by_key(r, 1);
    assert_text(rt_collect(s, g), "[(b,[1, 3, 6]), (a,[2, 5]), (c,[4])]");
    assert_true(lm_memcap_spills(&s->memcap) > 0);
    lm_rdd *o = lm_rdd_sort_by_key(r, true, 1);
    assert_text(rt_collect(s, o), "[(a,2), (a,5), (b,1), (b,3), (b,6), (c,4)]");
    lm_rdd_free(o);
    lm_rdd_free(g);
    lm_rdd_free(r);
    lm_session_close(s);
    assert_int_equal(leftovers(), 0);
}

static void test_full_disk_while_spilling_fails_the_job_cleanly(void **state)
{
    (void)state;
    lm_session *s = open_capped("64k", "write:ENOSPC:localmode-spill");
    lm_rdd *r = word_pairs(s);
    lm_rdd *o = lm_rdd_sort_by_key(r, true, 2);
    int64_t n;
    assert_int_equal(lm_rdd_count(o, &n), LM_ERROR);
    assert_non_null(strstr(lm_errmsg(s), "java.io.IOException: No space left on device (writing "));
    assert_non_null(strstr(lm_errmsg(s), "/localmode-spill-"));
    lm_rdd_free(o);
    lm_rdd_free(r);
    assert_int_equal(lm_memcap_used(&s->memcap), 0);
    lm_session_close(s);
    assert_int_equal(leftovers(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reservations_stop_at_the_cap),
        cmocka_unit_test(test_shares_reserve_in_chunks_and_give_back),
        cmocka_unit_test(test_driver_memory_is_read_at_open),
        cmocka_unit_test(test_local_dir_prefers_the_environment),
        cmocka_unit_test(test_spill_file_round_trips_nested_values),
        cmocka_unit_test(test_full_disk_while_spilling_is_a_clear_error),
        cmocka_unit_test(test_external_sort_is_stable_across_runs),
        cmocka_unit_test(test_partitions_keep_each_partition_in_order),
        cmocka_unit_test(test_sort_by_key_spills_and_gives_the_same_answer),
        cmocka_unit_test(test_group_by_key_spills_and_gives_the_same_answer),
        cmocka_unit_test(test_group_by_key_small_output_is_exact),
        cmocka_unit_test(test_full_disk_while_spilling_fails_the_job_cleanly),
    };
    return cmocka_run_group_tests(tests, make_dir, drop_dir);
}
