-- The smoothing_harness macros again, reading the row numbers, counts and
-- previous values from columns computed beforehand, as the technical
-- indicators do. Its unit tests expect exactly the smoothing_harness values.

with

input_rows as (
    select
        series_id,
        cast(trade_date as date) as trade_date,
        cast(x as double) as x
    from {{ ref('macro_harness_input') }}
),

indexed as (
    select
        *,
        row_number() {{ ts_over('series_id', 'trade_date') }} as row_in_series,
        {{ ts_running_count('x', 'series_id', 'trade_date') }} as x_count,
        {{ ts_lag('x', 1, 'series_id') }} as previous_x
    from input_rows
),

with_seen as (
    select
        *,
        {{ ts_running_true('x_count >= 1', 'series_id', 'trade_date') }}
            as rows_since_first_x
    from indexed
),

with_ema as (
    select * from ({{ ts_ema_by(
        'with_seen', 'series_id', 'trade_date', 'x', 10,
        row_column='row_in_series', count_column='x_count'
    ) }})
),

with_rsi as (
    select * from ({{ ts_rsi_wilder_by(
        'with_ema', 'series_id', 'trade_date', 'x', 3,
        row_column='row_in_series', previous_column='previous_x'
    ) }})
),

with_macd as (
    select * from ({{ ts_macd_by(
        'with_rsi', 'series_id', 'trade_date', 'x', fast=3, slow=5, signal=3,
        row_column='row_in_series', seen_column='rows_since_first_x',
        count_column='x_count'
    ) }})
),

final as (
    {{ smoothing_checkpoints('with_macd', 'row_in_series') }}
)

select * from final
