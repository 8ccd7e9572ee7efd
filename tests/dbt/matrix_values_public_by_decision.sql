-- Every *_available_at column of features.daily_ml_matrix is at or before
-- the row's decision_at: no block may join a value that was not yet public.
-- Returns one row per offending date and column. The columns are read from
-- the built matrix when the test runs, so the test depends on the matrix
-- alone and is never selected with only the seeds.

{%- set matrix = ref('daily_ml_matrix') %}
{%- set checks = [] %}
{%- if execute %}
{%- set relation = adapter.get_relation(
    database=matrix.database, schema=matrix.schema, identifier=matrix.identifier
) %}
{%- if relation is not none %}
{%- for column in adapter.get_columns_in_relation(relation) %}
{%- if column.name.endswith('available_at') %}
{%- do checks.append(column.name) %}
{%- endif %}
{%- endfor %}
{%- endif %}
{%- endif %}

{%- if checks | length == 0 %}
select
    trade_date,
    'none' as column_name,
    decision_at as available_at,
    decision_at
from {{ matrix }}
where false
{%- endif %}
{%- for column in checks %}
select
    trade_date,
    '{{ column }}' as column_name,
    {{ column }} as available_at,
    decision_at
from {{ matrix }}
where {{ column }} > decision_at
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
