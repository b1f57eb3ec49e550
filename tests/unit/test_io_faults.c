/*
 * I/O faults (common/fileio.h, spark.localmode.test.ioFaults): a read
 * error, a short read, a full disk and a failed rename during a write each
 * fail the job with a clear message, leave the target folder as it was and
 * remove every temporary file; transient faults are retried away; partial
 * reads and writes (legal POSIX behaviour) change nothing; and a sweep
 * fails every file operation of a save in turn.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fileio.h"
#include "rdd_util.h"

/* ----------------------------------------------------------- scratch area */
static char root[64];

static int make_root(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/lm_iofault_XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int drop_root(void **state)
{
    (void)state;
    lm_fio_remove_tree(root);
    return 0;
}

/* Every path under dir (relative, sorted, one per line). */
static void list_tree(const char *dir, const char *rel, lm_strbuf *out)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *x = names[i];
                names[i] = names[j];
                names[j] = x;
            }
    for (int i = 0; i < n; i++) {
        char path[1024], r[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        lm_strbuf_printf(out, "%s\n", r);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            list_tree(path, r, out);
        free(names[i]);
    }
}

static char *tree(const char *dir)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    list_tree(dir, "", &sb);
    lm_strbuf_putc(&sb, '\0');
    return lm_strbuf_detach(&sb);
}

/* <root>/sub (a static buffer, valid until the next call). */
static const char *under(const char *sub)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s/%s", root, sub);
    return buf;
}

