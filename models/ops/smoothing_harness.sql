-- Applies the recursive-style relation macros (ts_ema_by, ts_rsi_wilder_by,
-- ts_macd_by) to the macro harness input, for their dbt unit tests. Rows
-- 1-12 of each series are kept, then only checkpoints on both sides of the
-- block boundaries of ts_ewms_by, so long inputs stay readable in the
-- tests. Blocks hold 74 values for the MACD signal (alpha 1/2) and 203 for
-- EMA 10 (alpha 2/11). RSI and both MACD EMAs use 111 (alpha 1/3), because
-- the MACD EMAs share the block of the smaller alpha.

with

input_rows as (
    select
        series_id,
        cast(trade_date as date) as trade_date,
        cast(x as double) as x
    from {{ ref('macro_harness_input') }}
),

with_ema as (
    select * from ({{ ts_ema_by('input_rows', 'series_id', 'trade_date', 'x', 10) }})
),

with_rsi as (
    select * from (
        {{ ts_rsi_wilder_by('with_ema', 'series_id', 'trade_date', 'x', 3) }}
    )
),

with_macd as (
    select * from (
        {{ ts_macd_by(
            'with_rsi', 'series_id', 'trade_date', 'x', fast=3, slow=5, signal=3
        ) }}
    )
),

numbered as (
    select
        *,
        row_number() over (
            partition by series_id order by trade_date
        ) as row_in_series
    from with_macd
),

final as (
    {{ smoothing_checkpoints('numbered', 'row_in_series') }}
)

select * from final
