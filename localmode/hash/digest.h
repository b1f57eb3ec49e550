/*
 * Message digests behind Spark's md5(), sha1(), sha2() and crc32(). MD5 is
 * RFC 1321, the SHA family FIPS 180-4; crc32 is zlib's, which is the same
 * CRC-32 as java.util.zip.CRC32.
 *
 * Spark's digest functions take binary (strings are cast to their UTF-8
 * bytes) and return lower-case hex strings; crc32 returns a bigint.
 */
#ifndef LM_HASH_DIGEST_H
#define LM_HASH_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LM_MD5_LEN 16
#define LM_SHA1_LEN 20
#define LM_SHA224_LEN 28
#define LM_SHA256_LEN 32
#define LM_SHA384_LEN 48
#define LM_SHA512_LEN 64

/* Raw digests of len bytes at data (data may be NULL when len is 0). */
void lm_md5(const void *data, size_t len, uint8_t out[LM_MD5_LEN]);
void lm_sha1(const void *data, size_t len, uint8_t out[LM_SHA1_LEN]);
void lm_sha224(const void *data, size_t len, uint8_t out[LM_SHA224_LEN]);
void lm_sha256(const void *data, size_t len, uint8_t out[LM_SHA256_LEN]);
void lm_sha384(const void *data, size_t len, uint8_t out[LM_SHA384_LEN]);
void lm_sha512(const void *data, size_t len, uint8_t out[LM_SHA512_LEN]);

/* Writes 2*n lower-case hex digits and a NUL to out (2*n+1 bytes). */
void lm_hex_lower(const uint8_t *bytes, size_t n, char *out);

/* md5(x): 32 hex digits and a NUL. */
void lm_md5_hex(const void *data, size_t len, char out[2 * LM_MD5_LEN + 1]);
/* sha1(x): 40 hex digits and a NUL. */
void lm_sha1_hex(const void *data, size_t len, char out[2 * LM_SHA1_LEN + 1]);
/*
 * sha2(x, bits): bits 224, 256, 384 or 512, and 0 meaning 256. Writes the
 * hex digest and a NUL to out (up to 129 bytes) and returns true; for any
 * other bit length returns false and writes nothing — Spark's result is
 * NULL then.
 */
bool lm_sha2_hex(const void *data, size_t len, int32_t bits, char out[2 * LM_SHA512_LEN + 1]);

/* crc32(x): java.util.zip.CRC32 of the bytes, in [0, 2^32). */
int64_t lm_crc32(const void *data, size_t len);

#endif
