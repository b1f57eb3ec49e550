/*
 * Specification: KMeans, on pyspark's documented example (points (0,0),
 * (1,1), (9,8), (8,9), k = 2: centers (0.5, 0.5) and (8.5, 8.5), cost 2.0,
 * the first two points in one cluster, the last two in the other).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit/ml_steps.h"

static lm_df *points(lm_session *s)
{
    static const double p[4][2] = {{0, 0}, {1, 1}, {9, 8}, {8, 9}};
    lm_ml_cell cells[4];
    for (int i = 0; i < 4; i++)
        cells[i] = ML_DV(2, p[i]);
    return lm_ml_create_dataframe(s, "features", 4, 1, cells);
}

static void check_model(lm_session *s, lm_ml_stage *m, lm_df *df)
{
    assert_non_null(m);
    const double *c;
    assert_int_equal(lm_ml_get_doubles(m, "clusterCenters", &c), 4);
    bool first_low = c[0] < 5;
    const double *lo = first_low ? c : c + 2, *hi = first_low ? c + 2 : c;
    assert_close(lo[0], 0.5, 1e-12);
    assert_close(lo[1], 0.5, 1e-12);
    assert_close(hi[0], 8.5, 1e-12);
    assert_close(hi[1], 8.5, 1e-12);
    double cost;
    assert_int_equal(lm_ml_get_double(m, "summary.trainingCost", &cost), LM_OK);
    assert_close(cost, 2.0, 1e-12);
    lm_df *out = lm_ml_transform(m, df);
    int64_t n;
    double *p = ml_column_doubles(out, 1, &n);
    assert_int_equal(n, 4);
    assert_true(p[0] == p[1] && p[2] == p[3] && p[0] != p[2]);
    char *schema = lm_df_schema_string(out);
    assert_non_null(strstr(schema, "prediction:int"));
    free(schema);
    free(p);
    lm_df_free(out);
    (void)s;
}

static void test_kmeans_parallel_init(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = points(s);
    lm_ml_stage *km = lm_ml_new(s, "KMeans");
    lm_ml_set_int(km, "k", 2);
    lm_ml_set_int(km, "seed", 1);
    lm_ml_stage *m = lm_ml_fit(km, df);
    check_model(s, m, df);
    lm_ml_free(m);
    lm_ml_free(km);
    lm_df_free(df);
    lm_session_close(s);
}

static void test_kmeans_random_init_is_seeded(void **state)
{
    (void)state;
    lm_session *s = ml_session();
    lm_df *df = points(s);
    lm_ml_stage *km = lm_ml_new(s, "KMeans");
    lm_ml_set_string(km, "initMode", "random");
    lm_ml_set_int(km, "seed", 7);
    lm_ml_stage *m = lm_ml_fit(km, df);
    check_model(s, m, df);
    lm_ml_stage *m2 = lm_ml_fit(km, df);
    const double *c1, *c2;
    lm_ml_get_doubles(m, "clusterCenters", &c1);
    lm_ml_get_doubles(m2, "clusterCenters", &c2);
    for (int i = 0; i < 4; i++)
        assert_true(c1[i] == c2[i]);
    lm_ml_free(m2);
    lm_ml_free(m);
    lm_ml_free(km);
    lm_df_free(df);
    lm_session_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kmeans_parallel_init),
        cmocka_unit_test(test_kmeans_random_init_is_seeded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
