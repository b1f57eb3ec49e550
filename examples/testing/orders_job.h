/*
 * The job under test in this example: orders enriched with their
 * customer's name and a size band, cancelled orders left out. It reads the
 * temp views `orders` and `customers` and defines the view
 * `orders_enriched`, as a SQL-first Spark job would.
 */
#ifndef ORDERS_JOB_H
#define ORDERS_JOB_H

#include "localmode.h"

/* Defines (or redefines) the temp view `orders_enriched`. */
lm_status orders_enriched_view(lm_session *s);

#endif
