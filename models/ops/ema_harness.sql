-- Applies the relation macro ts_ema_by to the macro harness input, for its
-- dbt unit tests.

with

input_rows as (
    select
        series_id,
        cast(trade_date as date) as trade_date,
        cast(x as double) as x
    from {{ ref('macro_harness_input') }}
),

final as (
    select * from ({{ ts_ema_by('input_rows', 'series_id', 'trade_date', 'x', 3) }})
)

select * from final
