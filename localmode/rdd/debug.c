/*
 * RDD.toDebugString in Spark's layout:
 *
 *   (2) MapPartitionsRDD[3] at map at f.c:12 []
 *    |  ShuffledRDD[2] at reduceByKey at f.c:11 []
 *    +-(2) MapPartitionsRDD[1] at map at f.c:10 []
 *       |  ParallelCollectionRDD[0] at parallelize at f.c:9 []
 *
 * Each line is "[name ]Class[id] at site [storage]"; a shuffle dependency
 * opens a "+-(N)" branch indented under its child, a narrow one continues
 * the column with " |  ". As in Spark, the bracket shows the storage level
 * of the RDD the method is called on, on every line, and persisted RDDs
 * with cached partitions get a "CachedPartitions" line.
 */
#include "rdd_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *level_description(lm_storage_level l)
{
    switch (l) {
    case LM_STORAGE_MEMORY_ONLY:
        return "Memory Deserialized 1x Replicated";
    case LM_STORAGE_MEMORY_ONLY_2:
        return "Memory Deserialized 2x Replicated";
    case LM_STORAGE_MEMORY_ONLY_SER:
        return "Memory Serialized 1x Replicated";
    case LM_STORAGE_MEMORY_AND_DISK:
        return "Disk Memory Deserialized 1x Replicated";
    case LM_STORAGE_MEMORY_AND_DISK_SER:
        return "Disk Memory Serialized 1x Replicated";
    case LM_STORAGE_DISK_ONLY:
        return "Disk Serialized 1x Replicated";
    case LM_STORAGE_OFF_HEAP:
        return "Disk Memory (off heap) Serialized 1x Replicated";
    default:
        return "";
    }
}

/* Utils.bytesToString: binary units, one decimal. */
static void bytes_string(lm_strbuf *sb, int64_t n)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    double v = (double)n;
    while (u < 6 && (double)n >= 2.0 * (double)(INT64_C(1) << (10 * (u + 1))))
        u++;
    v = (double)n / (double)(INT64_C(1) << (10 * u));
    lm_strbuf_printf(sb, "%.1f %s", v, units[u]);
}

typedef struct lines {
    char **s;
    int n, cap;
} lines;

static void add_line(lines *l, lm_strbuf *sb)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        char **n = realloc(l->s, sizeof *n * (size_t)cap);
        if (n == NULL)
            return;
        l->s = n;
        l->cap = cap;
    }
    l->s[l->n++] = lm_strbuf_detach(sb);
}

/* debugSelf: the RDD's line(s) without prefix. */
static int self_lines(const lm_rdd *r, const lm_rdd *top, lines *out)
{
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    if (r->name)
        lm_strbuf_printf(&sb, "%s ", r->name);
    lm_strbuf_printf(&sb, "%s[%d] at %s [%s]", r->ops->class_name, r->id, r->call_site,
                     level_description(top->level));
    add_line(out, &sb);
    int n = 1;
    if (r->level != LM_STORAGE_NONE && r->cache) {
        int cached = 0;
        int64_t bytes = 0;
        for (int i = 0; i < r->nparts; i++)
            if (r->cache[i].done) {
                cached++;
                bytes += rdd_block_bytes(&r->cache[i].data);
            }
        if (cached > 0) {
            lm_strbuf_init(&sb);
            lm_strbuf_printf(&sb, "    CachedPartitions: %d; MemorySize: ", cached);
            bytes_string(&sb, bytes);
            lm_strbuf_puts(&sb, "; DiskSize: 0.0 B");
            add_line(out, &sb);
            n++;
        }
    }
    return n;
}

static void debug_string(const lm_rdd *r, const lm_rdd *top, const char *prefix, bool shuffle,
                         bool last, lines *out, int depth);

static void debug_children(const lm_rdd *r, const lm_rdd *top, const char *prefix, lines *out,
                           int depth)
{
    int n = rdd_num_deps(r);
    for (int i = 0; i < n; i++) {
        const rdd_dep *d = rdd_dep_at(r, i);
        debug_string(d->rdd, top, prefix, d->shuffle != NULL, i == n - 1, out, depth + 1);
    }
}

