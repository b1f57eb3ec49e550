/*
 * A mutation fuzzer for the Parquet reader: takes seed files, applies
 * random damage (bit flips, byte overwrites, truncations, spliced or
 * duplicated ranges, varint-looking bytes) and reads each mutant. Every
 * read must end in LM_OK or an error with a message; memory errors are
 * for the sanitizers to catch, so build with -DLM_SANITIZE=address,undefined.
 *
 *   mutate_parquet <iterations> <seed> <file.parquet>...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/parquet/parquet.h"

static uint64_t rng;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint8_t *load(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    uint8_t *b = malloc((size_t)len + 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return b;
}

static size_t mutate(uint8_t *b, size_t n, size_t cap)
{
    int kind = (int)(next() % 6);
    if (n == 0)
        return n;
    size_t pos = (size_t)(next() % n);
    switch (kind) {
    case 0: /* bit flips */
        for (int k = 1 + (int)(next() % 4); k > 0; k--)
            b[next() % n] ^= (uint8_t)(1u << (next() % 8));
        return n;
    case 1: /* interesting bytes */
        b[pos] = (uint8_t[]){0x00, 0xff, 0x7f, 0x80, 0x15, 0x19, 0x1c}[next() % 7];
        return n;
    case 2: /* truncate, keeping the tail magic sometimes */
        if (next() % 2 && pos >= 8) {
            memmove(b + pos - 8, b + n - 8, 8);
            return pos;
        }
        return pos;
    case 3: { /* duplicate a range */
        size_t len = (size_t)(next() % 64);
        if (pos + len > n || n + len > cap)
            return n;
        memmove(b + pos + len, b + pos, n - pos);
        return n + len;
    }
    case 4: { /* varint continuation bytes */
        size_t len = 1 + (size_t)(next() % 10);
        for (size_t i = 0; i < len && pos + i < n; i++)
            b[pos + i] = 0x80 | (uint8_t)next();
        return n;
    }
    default: { /* overwrite a range with another part of the file */
        size_t len = (size_t)(next() % 32), src = (size_t)(next() % n);
        if (pos + len > n || src + len > n)
            return n;
        memmove(b + pos, b + src, len);
        return n;
    }
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: mutate_parquet <iterations> <seed> <file>...\n");
        return 2;
    }
    long iters = atol(argv[1]);
    rng = (uint64_t)atoll(argv[2]) | 1;
    char path[64];
    snprintf(path, sizeof path, "/tmp/fuzz_parquet_%ld.parquet", (long)getpid());
    long ok = 0, failed = 0;
    for (long it = 0; it < iters; it++) {
        const char *seed = argv[3 + it % (argc - 3)];
        size_t n;
        uint8_t *orig = load(seed, &n);
        if (orig == NULL)
            continue;
        size_t cap = n + 4096;
        uint8_t *b = malloc(cap);
        memcpy(b, orig, n);
        for (int m = 1 + (int)(next() % 3); m > 0; m--)
            n = mutate(b, n, cap);
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(b, 1, n, f);
            fclose(f);
        }
        lm_error err;
        lm_error_init(&err);
        lm_table *t = NULL;
        if (lm_parquet_read_file(path, NULL, &t, &err) == LM_OK)
            ok++;
        else {
            if (err.message == NULL) {
                fprintf(stderr, "error without a message\n");
                return 1;
            }
            failed++;
        }
        lm_table_unref(t);
        lm_error_clear(&err);
        free(b);
        free(orig);
    }
    remove(path);
    printf("fuzz_parquet: %ld mutants, %ld read, %ld refused with an error\n", iters, ok, failed);
    return 0;
}
