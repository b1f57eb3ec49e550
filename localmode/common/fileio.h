/*
 * File I/O for the engine's readers and writers, with a fault plan that
 * tests use to prove failures are handled: every open, read, write, close,
 * rename and mkdir that a writer or reader makes goes through here, and the
 * plan can make any of them fail as the operating system would.
 *
 * The calls are thin over POSIX, but they do what callers tend to forget:
 * writes loop until everything is written (a short write is not an error,
 * ENOSPC is), reads of a whole file check that they got as many bytes as
 * the file held, close reports deferred write errors, and every error comes
 * back as a Java-style exception and a message naming the file:
 *
 *   java.io.IOException: No space left on device (writing /out/part-00000)
 *   java.io.IOException: Input/output error (reading /in/a.txt)
 *   java.io.EOFException: Unexpected end of file /in/a.txt: read 5 of 11 bytes
 *   java.io.IOException: Failed to rename /out/_temporary/.../part-00000
 *                        to /out/part-00000: Invalid cross-device link
 *   java.io.FileNotFoundException: /out/x (Permission denied)
 *
 * Fault plans (test only). The session conf spark.localmode.test.ioFaults
 * holds comma-separated items OP:FAULT[:MATCH[:NTH]]:
 *   OP     open | read | write | close | rename | mkdir
 *   FAULT  an errno name (EIO, ENOSPC, EACCES, EROFS, EXDEV, ENOENT, EDQUOT)
 *          the call fails with it;
 *          SHORT (read) the read returns half of what it asked for and the
 *          file then ends: data cut short, as a truncated file reads;
 *          PARTIAL (read, write) the call moves fewer bytes than asked, as
 *          POSIX allows, and later calls carry on: callers must loop, and
 *          a correct caller's output is unchanged.
 *   MATCH  a substring of the path the fault applies to (default: any)
 *   NTH    fault only the NTH matching call, counted from 1 over the plan's
 *          life (default 0: every matching call)
 * e.g. "write:ENOSPC:part-00001", "rename:EXDEV::1", "read:SHORT:.txt".
 * A plan is parsed once per job and shared by that job's tasks; its
 * counters are atomic.
 */
#ifndef LM_COMMON_FILEIO_H
#define LM_COMMON_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define LM_FIO_FAULTS_KEY "spark.localmode.test.ioFaults"

typedef enum lm_fio_op {
    LM_FIO_OPEN,
    LM_FIO_READ,
    LM_FIO_WRITE,
    LM_FIO_CLOSE,
    LM_FIO_RENAME,
    LM_FIO_MKDIR
} lm_fio_op;

typedef struct lm_fio_plan lm_fio_plan;

/* Parses a plan (spec NULL or empty: *out = NULL, no faults). On a bad
   item records an IllegalArgumentException naming it and returns
   LM_ERROR. */
lm_status lm_fio_plan_parse(const char *spec, lm_fio_plan **out, lm_error *err);
void lm_fio_plan_free(lm_fio_plan *plan);
/* How many faults the plan has injected so far. */
int64_t lm_fio_plan_hits(lm_fio_plan *plan);

/* ----------------------------------------------------------------- files */
typedef struct lm_file lm_file;

/* Creates (truncating) a file for writing; NULL with the error in err. The
   plan (may be NULL) is borrowed and must outlive the file. */
lm_file *lm_fio_create(lm_fio_plan *plan, const char *path, lm_error *err);
/* Opens a file for reading. */
lm_file *lm_fio_open_read(lm_fio_plan *plan, const char *path, lm_error *err);
/* Writes all n bytes (looping over short writes). */
lm_status lm_fio_write(lm_file *f, const void *buf, size_t n, lm_error *err);
/* Reads up to cap bytes; *got = 0 at the end of the file. */
lm_status lm_fio_read(lm_file *f, void *buf, size_t cap, size_t *got, lm_error *err);
/* Closes and frees f, reporting a failed close (a deferred write error) for
   files written to. f may be NULL. */
lm_status lm_fio_close(lm_file *f, lm_error *err);
/* Closes and frees f ignoring errors: the failure path. */
void lm_fio_discard(lm_file *f);

/*
 * Reads a whole file into a malloc'ed buffer (NUL-terminated; *len bytes
 * before the NUL), checking that it got as many bytes as the file held
 * when opened (java.io.EOFException otherwise).
 */
lm_status lm_fio_read_all(lm_fio_plan *plan, const char *path, char **data, size_t *len,
                          lm_error *err);

/* ------------------------------------------------------------- folders */
lm_status lm_fio_rename(lm_fio_plan *plan, const char *from, const char *to,
                        lm_error *err);
/*
 * mkdir -p. When created is not NULL it receives the outermost folder this
 * call created (malloc'ed; NULL when the folder existed), which is what a
 * writer removes on failure to leave the file system as it found it.
 */
lm_status lm_fio_mkdirs(lm_fio_plan *plan, const char *path, char **created,
                        lm_error *err);
/* Removes a file or a folder tree; true when nothing is left. */
bool lm_fio_remove_tree(const char *path);

/*
 * POSIX-style forms, for code that words its own errors: each returns what
 * its system call returns (0 / -1, a file descriptor) and leaves the cause,
 * an injected one too, in errno.
 */
int lm_fio_sys_rename(lm_fio_plan *plan, const char *from, const char *to);
int lm_fio_sys_mkdir(lm_fio_plan *plan, const char *path, unsigned mode);
/* open(path, O_WRONLY | O_CREAT | O_TRUNC, mode), as an "open" call. */
int lm_fio_sys_creat(lm_fio_plan *plan, const char *path, unsigned mode);

#endif