/* Prefix the lines from index `from` on with p (p then the line). */
static void prefix_lines(lines *l, int from, const char *first, const char *rest)
{
    for (int i = from; i < l->n; i++) {
        lm_strbuf sb;
        lm_strbuf_init(&sb);
        lm_strbuf_puts(&sb, i == from ? first : rest);
        lm_strbuf_puts(&sb, l->s[i]);
        free(l->s[i]);
        l->s[i] = lm_strbuf_detach(&sb);
    }
}

static void debug_string(const lm_rdd *r, const lm_rdd *top, const char *prefix, bool shuffle,
                         bool last, lines *out, int depth)
{
    if (depth > 10000)
        return;
    char part[32];
    snprintf(part, sizeof part, "(%d)", r->nparts);
    size_t plen = strlen(part);
    size_t left = (plen - 1) / 2;
    if (!shuffle) {
        int from = out->n;
        self_lines(r, top, out);
        prefix_lines(out, from, prefix, prefix);
        debug_children(r, top, prefix, out, depth);
        return;
    }
    /* thisPrefix = prefix with a trailing "|" + blanks removed */
    lm_strbuf tp;
    lm_strbuf_init(&tp);
    lm_strbuf_puts(&tp, prefix);
    size_t len = tp.len;
    while (len > 0 && tp.data[len - 1] == ' ')
        len--;
    if (len > 0 && tp.data[len - 1] == '|' && len < tp.len) {
        tp.len = len - 1;
        tp.data[tp.len] = '\0';
    }
    lm_strbuf next;
    lm_strbuf_init(&next);
    lm_strbuf_puts(&next, lm_strbuf_cstr(&tp));
    lm_strbuf_puts(&next, last ? "  " : "| ");
    lm_strbuf_repeat(&next, ' ', left);
    lm_strbuf_putc(&next, '|');
    lm_strbuf_repeat(&next, ' ', plen - left);
    lm_strbuf first;
    lm_strbuf_init(&first);
    lm_strbuf_printf(&first, "%s+-%s ", lm_strbuf_cstr(&tp), part);
    int from = out->n;
    self_lines(r, top, out);
    prefix_lines(out, from, lm_strbuf_cstr(&first), lm_strbuf_cstr(&next));
    debug_children(r, top, lm_strbuf_cstr(&next), out, depth);
    lm_strbuf_free(&tp);
    lm_strbuf_free(&next);
    lm_strbuf_free(&first);
}

char *lm_rdd_to_debug_string(lm_rdd *r)
{
    if (r == NULL)
        return NULL;
    lines out = {0};
    char part[32];
    snprintf(part, sizeof part, "(%d)", r->nparts);
    size_t plen = strlen(part), left = (plen - 1) / 2;
    lm_strbuf next;
    lm_strbuf_init(&next);
    lm_strbuf_repeat(&next, ' ', left);
    lm_strbuf_putc(&next, '|');
    lm_strbuf_repeat(&next, ' ', plen - left);
    lm_strbuf first;
    lm_strbuf_init(&first);
    lm_strbuf_printf(&first, "%s ", part);
    lm_strbuf rest;
    lm_strbuf_init(&rest);
    lm_strbuf_printf(&rest, "%s ", lm_strbuf_cstr(&next));
    self_lines(r, r, &out);
    prefix_lines(&out, 0, lm_strbuf_cstr(&first), lm_strbuf_cstr(&rest));
    debug_children(r, r, lm_strbuf_cstr(&next), &out, 0);
    lm_strbuf sb;
    lm_strbuf_init(&sb);
    for (int i = 0; i < out.n; i++) {
        if (i)
            lm_strbuf_putc(&sb, '\n');
        lm_strbuf_puts(&sb, out.s[i] ? out.s[i] : "");
        free(out.s[i]);
    }
    free(out.s);
    lm_strbuf_free(&next);
    lm_strbuf_free(&first);
    lm_strbuf_free(&rest);
    return lm_strbuf_detach(&sb);
}
