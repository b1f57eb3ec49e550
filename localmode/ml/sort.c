/*
 * A stable merge sort with a context argument. ML orders matter (label
 * order, tie-breaking in split search, ROC thresholds), so sorts are
 * stable and never depend on qsort's unspecified order of equal keys or
 * on global state.
 */
#include <stdlib.h>
#include <string.h>

#include "ml/ml.h"

static void merge_pass(char *src, char *dst, size_t n, size_t size, size_t width, ml_cmp_fn cmp,
                       void *ctx)
{
    for (size_t lo = 0; lo < n; lo += 2 * width) {
        size_t mid = lo + width < n ? lo + width : n;
        size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
        size_t i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
            if (cmp(src + j * size, src + i * size, ctx) < 0)
                memcpy(dst + (k++) * size, src + (j++) * size, size);
            else
                memcpy(dst + (k++) * size, src + (i++) * size, size);
        }
        memcpy(dst + k * size, src + i * size, (mid - i) * size);
        k += mid - i;
        memcpy(dst + k * size, src + j * size, (hi - j) * size);
    }
}

bool ml_sort(void *base, size_t n, size_t size, ml_cmp_fn cmp, void *ctx)
{
    if (n < 2)
        return true;
    char *tmp = malloc(n * size);
    if (tmp == NULL)
        return false;
    char *src = base, *dst = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        merge_pass(src, dst, n, size, width, cmp, ctx);
        char *t = src;
        src = dst;
        dst = t;
    }
    if (src != base)
        memcpy(base, src, n * size);
    free(tmp);
    return true;
}
