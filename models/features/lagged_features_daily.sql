-- Lagged returns, technicals and volume and open interest changes per market
-- and trading date. A lag of k is the value k trading rows earlier in the
-- same market, so every value was public before the row's own available_at.

{%- set technical_lags = {
    'rsi_14': [1, 5],
    'realized_vol_20': [1, 5],
    'macd_histogram_to_close': [1, 5],
    'volume_change_pct_1': [1, 2],
    'open_interest_change_pct_1': [1, 2],
} %}

with

market as (
    select * from {{ ref('market_daily') }}
),

technicals as (
    select * from {{ ref('technical_indicators_us_oil_solutions') }}
),

final as (
    select
        market.symbol,
        market.trade_date,
        {%- for lag in [1, 2, 3, 5, 10] %}
        {{ ts_lag('market.roll_adjusted_log_return', lag, 'market.symbol', 'market.trade_date') }} as log_return_lag_{{ lag }},  -- noqa: LT05
        {%- endfor %}
        {{ ts_lag('market.close', 1, 'market.symbol', 'market.trade_date') }} as close_lag_1,  -- noqa: LT05
        {{ ts_lag('market.volume', 1, 'market.symbol', 'market.trade_date') }} as volume_lag_1,  -- noqa: LT05
        {%- for column, lags in technical_lags.items() %}
        {%- for lag in lags %}
        {{ ts_lag('technicals.' ~ column, lag, 'market.symbol', 'market.trade_date') }} as {{ column }}_lag_{{ lag }},  -- noqa: LT05
        {%- endfor %}
        {%- endfor %}
        market.available_at
    from market
    inner join technicals
        on
            market.symbol = technicals.symbol
            and market.trade_date = technicals.trade_date
)

select * from final
