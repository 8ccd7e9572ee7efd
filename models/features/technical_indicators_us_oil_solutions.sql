-- Technical indicators per market and trading date, from staging.market_daily.
-- Windows count trading rows of one market. Volatility, momentum and rate of
-- change use the roll-adjusted return (0 on a roll day) so that a roll
-- neither creates a fake return nor blanks the window for weeks after it.
-- Every input is an earlier or the current row of the same market, so a
-- row's available_at is that market row's available_at.
--
-- DuckDB carries every column of a window step's input through its sort,
-- so each step reads only the columns it needs. The first two steps also
-- compute the row numbers, previous close and counts that the smoothing
-- macros would otherwise sort for, so the EMAs, the MACD signal and the RSI
-- cost one sort each. The RSI reads the MACD output in place of a third join.
--
-- NOTE: the price-level indicators (SMA, EMA, MACD, RSI, Bollinger, ATR,
-- stochastic) use the front-month close as published, so a roll's price
-- gap between contracts moves them like a real price change.

with

market as (
    select * from {{ ref('market_daily') }}
),

bars as (
    select
        symbol,
        trade_date,
        open,
        high,
        low,
        close,
        volume,
        open_interest,
        roll_adjusted_log_return,
        is_roll
    from market
),

with_ranges as (
    select
        *,
        {{ ts_true_range('high', 'low', 'close', 'symbol') }} as true_range,
        {{ ts_stochastic_k('high', 'low', 'close', 14, 'symbol') }}
            as stochastic_k_14,
        {{ ts_lag('close', 1, 'symbol') }} as previous_close,
        row_number() {{ ts_over('symbol', 'trade_date') }} as row_in_market,
        {{ ts_running_count('close', 'symbol', 'trade_date') }} as close_count
    from bars
),

-- Each distinct window aggregate is computed once here, and `rolling`
-- combines them with the same arithmetic as ts_zscore and ts_bollinger.
rolling_windows as (
    select
        symbol,
        trade_date,
        close,
        previous_close,
        row_in_market,
        close_count,
        -- Rows from the market's first close on, for ts_macd_by.
        {{ ts_running_true('close_count >= 1', 'symbol', 'trade_date') }}
            as rows_since_first_close,
        {{ ts_sma('close', 5, 'symbol') }} as sma_5,
        {{ ts_sma('close', 20, 'symbol') }} as sma_20,
        {{ ts_sma('close', 60, 'symbol') }} as sma_60,
        {{ ts_stddev('close', 20, 'symbol') }} as close_stddev_20,
        {{ ts_realized_vol('roll_adjusted_log_return', 20, 'symbol') }}
            as realized_vol_20,
        {{ ts_realized_vol('roll_adjusted_log_return', 60, 'symbol') }}
            as realized_vol_60,
        {{ ts_sum('roll_adjusted_log_return', 5, 'symbol') }} as momentum_5,
        {{ ts_sum('roll_adjusted_log_return', 20, 'symbol') }} as momentum_20,
        {{ ts_sum('roll_adjusted_log_return', 60, 'symbol') }} as momentum_60,
        {{ ts_min('low', 20, 'symbol') }} as low_min_20,
        {{ ts_max('high', 20, 'symbol') }} as high_max_20,
        {{ ts_zscore('volume', 20, 'symbol') }} as volume_zscore_20,
        {{ ts_atr('true_range', 14, 'symbol') }} / nullif(close, 0)
            as atr_14_to_close,
        stochastic_k_14,
        {{ ts_stochastic_d('stochastic_k_14', 3, 'symbol') }} as stochastic_d_3,
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
        end as volume_change_pct_1
    from with_ranges
),

rolling as (
    select
        * exclude (
            close,
            previous_close,
            row_in_market,
            close_count,
            rows_since_first_close,
            close_stddev_20,
            low_min_20,
            high_max_20
        ),
        close / nullif(sma_20, 0) - 1 as close_to_sma_20,
        close / nullif(sma_60, 0) - 1 as close_to_sma_60,
        (close - sma_20) / nullif(close_stddev_20, 0) as close_zscore_20,
        (close - low_min_20) / nullif(high_max_20 - low_min_20, 0)
            as range_position_20,
        -- Bands sma(20) + k * stddev(20) with k = 2 and k = -2.
        (close - (sma_20 + (-2) * close_stddev_20))
        / nullif(
            (sma_20 + (2) * close_stddev_20)
            - (sma_20 + (-2) * close_stddev_20),
            0
        ) as bollinger_pct_b_20,
        (
            (sma_20 + (2) * close_stddev_20)
            - (sma_20 + (-2) * close_stddev_20)
        ) / nullif(sma_20, 0) as bollinger_bandwidth_20,
        exp(momentum_5) - 1 as roc_5,
        exp(momentum_20) - 1 as roc_20
    from rolling_windows
),

prices as (
    select
        symbol,
        trade_date,
        close,
        previous_close,
        row_in_market,
        close_count,
        rows_since_first_close
    from rolling_windows
),

with_emas as (
    {{ ts_ema_by(
        'prices', 'symbol', 'trade_date', 'close', [12, 26],
        row_column='row_in_market', count_column='close_count'
    ) }}
),

with_macd as (
    {{ ts_macd_by(
        'with_emas', 'symbol', 'trade_date', 'close',
        fast_ema='close_ema_12', slow_ema='close_ema_26',
        row_column='row_in_market', seen_column='rows_since_first_close'
    ) }}
),

with_rsi as (
    {{ ts_rsi_wilder_by(
        'with_macd', 'symbol', 'trade_date', 'close', 14,
        row_column='row_in_market', previous_column='previous_close'
    ) }}
),

final as (
    select
        market.symbol,
        market.trade_date,
        market.contract,
        market.is_roll,
        market.close,
        market.log_return,
        market.roll_adjusted_log_return,
        rolling.sma_5,
        rolling.sma_20,
        rolling.sma_60,
        rolling.close_to_sma_20,
        rolling.close_to_sma_60,
        rolling.close_zscore_20,
        rolling.realized_vol_20,
        rolling.realized_vol_60,
        rolling.momentum_5,
        rolling.momentum_20,
        rolling.momentum_60,
        rolling.range_position_20,
        rolling.volume_zscore_20,
        with_rsi.close_ema_12 as ema_12,
        with_rsi.close_ema_26 as ema_26,
        with_rsi.close_macd as macd,
        with_rsi.close_macd_signal as macd_signal,
        with_rsi.close_macd_histogram as macd_histogram,
        with_rsi.close_macd / nullif(market.close, 0) as macd_to_close,
        with_rsi.close_macd_signal / nullif(market.close, 0)
            as macd_signal_to_close,
        with_rsi.close_macd_histogram / nullif(market.close, 0)
            as macd_histogram_to_close,
        with_rsi.close_rsi_14 as rsi_14,
        rolling.bollinger_pct_b_20,
        rolling.bollinger_bandwidth_20,
        rolling.atr_14_to_close,
        rolling.stochastic_k_14,
        rolling.stochastic_d_3,
        rolling.roc_5,
        rolling.roc_20,
        rolling.parkinson_vol_20,
        rolling.garman_klass_vol_20,
        rolling.open_interest_change_1,
        rolling.open_interest_change_pct_1,
        rolling.volume_change_pct_1,
        market.available_at
    from market
    inner join rolling
        on
            market.symbol = rolling.symbol
            and market.trade_date = rolling.trade_date
    inner join with_rsi
        on
            market.symbol = with_rsi.symbol
            and market.trade_date = with_rsi.trade_date
)

select * from final
