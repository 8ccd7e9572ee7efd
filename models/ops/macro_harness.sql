-- Applies every ts_ macro to a small input so that the macros' dbt unit
-- tests can check them against hand-computed values. Outputs are rounded
-- to 6 decimals to make the expected values exact.

with

input_rows as (
    select
        series_id,
        cast(trade_date as date) as trade_date,
        cast(x as double) as x,
        cast(y as double) as y,
        cast(open_price as double) as open_price,
        cast(high_price as double) as high_price,
        cast(low_price as double) as low_price,
        cast(close_price as double) as close_price
    from {{ ref('macro_harness_input') }}
),

with_true_range as (
    select
        *,
        {{ ts_true_range('high_price', 'low_price', 'close_price', 'series_id') }}
            as true_range_raw,
        {{ ts_stochastic_k(
            'high_price', 'low_price', 'close_price', 3, 'series_id'
        ) }} as stochastic_k_3_raw
    from input_rows
),

final as (
    select
        series_id,
        trade_date,
        x,
        round({{ ts_sma('x', 3, 'series_id') }}, 6) as sma_3,
        round({{ ts_sma('x', 2, 'series_id') }}, 6) as sma_2,
        round({{ ts_stddev('x', 3, 'series_id') }}, 6) as stddev_3,
        round({{ ts_zscore('x', 3, 'series_id') }}, 6) as zscore_3,
        round({{ ts_realized_vol('x', 3, 'series_id') }}, 6) as realized_vol_3,
        {{ ts_min('x', 3, 'series_id') }} as min_3,
        {{ ts_max('x', 3, 'series_id') }} as max_3,
        {{ ts_sum('x', 3, 'series_id') }} as sum_3,
        {{ ts_lag('x', 1, 'series_id') }} as lag_1,
        round({{ ts_log_return('x', 1, 'series_id') }}, 6) as log_return_1,
        round({{ ts_roc('x', 2, 'series_id') }}, 6) as roc_2,
        {{ ts_forward_sum('x', 2, 'series_id') }} as forward_sum_2,
        {{ ts_ffill('x', 'series_id') }} as ffill,
        {{ ts_ffill_max_age('x', 'trade_date', 1, 'series_id') }} as ffill_max_age_1,
        round(
            {{ ts_parkinson_vol('high_price', 'low_price', 3, 'series_id') }}, 6
        ) as parkinson_vol_3,
        round(
            {{ ts_garman_klass_vol(
                'open_price', 'high_price', 'low_price', 'close_price', 3,
                'series_id'
            ) }},
            6
        ) as garman_klass_vol_3,
        round({{ ts_bollinger('x', 3, 2, 'series_id') }}, 6) as bollinger_upper_3,
        round({{ ts_bollinger('x', 3, -2, 'series_id') }}, 6) as bollinger_lower_3,
        round(true_range_raw, 6) as true_range,
        round({{ ts_atr('true_range_raw', 3, 'series_id') }}, 6) as atr_3,
        round(
            {{ ts_stochastic_k(
                'high_price', 'low_price', 'close_price', 3, 'series_id'
            ) }},
            6
        ) as stochastic_k_3,
        round(
            {{ ts_stochastic_d('stochastic_k_3_raw', 2, 'series_id') }}, 6
        ) as stochastic_d_2,
        round({{ ts_rolling_corr('x', 'y', 3, 'series_id') }}, 6) as corr_3,
        round({{ ts_rolling_beta('y', 'x', 3, 'series_id') }}, 6) as beta_3,
        {{ decision_at('trade_date') }} as decision_at
    from with_true_range
)

select * from final
