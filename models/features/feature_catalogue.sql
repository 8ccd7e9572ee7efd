{%- set blocks = matrix_blocks() -%}
-- depends_on: {{ ref('fred_series') }}
-- depends_on: {{ ref('text_taxonomy') }}
-- One row per column of features.daily_ml_matrix, in matrix order, with
-- the block it belongs to, where its values come from, when a value may
-- enter the row of trade date D, and what it measures. Built from the same
-- matrix_blocks() list the matrix selects its columns from.

with

catalogue (
    column_position, column_name, block, is_target, source,
    available_at_rule, description
) as (
    values
    (
        1, 'trade_date', 'spine', false,
        'staging.market_daily ({{ var("target_symbol") }} trading dates)',
        'the row key', 'trading date of the target market'
    ),
    (
        2, 'decision_at', 'spine', false, 'var decision_time',
        'the row''s own cut-off',
        'decision time of trade_date ({{ var("decision_time") }} '
        || '{{ var("decision_timezone") }}) in UTC: every feature of the row '
        || 'was public by then'
    )
    {%- set position = namespace(value=2) %}
    {%- for block in blocks %}
    {%- for column, description in block.columns %}
    {%- set position.value = position.value + 1 %},
    (
        {{ position.value }}, '{{ column }}', '{{ block.block }}',
        {{ 'true' if block.block == 'targets' else 'false' }},
        '{{ block.source | replace("'", "''") }}',
        '{{ block.available_at_rule | replace("'", "''") }}',
        '{{ description | replace("'", "''") }}'
    )
    {%- endfor %}
    {%- endfor %}
),

final as (
    select
        cast(column_position as integer) as column_position,
        column_name,
        block,
        is_target,
        source,
        available_at_rule,
        description
    from catalogue
)

select * from final
