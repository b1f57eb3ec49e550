/*
 * Unit tests of the orders job (orders_job.c) with the localmode testkit:
 * a starting point to copy. Each test reads as a specification of one
 * behaviour of the job.
 *
 * The group setup loads the input tables once (fixtures/orders.yaml) into
 * the shared session; each test runs with lmt_setup / lmt_teardown, which
 * undo what the test changed (conf overrides, views), so tests stay
 * independent while the session stays warm.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "localmode_testkit.h"
#include "orders_job.h"

static int load_inputs(void **state)
{
    if (lmt_group_setup(state) != 0)
        return -1;
    /* a relative path is looked up under LMT_FIXTURE_DIR, which
       localmode_add_test(... FIXTURE_DIR ...) sets */
    lmt_load_fixture(*state, "orders.yaml");
    return orders_enriched_view(*state) == LM_OK ? 0 : -1;
}

static void test_enriched_orders_match_the_expected_table(void **state)
{
    lm_session *s = *state;
    lm_df *actual = lmt_sql(s, "SELECT * FROM orders_enriched");
    lm_df *expected = lmt_sql(s, "SELECT * FROM expected_enriched");
    lmt_assert_df_equal(actual, expected, NULL);
}

static void test_enriched_schema(void **state)
{
    lm_session *s = *state;
    lm_df *actual = lmt_sql(s, "SELECT * FROM orders_enriched");
    lmt_assert_schema_equal_ddl(
        actual, "order_id BIGINT, customer STRING, amount DECIMAL(10,2), band STRING", NULL);
}

static void test_bands_by_amount(void **state)
{
    lm_session *s = *state;
    lm_df *bands = lmt_sql(s, "SELECT order_id, band FROM orders_enriched");
    lmt_assert_rows_equal(bands, "(100, 'large'), (101, 'small'), (103, 'medium'), (104, 'small')",
                          NULL);
}

static void test_cancelled_and_orphan_orders_are_dropped(void **state)
{
    lm_session *s = *state;
    lm_df *left_out = lmt_sql(s, "SELECT order_id FROM orders "
                                 "WHERE order_id NOT IN (SELECT order_id FROM orders_enriched)");
    lmt_assert_rows_equal(left_out, "102, 105, 106", NULL);
}

static void test_job_runs_in_ansi_mode(void **state)
{
    lm_session *s = *state;
    lmt_with_conf(s, "spark.sql.ansi.enabled", "true"); /* undone by lmt_teardown */
    lm_df *actual = lmt_sql(s, "SELECT * FROM orders_enriched");
    lm_df *expected = lmt_sql(s, "SELECT * FROM expected_enriched");
    lmt_assert_df_equal(actual, expected, NULL);
}

/* For any orders at all, the job never invents rows. */
static bool never_more_rows_than_orders(lm_session *s, lm_df *orders, void *ctx, char **why)
{
    (void)ctx;
    (void)why;
    lm_df *out = NULL;
    int64_t n_in = 0, n_out = 0;
    bool ok = lm_sql(s, "SELECT * FROM orders_enriched", &out) == LM_OK &&
              lm_df_count(out, &n_out) == LM_OK && lm_df_count(orders, &n_in) == LM_OK;
    lm_df_free(out);
    return ok && n_out <= n_in;
}

static void test_property_never_more_rows_than_orders(void **state)
{
    lm_session *s = *state;
    lmt_property_opts o = lmt_property_opts_default();
    o.view = "orders"; /* generated orders replace the fixture's for each trial */
    lmt_assert_property(s, "order_id BIGINT, customer_id INT, amount DECIMAL(10,2), status STRING",
                        never_more_rows_than_orders, NULL, &o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        lmt_unit_test(test_enriched_orders_match_the_expected_table),
        lmt_unit_test(test_enriched_schema),
        lmt_unit_test(test_bands_by_amount),
        lmt_unit_test(test_cancelled_and_orphan_orders_are_dropped),
        lmt_unit_test(test_job_runs_in_ansi_mode),
        lmt_unit_test(test_property_never_more_rows_than_orders),
    };
    return cmocka_run_group_tests(tests, load_inputs, lmt_group_teardown);
}
