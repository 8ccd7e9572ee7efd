{%- set target = var('target_symbol') -%}
{%- set horizons = var('target_horizons') -%}
{%- set market_symbols = [target] + var('related_symbols') -%}
{%- set technical_columns = [
    'contract', 'is_roll', 'close', 'log_return', 'sma_5', 'sma_20',
    'close_to_sma_20', 'close_to_sma_60', 'close_zscore_20',
    'realized_vol_20', 'realized_vol_60', 'momentum_5', 'momentum_20',
    'momentum_60', 'range_position_20', 'volume_zscore_20',
] -%}
{%- set lag_columns = [
    'log_return_lag_1', 'log_return_lag_2', 'log_return_lag_3',
    'log_return_lag_5', 'log_return_lag_10',
] -%}
{%- set cot_columns = [
    'report_date', 'managed_money_net', 'managed_money_net_change',
    'managed_money_net_share', 'producer_net', 'swap_dealer_net',
    'open_interest',
] -%}
{%- set news_buckets = seed_values(
    'text_taxonomy', 'bucket', where="bucket not in ('none')"
) -%}
{%- set event_types = var('policy_event_buckets').values() | unique | list -%}
-- depends_on: {{ ref('fred_series') }}
-- depends_on: {{ ref('text_taxonomy') }}
-- One row per trading date of the target market, with every feature as
-- known at that date's decision time and the forward targets.
--
-- Point-in-time rule: each feature row is joined as of the decision time
-- (available_at <= decision_at), never by its reference date. Columns
-- starting with `target_` are the only ones that look forward. Each joined
-- block carries its age in days and its available_at. Its values are NULL
-- once the age passes var market_max_age_days (markets) or
-- cot_max_age_days (COT), so a source that stopped is not carried forward.

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

spreads as (
    select * from {{ ref('fundamental_spreads_daily') }}
),

weather as (
    select * from {{ ref('weather_features_daily') }}
),

sentiment as (
    select * from {{ ref('sentiment_features_daily') }}
),

neural as (
    select * from {{ ref('neural_signals_daily') }}
),

cot as (
    select
        *,
        managed_money_net
        - lag(managed_money_net) over (
            partition by market_code order by report_date
        ) as managed_money_net_change,
        managed_money_net / nullif(open_interest, 0) as managed_money_net_share
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
        {%- for horizon in horizons %}
        {{ ts_forward_sum('roll_adjusted_log_return', horizon) }} as target_fwd_logret_{{ horizon }}d,  -- noqa: LT05
        {%- endfor %}
        trade_date
    from market
    where symbol = '{{ target }}'
),

{%- for symbol in market_symbols %}
{%- set prefix = symbol | lower %}

technicals_{{ prefix }} as (
    select * from technicals
    where symbol = '{{ symbol }}'
),

market_{{ prefix }} as (
    select
        spine.trade_date,
        {%- for column in technical_columns %}
        case
            when spine.trade_date - tech.trade_date <= {{ var('market_max_age_days') }}
                then tech.{{ column }}
        end as {{ prefix }}_{{ column }},
        {%- endfor %}
        {%- for column in lag_columns %}
        case
            when spine.trade_date - tech.trade_date <= {{ var('market_max_age_days') }}
                then lagged.{{ column }}
        end as {{ prefix }}_{{ column }},
        {%- endfor %}
        spine.trade_date - tech.trade_date as {{ prefix }}_age_days,
        tech.available_at as {{ prefix }}_available_at
    from spine
    asof left join technicals_{{ prefix }} as tech
        on spine.decision_at >= tech.available_at
    left join lagged
        on
            tech.symbol = lagged.symbol
            and tech.trade_date = lagged.trade_date
),
{%- endfor %}

{%- for symbol in var('cot_symbols') %}
{%- set prefix = 'cot_' ~ (symbol | lower) %}

{{ prefix }}_reports as (
    select * from cot
    where root = '{{ symbol }}'
    -- Catch-up releases after a shutdown publish several reports at once;
    -- the as-of join needs one row per instant, so keep the latest report.
    qualify row_number() over (
        partition by available_at order by report_date desc
    ) = 1
),

