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
    select
        series_id,
        trade_date,
        x,
        round(x_ema_10, 8) as x_ema_10,
        round(x_rsi_3, 8) as x_rsi_3,
        round(x_macd, 8) as x_macd,
        round(x_macd_signal, 8) as x_macd_signal,
        round(x_macd_histogram, 8) as x_macd_histogram
    from numbered
    where
        row_in_series <= 12
        or row_in_series in (74, 75, 76, 111, 112, 113, 203, 204, 205, 406, 407, 500)
)

select * from final
