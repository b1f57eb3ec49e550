/*
 * PipedRDD: each partition's elements, one per line as toString prints
 * them, go to the stdin of `/bin/sh -c command` (one process per
 * partition, also for empty ones); its stdout lines are the output.
 * Writing and reading interleave through poll() so a command that answers
 * before it has read everything cannot deadlock. Output past the bound
 * fails the task; a non-zero exit fails it with Spark's message.
 */
#include "rdd_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "session/session.h"

typedef struct pipe_state {
    char *command;
    int64_t max_out;
} pipe_state;

static lm_status pipe_open(lm_rdd *r, int part, lm_task *t, rdd_iter **out)
{
    pipe_state *ps = r->state;
    const lm_type *in_type = r->deps[0].rdd->type;
    rdd_iter *in;
    lm_status st = rdd_iterator(r->deps[0].rdd, part, t, &in);
    if (st != LM_OK)
        return st;
    lm_strbuf input;
    lm_strbuf_init(&input);
    for (;;) {
        lm_value v;
        bool has;
        if ((st = in->next(in, t, &v, &has)) != LM_OK || !has)
            break;
        rdd_value_text(&input, in_type, &v, r->ctx->s);
        lm_strbuf_putc(&input, '\n');
    }
    if (st != LM_OK) {
        lm_strbuf_free(&input);
        return st;
    }
    int to[2], from[2];
    if (pipe(to) != 0) {
        lm_strbuf_free(&input);
        return rdd_task_error(t, LM_EIO, "pipe failed");
    }
    if (pipe(from) != 0) {
        close(to[0]);
        close(to[1]);
        lm_strbuf_free(&input);
        return rdd_task_error(t, LM_EIO, "pipe failed");
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[0]);
        close(to[1]);
        close(from[0]);
        close(from[1]);
        execl("/bin/sh", "sh", "-c", ps->command, (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    if (pid < 0) {
        close(to[1]);
        close(from[0]);
        lm_strbuf_free(&input);
        return rdd_task_error(t, LM_EIO, "fork failed");
    }
    fcntl(to[1], F_SETFL, O_NONBLOCK);
    /* A command that exits without reading all its input must not kill us
       with SIGPIPE: block it in this thread, and swallow it afterwards. */
    sigset_t pipe_set, old_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    lm_strbuf output;
    lm_strbuf_init(&output);
    size_t written = 0;
    bool too_much = false;
    int wfd = to[1];
    if (input.len == 0) {
        close(wfd);
        wfd = -1;
    }
    for (;;) {
        struct pollfd fds[2];
        int nf = 0;
        fds[nf++] = (struct pollfd){from[0], POLLIN, 0};
        if (wfd >= 0)
            fds[nf++] = (struct pollfd){wfd, POLLOUT, 0};
        if (poll(fds, (nfds_t)nf, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (nf == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(wfd, input.data + written, input.len - written);
            if (w > 0)
                written += (size_t)w;
            if (w < 0 && errno != EAGAIN) {
                close(wfd);
                wfd = -1;
            } else if (written == input.len) {
                close(wfd);
                wfd = -1;
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[65536];
            ssize_t n = read(from[0], buf, sizeof buf);
            if (n <= 0)
                break;
            if ((int64_t)(output.len + (size_t)n) > ps->max_out) {
                too_much = true;
                break;
            }
            lm_strbuf_append(&output, buf, (size_t)n);
        }
    }
    if (wfd >= 0)
        close(wfd);
    close(from[0]);
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE)) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    if (too_much)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    lm_strbuf_free(&input);
    if (too_much) {
        lm_strbuf_free(&output);
        return rdd_task_error(t, LM_ERROR, "pipe output exceeds %lld bytes",
                              (long long)ps->max_out);
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code != 0) {
        lm_strbuf_free(&output);
        lm_error_set(&t->err, LM_ERROR, "java.lang.IllegalStateException", NULL, NULL,
                     "Subprocess exited with status %d. Command ran: %s", code, ps->command);
        return LM_ERROR;
    }
    rdd_vec lines = {0};
    const char *d = output.data ? output.data : "";
    char *copy = lm_arena_strndup(&t->arena, d, output.len);
    size_t len = output.len;
    lm_strbuf_free(&output);
    if (copy == NULL)
        return rdd_task_error(t, LM_ENOMEM, "out of memory");
    size_t pos = 0;
    while (pos < len) {
        size_t e = pos;
        while (e < len && copy[e] != '\n')
            e++;
        lm_value v = lm_value_str(copy + pos, (int32_t)(e - pos));
        if ((st = rdd_vec_push(t, &lines, &v)) != LM_OK)
            return st;
        pos = e + 1;
    }
    *out = rdd_iter_array(t, lines.v, lines.n);
    return *out ? LM_OK : LM_ENOMEM;
}

static void pipe_free(lm_rdd *r)
{
    pipe_state *ps = r->state;
    if (ps)
        free(ps->command);
    free(ps);
}

static const rdd_ops pipe_ops = {"PipedRDD", pipe_open, pipe_free};

lm_rdd *lm_rdd_pipe(lm_rdd *r, const char *command, int64_t max_output_bytes)
{
    if (r == NULL)
        return NULL;
    pipe_state *ps = calloc(1, sizeof *ps);
    if (ps == NULL || (ps->command = strdup(command ? command : "")) == NULL) {
        free(ps);
        lm_error_oom(&r->ctx->s->error);
        return NULL;
    }
    ps->max_out = max_output_bytes > 0 ? max_output_bytes : INT64_C(64) << 20;
    lm_rdd *p = rdd_new(r->ctx, &pipe_ops, lm_type_string(), r->nparts, "pipe", __func__);
    if (p == NULL) {
        pipe_free(&(lm_rdd){.state = ps});
        return NULL;
    }
    p->state = ps;
    if (rdd_add_dep(p, r, NULL) != LM_OK) {
        lm_rdd_free(p);
        return NULL;
    }
    return p;
}
