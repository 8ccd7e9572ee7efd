-- Technical indicators per market and trading date, from staging.market_daily.
-- Windows count trading rows of one market. Volatility and momentum use the
-- roll-adjusted return (0 on a roll day) so that a roll neither creates a
-- fake return nor blanks the window for weeks after it.

with

market as (
    select * from {{ ref('market_daily') }}
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
        available_at
    from market
)

select * from final
