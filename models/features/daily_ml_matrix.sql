{%- set target = var('target_symbol') -%}
{%- set horizons = var('target_horizons') -%}
-- One row per trading date of the target market, with every feature as
-- known at that date's decision time and the forward targets.
--
-- Point-in-time rule: each feature row is joined as of the decision time
-- (available_at <= decision_at), never by its reference date. Columns
-- starting with `target_` are the only ones that look forward.

with

market as (
    select * from {{ ref('market_daily') }}
),

technicals as (
    select * from {{ ref('technical_indicators_us_oil_solutions') }}
),

lagged as (
    select * from {{ ref('lagged_features_daily') }}
),

macro as (
    select * from {{ ref('macro_features_daily') }}
),

cot as (
    select
        *,
        managed_money_net
        - lag(managed_money_net) over (
            partition by market_code order by report_date
        ) as managed_money_net_change
    from {{ ref('cftc_cot') }}
),

spine as (
    select
        trade_date,
        {{ decision_at('trade_date') }} as decision_at
    from market
    where symbol = '{{ target }}'
),

targets as (
    select
        trade_date,
        {% for horizon in horizons -%}
            {{ ts_forward_sum('roll_adjusted_log_return', horizon) }}
            as target_fwd_logret_{{ horizon }}d{{ "," if not loop.last }}
        {% endfor %}
    from market
    where symbol = '{{ target }}'
),

{% for symbol in [target] + var('related_symbols') %}
    {%- set prefix = symbol | lower %}
    market_{{ prefix }} as (
        select
            spine.trade_date,
            tech.trade_date as {{ prefix }}_trade_date,
            tech.contract as {{ prefix }}_contract,
            tech.is_roll as {{ prefix }}_is_roll,
            tech.close as {{ prefix }}_close,
            tech.log_return as {{ prefix }}_log_return,
            tech.sma_5 as {{ prefix }}_sma_5,
            tech.sma_20 as {{ prefix }}_sma_20,
            tech.close_to_sma_20 as {{ prefix }}_close_to_sma_20,
            tech.close_to_sma_60 as {{ prefix }}_close_to_sma_60,
            tech.close_zscore_20 as {{ prefix }}_close_zscore_20,
            tech.realized_vol_20 as {{ prefix }}_realized_vol_20,
            tech.realized_vol_60 as {{ prefix }}_realized_vol_60,
            tech.momentum_5 as {{ prefix }}_momentum_5,
            tech.momentum_20 as {{ prefix }}_momentum_20,
            tech.momentum_60 as {{ prefix }}_momentum_60,
            tech.range_position_20 as {{ prefix }}_range_position_20,
            tech.volume_zscore_20 as {{ prefix }}_volume_zscore_20,
            lagged.log_return_lag_1 as {{ prefix }}_log_return_lag_1,
            lagged.log_return_lag_2 as {{ prefix }}_log_return_lag_2,
            lagged.log_return_lag_3 as {{ prefix }}_log_return_lag_3,
            lagged.log_return_lag_5 as {{ prefix }}_log_return_lag_5,
            lagged.log_return_lag_10 as {{ prefix }}_log_return_lag_10,
            spine.trade_date - tech.trade_date as {{ prefix }}_age_days,
            tech.available_at as {{ prefix }}_available_at
        from spine
        asof left join (
            select * from technicals where symbol = '{{ symbol }}'
        ) as tech
            on spine.decision_at >= tech.available_at
        left join lagged
            on
                tech.symbol = lagged.symbol
                and tech.trade_date = lagged.trade_date
    ),
{% endfor %}

{% for symbol in var('cot_symbols') %}
    {%- set prefix = 'cot_' ~ (symbol | lower) %}
    {{ prefix }} as (
        select
            spine.trade_date,
            cot.report_date as {{ prefix }}_report_date,
            cot.managed_money_net as {{ prefix }}_managed_money_net,
            cot.managed_money_net_change
            as {{ prefix }}_managed_money_net_change,
            cot.managed_money_net / nullif(cot.open_interest, 0)
            as {{ prefix }}_managed_money_net_share,
            cot.producer_net as {{ prefix }}_producer_net,
            cot.swap_dealer_net as {{ prefix }}_swap_dealer_net,
            cot.open_interest as {{ prefix }}_open_interest,
            spine.trade_date - cot.report_date as {{ prefix }}_age_days,
            cot.available_at as {{ prefix }}_available_at
        from spine
        asof left join (
            select * from cot where root = '{{ symbol }}'
        ) as cot
            on spine.decision_at >= cot.available_at
    ),
{% endfor %}

final as (
    select
        spine.trade_date,
        spine.decision_at,
        {% for symbol in [target] + var('related_symbols') -%}
            market_{{ symbol | lower }}.* exclude (trade_date),
        {% endfor -%}
        {% for symbol in var('cot_symbols') -%}
            cot_{{ symbol | lower }}.* exclude (trade_date),
        {% endfor -%}
        macro.* exclude (as_of_date, latest_available_at),
        {% for horizon in horizons -%}
            targets.target_fwd_logret_{{ horizon }}d,
            sign(targets.target_fwd_logret_{{ horizon }}d)
            as target_fwd_sign_{{ horizon }}d{{ "," if not loop.last }}
        {% endfor %}
    from spine
    {% for symbol in [target] + var('related_symbols') -%}
        left join market_{{ symbol | lower }}
            on spine.trade_date = market_{{ symbol | lower }}.trade_date
    {% endfor -%}
    {% for symbol in var('cot_symbols') -%}
        left join cot_{{ symbol | lower }}
            on spine.trade_date = cot_{{ symbol | lower }}.trade_date
    {% endfor -%}
    left join macro on spine.trade_date = macro.as_of_date
    left join targets on spine.trade_date = targets.trade_date
)

select * from final
