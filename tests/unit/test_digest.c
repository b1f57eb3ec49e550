/*
 * md5(), sha1(), sha2() and crc32() as Spark computes them. Anchors: the
 * examples in Spark's function docs (all on 'Spark'), the RFC 1321 and
 * FIPS 180 test vectors ("", "abc", the 448- and 896-bit messages, one
 * million 'a'), and lengths around the padding boundaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hash/digest.h"

static const char msg448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char msg896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                             "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void expect_sha2(const char *msg, size_t len, int bits, const char *hex)
{
    char out[2 * LM_SHA512_LEN + 1];
    assert_true(lm_sha2_hex(msg, len, bits, out));
    assert_string_equal(out, hex);
}

static void test_spark_doc_examples(void **state)
{
    char md5[33], sha1[41];
    (void)state;
    lm_md5_hex("Spark", 5, md5);
    assert_string_equal(md5, "8cde774d6f7333752ed72cacddb05126");
    lm_sha1_hex("Spark", 5, sha1);
    assert_string_equal(sha1, "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c");
    expect_sha2("Spark", 5, 256,
                "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b");
    assert_true(lm_crc32("Spark", 5) == 1557323817);
}

static void test_md5_rfc1321_vectors(void **state)
{
    char out[33];
    (void)state;
    lm_md5_hex(NULL, 0, out);
    assert_string_equal(out, "d41d8cd98f00b204e9800998ecf8427e");
    lm_md5_hex("abc", 3, out);
    assert_string_equal(out, "900150983cd24fb0d6963f7d28e17f72");
    lm_md5_hex("message digest", 14, out);
    assert_string_equal(out, "f96b697d7cb7938d525a2f31aaf161d0");
    lm_md5_hex("1234567890123456789012345678901234567890"
               "1234567890123456789012345678901234567890",
               80, out);
    assert_string_equal(out, "57edf4a22be3c955ac49da2e2107b67a");
}

static void test_sha1_fips_vectors(void **state)
{
    char out[41];
    (void)state;
    lm_sha1_hex("", 0, out);
    assert_string_equal(out, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    lm_sha1_hex("abc", 3, out);
    assert_string_equal(out, "a9993e364706816aba3e25717850c26c9cd0d89d");
    lm_sha1_hex(msg448, strlen(msg448), out);
    assert_string_equal(out, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

static void test_sha224_fips_vectors(void **state)
{
    (void)state;
    expect_sha2("", 0, 224, "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f");
    expect_sha2("abc", 3, 224, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
    expect_sha2(msg448, strlen(msg448), 224,
                "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525");
}

static void test_sha256_fips_vectors(void **state)
{
    (void)state;
    expect_sha2("", 0, 256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect_sha2("abc", 3, 256,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect_sha2(msg448, strlen(msg448), 256,
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha384_fips_vectors(void **state)
{
    (void)state;
    expect_sha2("", 0, 384,
                "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
                "274edebfe76f65fbd51ad2f14898b95b");
    expect_sha2("abc", 3, 384,
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                "8086072ba1e7cc2358baeca134c825a7");
    expect_sha2(msg896, strlen(msg896), 384,
                "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
                "fcc7c71a557e2db966c3e9fa91746039");
}

static void test_sha512_fips_vectors(void **state)
{
    (void)state;
    expect_sha2("", 0, 512,
                "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    expect_sha2("abc", 3, 512,
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    expect_sha2(msg896, strlen(msg896), 512,
                "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

static void test_million_a(void **state)
{
    size_t n = 1000000;
    char *a = malloc(n);
    char md5[33], sha1[41];
    (void)state;
    assert_non_null(a);
    memset(a, 'a', n);
    lm_md5_hex(a, n, md5);
    assert_string_equal(md5, "7707d6ae4e027c70eea2a935c2296f21");
    lm_sha1_hex(a, n, sha1);
    assert_string_equal(sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    expect_sha2(a, n, 224, "20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67");
    expect_sha2(a, n, 256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    expect_sha2(a, n, 384,
                "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
                "07b8b3dc38ecc4ebae97ddd87f3d8985");
    expect_sha2(a, n, 512,
                "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
                "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
    assert_true(lm_crc32(a, n) == INT64_C(3693461436));
    free(a);
}

/* 55 bytes leave room for the length in one block, 56 do not; likewise
   111 and 112 for the 128-byte blocks of SHA-384/512. */