{{ prefix }} as (
    select
        spine.trade_date,
        {%- for column in cot_columns %}
        case
            when spine.trade_date - reports.report_date <= {{ var('cot_max_age_days') }}
                then reports.{{ column }}
        end as {{ prefix }}_{{ column }},
        {%- endfor %}
        spine.trade_date - reports.report_date as {{ prefix }}_age_days,
        reports.available_at as {{ prefix }}_available_at
    from spine
    asof left join {{ prefix }}_reports as reports
        on spine.decision_at >= reports.available_at
),
{%- endfor %}

final as (
    select
        spine.trade_date,
        spine.decision_at,
        {%- for horizon in horizons %}
        targets.target_fwd_logret_{{ horizon }}d,
        sign(targets.target_fwd_logret_{{ horizon }}d) as target_fwd_sign_{{ horizon }}d,  -- noqa: LT05
        {%- endfor %}
        {%- for symbol in market_symbols %}
        {%- set prefix = symbol | lower %}
        {%- for column in technical_columns + lag_columns
            + ['age_days', 'available_at'] %}
        market_{{ prefix }}.{{ prefix }}_{{ column }},
        {%- endfor %}
        {%- endfor %}
        {%- for symbol in var('cot_symbols') %}
        {%- set prefix = 'cot_' ~ (symbol | lower) %}
        {%- for column in cot_columns + ['age_days', 'available_at'] %}
        {{ prefix }}.{{ prefix }}_{{ column }},
        {%- endfor %}
        {%- endfor %}
        {%- for series_id in fred_series_ids() %}
        macro.fred_{{ series_id | lower }},
        macro.fred_{{ series_id | lower }}_age_days,
        {%- endfor %}
        macro.latest_available_at as fred_available_at,
        spreads.board_crush_usd_per_bushel,
        spreads.oil_share_of_crush,
        spreads.boho_spread_usd_per_gallon,
        spreads.soy_palm_spread_usd_per_metric_ton,
        spreads.palm_age_days,
        spreads.soyoil_biofuel_feedstock_mmlb,
        spreads.feedstock_age_days,
        spreads.stocks_to_use_us,
        spreads.stocks_to_use_world,
        spreads.fundamentals_available_at,
        {%- for region in var('weather_regions') %}
        {%- for column in [
            'tmax_c', 'tmin_c', 'precip_mm', 'gdd_base10_cap30',
            'dry_spell_days', 'tmax_anomaly_c', 'tmin_anomaly_c',
            'precip_anomaly_mm', 'weather_age_days', 'weather_available_at',
        ] %}
        weather.{{ region }}_{{ column }},
        {%- endfor %}
        {%- endfor %}
        {%- for bucket in news_buckets %}
        {%- for measure in [
            'count', 'sentiment', 'trust_weighted_sentiment',
            'volume_normalized_sentiment',
        ] %}
        sentiment.news_{{ bucket }}_{{ measure }},
        {%- endfor %}
        {%- endfor %}
        sentiment.news_available_at,
        {%- for event_type in event_types %}
        sentiment.trump_{{ event_type }}_events,
        sentiment.trump_{{ event_type }}_impact,
        {%- endfor %}
        sentiment.trump_policy_impact,
        sentiment.trump_post_count,
        sentiment.trump_mean_sentiment,
        sentiment.policy_available_at,
        neural.scored_texts as neural_scored_texts,
        neural.mean_prob_positive as neural_mean_prob_positive,
        neural.mean_prob_negative as neural_mean_prob_negative,
        neural.mean_prob_neutral as neural_mean_prob_neutral,
        neural.mean_confidence as neural_mean_confidence,
        neural.sentiment_disagreement as neural_sentiment_disagreement,
        neural.truncated_share as neural_truncated_share,
        neural.scorer as neural_scorer,
        neural.available_at as neural_available_at,
        spreads.crush_available_at
    from spine
    {% for symbol in market_symbols -%}
    left join market_{{ symbol | lower }}
        on spine.trade_date = market_{{ symbol | lower }}.trade_date
    {% endfor -%}
    {% for symbol in var('cot_symbols') -%}
    left join cot_{{ symbol | lower }}
        on spine.trade_date = cot_{{ symbol | lower }}.trade_date
    {% endfor -%}
    left join macro on spine.trade_date = macro.as_of_date
    left join spreads on spine.trade_date = spreads.trade_date
    left join weather on spine.trade_date = weather.trade_date
    left join sentiment on spine.trade_date = sentiment.trade_date
    left join neural on spine.trade_date = neural.trade_date
    left join targets on spine.trade_date = targets.trade_date
)

select * from final
