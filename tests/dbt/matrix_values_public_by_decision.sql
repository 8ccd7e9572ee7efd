{%- set blocks = matrix_blocks() -%}
-- depends_on: {{ ref('fred_series') }}
-- depends_on: {{ ref('text_taxonomy') }}
-- Every *_available_at column of features.daily_ml_matrix is at or before
-- the row's decision_at: no block may join a value that was not yet public.
-- Returns one row per offending date and column.

{%- set checks = [] %}
{%- for block in blocks %}
{%- for column, description in block.columns %}
{%- if column.endswith('available_at') %}
{%- do checks.append(column) %}
{%- endif %}
{%- endfor %}
{%- endfor %}

{%- for column in checks %}
select
    trade_date,
    '{{ column }}' as column_name,
    {{ column }} as available_at,
    decision_at
from {{ ref('daily_ml_matrix') }}
where {{ column }} > decision_at
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
