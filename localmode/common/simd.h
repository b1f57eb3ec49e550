/*
 * Loops worth vectorizing wider than the x86-64 baseline allows: SSE2 has
 * no 64-bit integer compare and cannot narrow double compares to bytes
 * cheaply, so such loops stay scalar unless AVX2 is there. Functions
 * marked LM_SIMD_CLONES are built twice (AVX2 and the baseline) and the
 * dynamic loader picks the one the CPU runs; results are the same.
 * Sanitizer, fuzzing and coverage builds keep one version (their
 * runtimes start after ifunc resolvers run).
 */
#ifndef LM_COMMON_SIMD_H
#define LM_COMMON_SIMD_H

/* GCC names sanitizers with macros, clang with __has_feature; the build
   sets LM_NO_SIMD_CLONES for every instrumented configuration */
#if defined(LM_NO_SIMD_CLONES) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define LM_SANITIZED 1
#endif
#endif

#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__) && !defined(LM_SANITIZED)
#define LM_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define LM_SIMD_CLONES
#endif

#endif
