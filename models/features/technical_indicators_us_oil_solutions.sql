-- Technical indicators per market and trading date, from staging.market_daily.
-- Windows count trading rows of one market. Volatility, momentum and rate of
-- change use the roll-adjusted return (0 on a roll day) so that a roll
-- neither creates a fake return nor blanks the window for weeks after it.
-- Every input is an earlier or the current row of the same market, so a
-- row's available_at is that market row's available_at.
--
-- NOTE: the price-level indicators (SMA, EMA, MACD, RSI, Bollinger, ATR,
-- stochastic) use the front-month close as published, so a roll's price
-- gap between contracts moves them like a real price change.

with

market as (
    select * from {{ ref('market_daily') }}
),

with_ranges as (
    select
        *,
        {{ ts_true_range('high', 'low', 'close', 'symbol') }} as true_range,
        {{ ts_stochastic_k('high', 'low', 'close', 14, 'symbol') }}
            as stochastic_k_14
    from market
),

with_ema_12 as (
    {{ ts_ema_by('with_ranges', 'symbol', 'trade_date', 'close', 12) }}
),

with_ema_26 as (
    {{ ts_ema_by('with_ema_12', 'symbol', 'trade_date', 'close', 26) }}
),

with_macd as (
    {{ ts_macd_by('with_ema_26', 'symbol', 'trade_date', 'close') }}
),

with_rsi as (
    {{ ts_rsi_wilder_by('with_macd', 'symbol', 'trade_date', 'close', 14) }}
),

final as (
    select
        symbol,
        trade_date,
        contract,
        is_roll,
        close,
        log_return,
        roll_adjusted_log_return,
        {{ ts_sma('close', 5, 'symbol') }} as sma_5,
        {{ ts_sma('close', 20, 'symbol') }} as sma_20,
        {{ ts_sma('close', 60, 'symbol') }} as sma_60,
        close / nullif({{ ts_sma('close', 20, 'symbol') }}, 0) - 1
            as close_to_sma_20,
        close / nullif({{ ts_sma('close', 60, 'symbol') }}, 0) - 1
            as close_to_sma_60,
        {{ ts_zscore('close', 20, 'symbol') }} as close_zscore_20,
        {{ ts_realized_vol('roll_adjusted_log_return', 20, 'symbol') }}
            as realized_vol_20,
        {{ ts_realized_vol('roll_adjusted_log_return', 60, 'symbol') }}
            as realized_vol_60,
        {{ ts_sum('roll_adjusted_log_return', 5, 'symbol') }} as momentum_5,
        {{ ts_sum('roll_adjusted_log_return', 20, 'symbol') }} as momentum_20,
        {{ ts_sum('roll_adjusted_log_return', 60, 'symbol') }} as momentum_60,
        (close - {{ ts_min('low', 20, 'symbol') }})
        / nullif(
            {{ ts_max('high', 20, 'symbol') }}
            - {{ ts_min('low', 20, 'symbol') }},
            0
        ) as range_position_20,
        {{ ts_zscore('volume', 20, 'symbol') }} as volume_zscore_20,
        close_ema_12 as ema_12,
        close_ema_26 as ema_26,
        close_macd as macd,
        close_macd_signal as macd_signal,
        close_macd_histogram as macd_histogram,
        close_macd / nullif(close, 0) as macd_to_close,
        close_macd_signal / nullif(close, 0) as macd_signal_to_close,
        close_macd_histogram / nullif(close, 0) as macd_histogram_to_close,
        close_rsi_14 as rsi_14,
        (close - {{ ts_bollinger('close', 20, -2, 'symbol') }})
        / nullif(
            {{ ts_bollinger('close', 20, 2, 'symbol') }}
            - {{ ts_bollinger('close', 20, -2, 'symbol') }},
            0
        ) as bollinger_pct_b_20,
        (
            {{ ts_bollinger('close', 20, 2, 'symbol') }}
            - {{ ts_bollinger('close', 20, -2, 'symbol') }}
        ) / nullif({{ ts_sma('close', 20, 'symbol') }}, 0) as bollinger_bandwidth_20,
        {{ ts_atr('true_range', 14, 'symbol') }} / nullif(close, 0) as atr_14_to_close,
        stochastic_k_14,
        {{ ts_stochastic_d('stochastic_k_14', 3, 'symbol') }} as stochastic_d_3,
        exp({{ ts_sum('roll_adjusted_log_return', 5, 'symbol') }}) - 1 as roc_5,
        exp({{ ts_sum('roll_adjusted_log_return', 20, 'symbol') }}) - 1 as roc_20,
        {{ ts_parkinson_vol('high', 'low', 20, 'symbol') }} as parkinson_vol_20,
        {{ ts_garman_klass_vol('open', 'high', 'low', 'close', 20, 'symbol') }}
            as garman_klass_vol_20,
        -- A roll switches the front contract, whose open interest and
        -- volume are not comparable with the previous contract's.
        case
            when not is_roll
                then open_interest - {{ ts_lag('open_interest', 1, 'symbol') }}
        end as open_interest_change_1,
        case
            when not is_roll
                then
                    open_interest
                    / nullif({{ ts_lag('open_interest', 1, 'symbol') }}, 0) - 1
        end as open_interest_change_pct_1,
        case
            when not is_roll
                then volume / nullif({{ ts_lag('volume', 1, 'symbol') }}, 0) - 1
        end as volume_change_pct_1,
        available_at
    from with_rsi
)

select * from final
