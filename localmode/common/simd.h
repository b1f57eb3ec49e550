/*
 * Loops worth vectorizing wider than the x86-64 baseline allows: SSE2 has
 * no 64-bit integer compare and cannot narrow double compares to bytes
 * cheaply, so such loops stay scalar unless AVX2 is there. Functions
 * marked LM_SIMD_CLONES are built twice (AVX2 and the baseline) and the
 * dynamic loader picks the one the CPU runs; results are the same.
 * Sanitizer builds keep one version (their runtime starts after ifunc
 * resolvers run).
 */
#ifndef LM_COMMON_SIMD_H
#define LM_COMMON_SIMD_H

#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define LM_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define LM_SIMD_CLONES
#endif

#endif
