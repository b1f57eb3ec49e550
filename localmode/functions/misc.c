/*
 * The misc family (in progress): its table is empty until its functions land.
 */
#include "functions/families.h"

const lm_func_table lm_funcs_misc = {NULL, 0};