static char *slurp(const char *path)
{
    char *data = NULL;
    size_t n;
    lm_error e;
    lm_error_init(&e);
    if (lm_fio_read_all(NULL, path, &data, &n, &e) != LM_OK)
        lm_error_clear(&e);
    return data;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static lm_session *open_faults(const char *master, const char *faults)
{
    lm_conf *c = lm_conf_new();
    lm_conf_set(c, "spark.master", master);
    if (faults)
        lm_conf_set(c, LM_FIO_FAULTS_KEY, faults);
    lm_session *s = lm_session_open(c, NULL);
    lm_conf_free(c);
    return s;
}

/* -------------------------------------------------------------- the plan */
static void test_plan_syntax(void **state)
{
    (void)state;
    lm_fio_plan *p = NULL;
    lm_error e;
    lm_error_init(&e);
    assert_int_equal(lm_fio_plan_parse(NULL, &p, &e), LM_OK);
    assert_null(p);
    assert_int_equal(lm_fio_plan_parse("write:ENOSPC:part-00001, rename:EXDEV::2,read:SHORT",
                                       &p, &e),
                     LM_OK);
    assert_non_null(p);
    lm_fio_plan_free(p);
    const char *bad[] = {"write", "write:EWHAT", "seek:EIO", "write:SHORT", "rename:PARTIAL",
                         "read:EIO:x:y", "read:EIO:x:1:2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(lm_fio_plan_parse(bad[i], &p, &e), LM_ERROR);
        char want[96];
        snprintf(want, sizeof want, "OP:FAULT[:MATCH[:NTH]], but has '%s'", bad[i]);
        assert_non_null(strstr(e.message, want));
        lm_error_clear(&e);
    }
}

/* ----------------------------------------------------------- the calls */
static void test_partial_writes_and_reads_lose_nothing(void **state)
{
    (void)state;
    lm_fio_plan *p = NULL;
    lm_error e;
    lm_error_init(&e);
    assert_int_equal(lm_fio_plan_parse("write:PARTIAL,read:PARTIAL", &p, &e), LM_OK);
    char path[128];
    snprintf(path, sizeof path, "%s/partial", root);
    lm_file *f = lm_fio_create(p, path, &e);
    assert_non_null(f);
    const char *text = "The quick brown fox jumps over the lazy dog\n";
    assert_int_equal(lm_fio_write(f, text, strlen(text), &e), LM_OK);
    assert_int_equal(lm_fio_close(f, &e), LM_OK);
    char *back;
    size_t n;
    assert_int_equal(lm_fio_read_all(p, path, &back, &n, &e), LM_OK);
    assert_string_equal(back, text);
    assert_true(lm_fio_plan_hits(p) > 10); /* halves down to single bytes */
    free(back);
    lm_fio_plan_free(p);
    unlink(path);
}

static void test_each_fault_has_a_clear_message(void **state)
{
    (void)state;
    char path[128], to[128];
    snprintf(path, sizeof path, "%s/f.txt", root);
    snprintf(to, sizeof to, "%s/g.txt", root);
    spit(path, "0123456789\n");
    lm_error e;
    lm_error_init(&e);
    lm_fio_plan *p = NULL;
    char want[512];

    assert_int_equal(lm_fio_plan_parse("read:SHORT:f.txt", &p, &e), LM_OK);
    char *data;
    size_t n;
    assert_int_equal(lm_fio_read_all(p, path, &data, &n, &e), LM_EIO);
    snprintf(want, sizeof want, "Unexpected end of file %s: read 6 of 11 bytes", path);
    assert_string_equal(e.message, want);
    assert_string_equal(e.exception, "java.io.EOFException");
    lm_error_clear(&e);
    lm_fio_plan_free(p);

    assert_int_equal(lm_fio_plan_parse("read:EIO", &p, &e), LM_OK);
    assert_int_equal(lm_fio_read_all(p, path, &data, &n, &e), LM_EIO);
    snprintf(want, sizeof want, "Input/output error (reading %s)", path);
    assert_string_equal(e.message, want);
    assert_string_equal(e.exception, "java.io.IOException");
    lm_error_clear(&e);
    lm_fio_plan_free(p);

    assert_int_equal(lm_fio_plan_parse("write:ENOSPC", &p, &e), LM_OK);
    lm_file *f = lm_fio_create(p, to, &e);
    assert_non_null(f);
    assert_int_equal(lm_fio_write(f, "x", 1, &e), LM_EIO);
    snprintf(want, sizeof want, "No space left on device (writing %s)", to);
    assert_string_equal(e.message, want);
    lm_fio_discard(f);
    lm_error_clear(&e);
    lm_fio_plan_free(p);

    assert_int_equal(lm_fio_plan_parse("rename:EXDEV", &p, &e), LM_OK);
    assert_int_equal(lm_fio_rename(p, path, to, &e), LM_EIO);
    snprintf(want, sizeof want, "Failed to rename %s to %s: Invalid cross-device link", path,
             to);
    assert_string_equal(e.message, want);
    lm_error_clear(&e);
    lm_fio_plan_free(p);

    assert_int_equal(lm_fio_plan_parse("open:EACCES", &p, &e), LM_OK);
    assert_null(lm_fio_create(p, to, &e));
    snprintf(want, sizeof want, "%s (Permission denied)", to);
    assert_string_equal(e.message, want);
    assert_string_equal(e.exception, "java.io.FileNotFoundException");
    lm_error_clear(&e);
    lm_fio_plan_free(p);
    unlink(path);
    unlink(to);
}

static void test_mkdirs_reports_and_undoes_what_it_created(void **state)
{
    (void)state;
    char path[160], top[160];
    snprintf(top, sizeof top, "%s/m1", root);
    snprintf(path, sizeof path, "%s/m1/m2/m3", root);
    lm_error e;
    lm_error_init(&e);
    char *created = NULL;
    assert_int_equal(lm_fio_mkdirs(NULL, path, &created, &e), LM_OK);
    assert_string_equal(created, top);
    free(created);
    assert_int_equal(lm_fio_mkdirs(NULL, path, &created, &e), LM_OK);
    assert_null(created); /* it existed */
    lm_fio_remove_tree(top);
    /* the third level cannot be made: the first two are removed again */
    lm_fio_plan *p = NULL;
    assert_int_equal(lm_fio_plan_parse("mkdir:EACCES:m3", &p, &e), LM_OK);
    assert_int_equal(lm_fio_mkdirs(p, path, &created, &e), LM_EIO);
    assert_null(created);
    char want[256];
    snprintf(want, sizeof want, "Mkdirs failed to create %s (Permission denied)", path);
    assert_string_equal(e.message, want);
    struct stat st;
    assert_int_not_equal(stat(top, &st), 0);
    lm_error_clear(&e);
    lm_fio_plan_free(p);
}

/* --------------------------------------------------------- saveAsTextFile */
/* Saves 1..8 in 2 partitions under <root>/<sub> with the fault plan;
   returns the session's message on failure or "ok". */
static char *save_ints(const char *master, const char *faults, const char *sub,
                       const char *codec)
{
    lm_session *s = open_faults(master, faults);
    lm_rdd *r = rt_ints(s, 1, 8, 2);
    char out[256];
    snprintf(out, sizeof out, "%s/%s", root, sub);
    lm_status st = lm_rdd_save_as_text_file(r, out, codec);
    char *msg = strdup(st == LM_OK ? "ok" : lm_errmsg(s));
    lm_rdd_free(r);
    lm_session_close(s);
    return msg;
}

/* Asserts the scratch area holds exactly `expected` (tree listing). */
static void assert_root_tree(const char *expected)
{
    char *t = tree(root);
    assert_string_equal(t, expected);
    free(t);
}

static void test_full_disk_fails_the_job_and_leaves_nothing(void **state)
{
    (void)state;
    mkdir(under("keep"), 0777);
    char *msg = save_ints("local[2,2]", "write:ENOSPC:part-00001", "a/b/out", NULL);
    char want[512];
    snprintf(want, sizeof want,
             "Job aborted due to stage failure: Task 1 in stage 0.0 failed 2 times, most "
             "recent failure: Lost task 1.1 in stage 0.0 (TID 2) (localhost executor driver): "
             "java.io.IOException: No space left on device (writing "
             "%s/a/b/out/_temporary/0/_temporary/attempt_0_0000_m_000001_1/part-00001)\n"
             "Driver stacktrace:",
             root);
    assert_string_equal(msg, want);
    free(msg);
    /* the new folders a/ and a/b/ went with the output */
    assert_root_tree("keep\n");
}

static void test_a_transient_full_disk_is_retried_away(void **state)
{
    (void)state;
    char *msg = save_ints("local[2,2]", "write:ENOSPC:part-00001:1", "out", NULL);
    assert_string_equal(msg, "ok");
    free(msg);
    assert_root_tree("keep\nout\nout/_SUCCESS\nout/part-00000\nout/part-00001\n");
    char *t = slurp(under("out/part-00001"));
    assert_string_equal(t, "5\n6\n7\n8\n");
    free(t);
    lm_fio_remove_tree(under("out"));
}

static void test_failed_task_commit_rename_leaves_nothing(void **state)
{
    (void)state;
    char *msg = save_ints("local[2]", "rename:EXDEV:attempt_", "out", NULL);
    assert_non_null(strstr(msg, "java.io.IOException: Failed to rename "));
    assert_non_null(strstr(msg, "/_temporary/0/_temporary/attempt_0_0000_m_00000"));
    assert_non_null(strstr(msg, ": Invalid cross-device link\nDriver stacktrace:"));
    free(msg);
    assert_root_tree("keep\n");
}

static void test_failed_job_commit_rename_leaves_nothing(void **state)
{
    (void)state;
    /* the second file moved into place fails: the first is removed too */
    char *msg = save_ints("local[2]", "rename:EIO:/task_:2", "out", NULL);
    char want[512];
    snprintf(want, sizeof want,
             "Failed to rename %s/out/_temporary/0/task_0_0000_m_000001/part-00001 to "
             "%s/out/part-00001: Input/output error",
             root, root);
    assert_string_equal(msg, want);
    free(msg);
    assert_root_tree("keep\n");
}

static void test_failed_close_and_success_marker_leave_nothing(void **state)
{
    (void)state;
    char *msg = save_ints("local[2]", "close:EDQUOT:part-00000", "out", NULL);
    assert_non_null(strstr(msg, "java.io.IOException: Disk quota exceeded (closing "));
    free(msg);
    assert_root_tree("keep\n");
    msg = save_ints("local[2]", "open:EROFS:_SUCCESS", "out", NULL);
    char want[512];
    snprintf(want, sizeof want, "%s/out/_SUCCESS (Read-only file system)", root);
    assert_string_equal(msg, want);
    free(msg);
    assert_root_tree("keep\n");
}

static void test_gzip_output_survives_partial_writes(void **state)
{
    (void)state;
    char *msg = save_ints("local[2]", "write:PARTIAL", "gz", "gzip");
    assert_string_equal(msg, "ok");
    free(msg);
    lm_session *s = open_faults("local[2]", NULL);
    char in[256];
    snprintf(in, sizeof in, "%s/gz", root);
    lm_rdd *t = lm_rdd_text_file(s, in, 0);
    assert_text(rt_collect(s, t), "[1, 2, 3, 4, 5, 6, 7, 8]");
    lm_rdd_free(t);
    lm_session_close(s);
    lm_fio_remove_tree(in);
}

/* --------------------------------------------------------- reading input */
/* textFile(<root>/in.txt) -> map -> saveAsTextFile(<root>/copy). */
static char *copy_text(const char *faults)
{
    lm_session *s = open_faults("local[2]", faults);
    char in[256], out[256];
    snprintf(in, sizeof in, "%s/in.txt", root);
    snprintf(out, sizeof out, "%s/copy", root);
    lm_rdd *t = lm_rdd_text_file(s, in, 2);
    lm_status st = t ? lm_rdd_save_as_text_file(t, out, NULL) : LM_ERROR;
    char *msg = strdup(st == LM_OK ? "ok" : lm_errmsg(s));
    lm_rdd_free(t);
    lm_session_close(s);
    return msg;
}

static void test_read_error_fails_the_job_and_writes_nothing(void **state)
{
    (void)state;
    char in[256];
    snprintf(in, sizeof in, "%s/in.txt", root);
    spit(in, "alpha\nbeta\ngamma\ndelta\n");
    char *msg = copy_text("read:EIO:in.txt");
    char want[512];
    snprintf(want, sizeof want,
             "Job aborted due to stage failure: Task 0 in stage 0.0 failed 1 times, most "
             "recent failure: Lost task 0.0 in stage 0.0 (TID 0) (localhost executor driver): "
             "java.io.IOException: Input/output error (reading %s)\nDriver stacktrace:",
             in);
    assert_string_equal(msg, want);
    free(msg);
    assert_root_tree("in.txt\nkeep\n");
}

static void test_short_read_fails_the_job_and_writes_nothing(void **state)
{
    (void)state;
    char in[256];
    snprintf(in, sizeof in, "%s/in.txt", root);
    char *msg = copy_text("read:SHORT:in.txt");
    char want[512];
    snprintf(want, sizeof want,
             "java.io.EOFException: Unexpected end of file %s: read 12 of 23 bytes\n", in);
    assert_non_null(strstr(msg, want));
    free(msg);
    assert_root_tree("in.txt\nkeep\n");
}

static void test_partial_reads_copy_everything(void **state)
{
    (void)state;
    char *msg = copy_text("read:PARTIAL");
    assert_string_equal(msg, "ok");
    free(msg);
    /* Hadoop's split rule: split 0 (bytes 0..11) also reads the line
       starting at its end */
    char *a = slurp(under("copy/part-00000"));
    assert_string_equal(a, "alpha\nbeta\ngamma\n");
    free(a);
    char *b = slurp(under("copy/part-00001"));
    assert_string_equal(b, "delta\n");
    free(b);
    lm_fio_remove_tree(under("copy"));
}

/* ------------------------------------------------------------------ sweep */
/*
 * Fails the n-th call of one kind in a whole textFile -> saveAsTextFile
 * job, for n = 1, 2, ... until the job makes fewer such calls (it then
 * succeeds: local[2] allows one attempt per task, so any injected fault
 * fails it). Every failed run must leave nothing but the input behind, and
 * the last run must produce the undisturbed output. Returns the number of
 * calls failed.
 */
static int sweep_op(const char *op, const char *fault)
{
    for (int n = 1; n < 1000; n++) {
        char plan[64];
        snprintf(plan, sizeof plan, "%s:%s::%d", op, fault, n);
        char *msg = copy_text(plan);
        bool ok = strcmp(msg, "ok") == 0;
        free(msg);
        if (!ok) {
            char *t = tree(root);
            if (strcmp(t, "in.txt\nkeep\n") != 0)
                fail_msg("%s left\n%s", plan, t);
            free(t);
            continue;
        }
        assert_root_tree("copy\ncopy/_SUCCESS\ncopy/part-00000\ncopy/part-00001\nin.txt\n"
                         "keep\n");
        char *b = slurp(under("copy/part-00001"));
        assert_string_equal(b, "delta\n");
        free(b);
        lm_fio_remove_tree(under("copy"));
        return n - 1;
    }
    fail_msg("%s:%s never ran out of calls", op, fault);
    return 0;
}

static void test_every_file_operation_of_a_save_fails_cleanly(void **state)
{
    (void)state;
    int total = 0;
    static const char *const ops[][2] = {{"open", "EACCES"}, {"read", "EIO"},
                                         {"read", "SHORT"},  {"write", "ENOSPC"},
                                         {"close", "EIO"},   {"rename", "EXDEV"},
                                         {"mkdir", "EACCES"}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        int n = sweep_op(ops[i][0], ops[i][1]);
        printf("io sweep: %s:%s injected at %d points\n", ops[i][0], ops[i][1], n);
        assert_true(n >= 1);
        total += n;
    }
    printf("io sweep: %d injection points, each failed cleanly\n", total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_syntax),
        cmocka_unit_test(test_partial_writes_and_reads_lose_nothing),
        cmocka_unit_test(test_each_fault_has_a_clear_message),
        cmocka_unit_test(test_mkdirs_reports_and_undoes_what_it_created),
        cmocka_unit_test(test_full_disk_fails_the_job_and_leaves_nothing),
        cmocka_unit_test(test_a_transient_full_disk_is_retried_away),
        cmocka_unit_test(test_failed_task_commit_rename_leaves_nothing),
        cmocka_unit_test(test_failed_job_commit_rename_leaves_nothing),
        cmocka_unit_test(test_failed_close_and_success_marker_leave_nothing),
        cmocka_unit_test(test_gzip_output_survives_partial_writes),
        cmocka_unit_test(test_read_error_fails_the_job_and_writes_nothing),
        cmocka_unit_test(test_short_read_fails_the_job_and_writes_nothing),
        cmocka_unit_test(test_partial_reads_copy_everything),
        cmocka_unit_test(test_every_file_operation_of_a_save_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, make_root, drop_root);
}
