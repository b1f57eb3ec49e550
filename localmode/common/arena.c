/*
 * Arena allocator: a singly linked list of chunks, newest first. Oversized
 * requests get a chunk of their own so a single big string does not waste a
 * whole standard chunk.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lm_arena_chunk {
    lm_arena_chunk *next;
    size_t used;
    size_t cap;
    _Alignas(16) unsigned char data[];
};

struct lm_arena_cleanup {
    lm_arena_cleanup *next;
    void (*fn)(void *);
    void *arg;
};

void lm_arena_init(lm_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->cleanups = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    a->total = 0;
}

void *lm_arena_alloc(lm_arena *a, size_t size)
{
    size_t need = (size + 15u) & ~(size_t)15u;
    if (need == 0)
        need = 16;
    lm_arena_chunk *c = a->head;
    if (c == NULL || c->cap - c->used < need) {
        size_t cap = need > a->chunk_size / 4 ? need : a->chunk_size;
        lm_arena_chunk *n = malloc(sizeof *n + cap);
        if (n == NULL)
            return NULL;
        n->used = 0;
        n->cap = cap;
        if (cap == need && c != NULL) {
            /* keep the partly used chunk at the head for later small requests */
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total += need;
    return p;
}

void *lm_arena_calloc(lm_arena *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = lm_arena_alloc(a, n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

char *lm_arena_strndup(lm_arena *a, const char *s, size_t len)
{
    char *d = lm_arena_alloc(a, len + 1);
    if (d == NULL)
        return NULL;
    if (len)
        memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *lm_arena_strdup(lm_arena *a, const char *s)
{
    return lm_arena_strndup(a, s, strlen(s));
}

char *lm_arena_printf(lm_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = n < 0 ? NULL : lm_arena_alloc(a, (size_t)n + 1);
    if (d != NULL)
        vsnprintf(d, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return d;
}

bool lm_arena_on_free(lm_arena *a, void (*fn)(void *), void *arg)
{
    lm_arena_cleanup *c = lm_arena_alloc(a, sizeof *c);
    if (c == NULL)
        return false;
    c->fn = fn;
    c->arg = arg;
    c->next = a->cleanups;
    a->cleanups = c;
    return true;
}

void lm_arena_free(lm_arena *a)
{
    for (lm_arena_cleanup *k = a->cleanups; k != NULL; k = k->next)
        k->fn(k->arg);
    a->cleanups = NULL;
    lm_arena_chunk *c = a->head;
    while (c != NULL) {
        lm_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}
