/*
 * Bump-pointer arena for short-lived allocations (per task, per batch, per
 * statement). Everything allocated from an arena is released together by
 * lm_arena_free, which keeps the hot evaluation paths free of malloc/free
 * pairs. Arenas are not pooled, so memcheck sees every chunk.
 */
#ifndef LM_COMMON_ARENA_H
#define LM_COMMON_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lm_arena_chunk lm_arena_chunk;

typedef struct lm_arena_cleanup lm_arena_cleanup;

typedef struct lm_arena {
    lm_arena_chunk *head;
    lm_arena_cleanup *cleanups;
    size_t chunk_size;
    size_t total; /* bytes handed out, for metrics */
} lm_arena;

void lm_arena_init(lm_arena *a, size_t chunk_size);
/* Returns NULL on allocation failure. Memory is 16-byte aligned. */
void *lm_arena_alloc(lm_arena *a, size_t size);
void *lm_arena_calloc(lm_arena *a, size_t n, size_t size);
/* Copies len bytes and appends a NUL; returns NULL on failure. */
char *lm_arena_strndup(lm_arena *a, const char *s, size_t len);
char *lm_arena_strdup(lm_arena *a, const char *s);
char *lm_arena_printf(lm_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Registers fn(arg) to run when the arena is freed (newest first), for
 * arena-held objects that own outside resources (type references, compiled
 * regular expressions). Returns false on allocation failure, in which case
 * fn is not registered and the caller must release arg itself.
 */
bool lm_arena_on_free(lm_arena *a, void (*fn)(void *), void *arg);
/* Runs the cleanups, releases every chunk; the arena may be reused afterwards. */
void lm_arena_free(lm_arena *a);

#endif
