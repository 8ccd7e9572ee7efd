-- Applies the relation macro ts_rsi_wilder_by to the macro harness input,
-- for its dbt unit tests.

with

input_rows as (
    select
        series_id,
        cast(trade_date as date) as trade_date,
        cast(x as double) as x
    from {{ ref('macro_harness_input') }}
),

rsi as (
    select * from (
        {{ ts_rsi_wilder_by('input_rows', 'series_id', 'trade_date', 'x', 3) }}
    )
),

final as (
    select
        series_id,
        trade_date,
        x,
        round(x_rsi_3, 6) as x_rsi_3
    from rsi
)

select * from final