static void test_padding_boundaries(void **state)
{
    char x[112], md5[33], sha1[41];
    (void)state;
    memset(x, 'x', sizeof x);
    lm_md5_hex(x, 55, md5);
    assert_string_equal(md5, "04364420e25c512fd958a70738aa8f72");
    lm_md5_hex(x, 56, md5);
    assert_string_equal(md5, "668a72d5ba17f08e62dabcafad6db14b");
    lm_md5_hex(x, 64, md5);
    assert_string_equal(md5, "c1bb4f81d892b2d57947682aeb252456");
    lm_sha1_hex(x, 56, sha1);
    assert_string_equal(sha1, "901305367c259952f4e7af8323f480d59f81335b");
    expect_sha2(x, 55, 256, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
    expect_sha2(x, 64, 256, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
    expect_sha2(x, 111, 512,
                "9a2a120825c2319867758ec277924f6faa254968bf752046dacdd948d8ad299b"
                "10359fd04bfd7d3810b5fa1b16a294236138baff981cbb85248478053ac4d3dd");
    expect_sha2(x, 112, 512,
                "a3722b515ef40c910f2419f6e0da8ca51d410114ce6272faae64045f9e9f630e"
                "7fa8dd5a3243c9860b899d148c3da4bc0f9e07454542604d030bb55531fe0d5b");
    expect_sha2(x, 112, 384,
                "d8489693bc428374931aedf508740398d9d4a92887116fecb2fcdd91c68b9db3"
                "29fc4a474e05e78c3eb34e649a6b5c77");
}

static void test_sha2_zero_bits_means_256(void **state)
{
    (void)state;
    expect_sha2("Spark", 5, 0,
                "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b");
}

static void test_sha2_unsupported_bits_give_null(void **state)
{
    char out[2 * LM_SHA512_LEN + 1] = "untouched";
    (void)state;
    assert_false(lm_sha2_hex("Spark", 5, 1, out));
    assert_false(lm_sha2_hex("Spark", 5, 160, out));
    assert_false(lm_sha2_hex("Spark", 5, -256, out));
    assert_false(lm_sha2_hex("Spark", 5, 257, out));
    assert_string_equal(out, "untouched");
}

static void test_crc32_is_unsigned_bigint(void **state)
{
    (void)state;
    assert_true(lm_crc32(NULL, 0) == 0);
    assert_true(lm_crc32("abc", 3) == 891568578);
    /* Values with the top bit set stay positive, as CRC32.getValue(). */
    assert_true(lm_crc32("xxxxxxxxxx", 10) == INT64_C(2396997495));
    assert_true(lm_crc32("x", 1) == INT64_C(2363233923));
}

static void test_hex_is_lower_case(void **state)
{
    const uint8_t bytes[3] = {0x00, 0xab, 0xff};
    char out[7];
    (void)state;
    lm_hex_lower(bytes, 3, out);
    assert_string_equal(out, "00abff");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spark_doc_examples),
        cmocka_unit_test(test_md5_rfc1321_vectors),
        cmocka_unit_test(test_sha1_fips_vectors),
        cmocka_unit_test(test_sha224_fips_vectors),
        cmocka_unit_test(test_sha256_fips_vectors),
        cmocka_unit_test(test_sha384_fips_vectors),
        cmocka_unit_test(test_sha512_fips_vectors),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_sha2_zero_bits_means_256),
        cmocka_unit_test(test_sha2_unsupported_bits_give_null),
        cmocka_unit_test(test_crc32_is_unsigned_bigint),
        cmocka_unit_test(test_hex_is_lower_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
