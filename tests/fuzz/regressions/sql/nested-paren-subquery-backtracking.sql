select ••••••••kj•••••••••••••••••••••••••((((((((((((((SELECT elt(3, col1, col2, col3, col4) col
FROM (
  SELECT
    s<=t•••••••••••((((((((((((((SELECT elt(3, col1, col2, col3, col4) col
FROM (
  (
  SELEcourseSales
 ÿÿÿÿÿÿÿÿ)
PIVOT (
  sum(earnings)
  FOR (course, year) IN ( ••••••••kj•••••••••••••••••••••••••((((((((((((((SELECT elt(3, col1, col2, col3, col4) col
FROM (
  SELECT
    s<=t•••••••••••((((((((((((((SELECT elt(3, col1, col2, col3, col4) col
FROM (
  (
  SELEcourseSales
 ÿÿÿÿÿÿÿÿ)
PIVOT (
  sum(earnings)
  FOR (course, year) IN ('dotNET', 'Java'CACSELECT
    s<=tring(if) col1,
    string(id + 1) col2,
    ((((((((((((((((((((((('utf-8') col4
  FR ring(if) col1,
    string(id + 1) col2,
'dotNET', 'Java'CACSELECT
    s<=tring(if) col1,
    string(id + 1) col2,
    ((((((((((((((((((((((('utf-8') col4
  FR ring(if) col1,
    string(id + 1) col2,
    ((((((((((((((((((((((('utf-8') col4
  FR nOM rangull)e(10)

)
