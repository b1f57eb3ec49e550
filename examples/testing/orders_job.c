/*
 * The example job: see orders_job.h.
 */
#include "orders_job.h"

#include <stddef.h>

lm_status orders_enriched_view(lm_session *s)
{
    lm_df *df = NULL;
    lm_status st = lm_sql(s,
                          "CREATE OR REPLACE TEMPORARY VIEW orders_enriched AS "
                          "SELECT o.order_id, c.name AS customer, o.amount, "
                          "  CASE WHEN o.amount >= 100 THEN 'large' "
                          "       WHEN o.amount >= 20 THEN 'medium' "
                          "       ELSE 'small' END AS band "
                          "FROM orders o JOIN customers c ON o.customer_id = c.id "
                          "WHERE o.status <> 'cancelled'",
                          &df);
    lm_df_free(df);
    return st;
}
