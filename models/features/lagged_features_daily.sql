-- Lagged roll-adjusted returns per market and trading date. A lag of k is
-- the return k trading rows earlier in the same market, so every value was
-- public before the row's own available_at.

with

market as (
    select * from {{ ref('market_daily') }}
),

final as (
    select
        symbol,
        trade_date,
        {%- for lag in [1, 2, 3, 5, 10] %}
        {{ ts_lag('roll_adjusted_log_return', lag, 'symbol') }} as log_return_lag_{{ lag }},  -- noqa: LT05
        {%- endfor %}
        {{ ts_lag('close', 1, 'symbol') }} as close_lag_1,
        {{ ts_lag('volume', 1, 'symbol') }} as volume_lag_1,
        available_at
    from market
)

select * from final
