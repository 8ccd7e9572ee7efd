{%- set target = var('target_symbol') -%}
{%- set horizons = var('target_horizons') -%}
{%- set market_symbols = [target] + var('related_symbols') -%}
{%- set market_columns = matrix_market_columns() -%}
{%- set cot_columns = matrix_cot_columns()[:-2] | map('first') | list -%}
{%- set blocks = matrix_blocks() -%}
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
    select
        * exclude (latest_available_at),
        latest_available_at as fred_available_at
    from {{ ref('macro_features_daily') }}
),

spreads as (
    select
        *,
        {{ days_since_public('crush_available_at') }} as crush_age_days,
        {{ days_since_public('fundamentals_available_at') }} as fundamentals_age_days
    from {{ ref('fundamental_spreads_daily') }}
),

weather as (
    select * from {{ ref('weather_features_daily') }}
),

sentiment as (
    select
        *,
        {{ days_since_public('news_available_at') }} as news_age_days,
        {{ days_since_public('policy_available_at') }} as policy_age_days
    from {{ ref('sentiment_features_daily') }}
),

fx as (
    select * exclude (decision_at) from {{ ref('fx_indicators_daily') }}
),

pairs as (
    select * exclude (decision_at) from {{ ref('pair_correlations_daily') }}
),

betas as (
    select * exclude (decision_at) from {{ ref('cross_asset_betas_daily') }}
),

regimes as (
    select * exclude (decision_at) from {{ ref('regime_indicators_daily') }}
),

neural as (
    select
        trade_date,
        scored_texts as neural_scored_texts,
        mean_prob_positive as neural_mean_prob_positive,
        mean_prob_negative as neural_mean_prob_negative,
        mean_prob_neutral as neural_mean_prob_neutral,
        mean_confidence as neural_mean_confidence,
        sentiment_disagreement as neural_sentiment_disagreement,
        truncated_share as neural_truncated_share,
        scorer as neural_scorer,
        available_at as neural_available_at,
        {{ days_since_public('available_at') }} as neural_age_days
    from {{ ref('neural_signals_daily') }}
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
        sign({{ ts_forward_sum('roll_adjusted_log_return', horizon) }}) as target_fwd_sign_{{ horizon }}d,  -- noqa: LT05
        {%- endfor %}
        trade_date
    from market
    where symbol = '{{ target }}'
),

{%- for symbol in market_symbols %}
{%- set prefix = symbol | lower %}

market_rows_{{ prefix }} as (
    select
        technicals.trade_date,
        technicals.available_at
        {%- for column, model, description in market_columns %}
        {%- set relation = 'technicals' if model == 'technical' else 'lagged' %},
        {{ relation }}.{{ column }}
        {%- endfor %}
    from technicals
    left join lagged
        on
            technicals.symbol = lagged.symbol
            and technicals.trade_date = lagged.trade_date
    where technicals.symbol = '{{ symbol }}'
),

market_{{ prefix }} as (
    {{ ts_asof_join(
        'spine', 'market_rows_' ~ prefix, 'decision_at',
        columns=market_columns | map('first') | list,
        prefix=prefix ~ '_',
        reference_date='trade_date',
        left_date='trade_date',
        max_age_days=var('market_max_age_days')
    ) }}
),
{%- endfor %}

{%- for symbol in var('cot_symbols') %}
{%- set prefix = 'cot_' ~ (symbol | lower) %}

{{ prefix }}_reports as (
    select * from cot
    where root = '{{ symbol }}'
),

-- Catch-up releases after a shutdown publish several reports at once;
-- ts_asof_join keeps the latest report of each instant.
{{ prefix }} as (
    {{ ts_asof_join(
        'spine', prefix ~ '_reports', 'decision_at',
        columns=cot_columns,
        prefix=prefix ~ '_',
        reference_date='report_date',
        left_date='trade_date',
        max_age_days=var('cot_max_age_days')
    ) }}
),
{%- endfor %}

final as (
    select
        spine.trade_date,
        spine.decision_at
        {%- for block in blocks %}
        {%- for column, description in block.columns %},
        {{ block.cte }}.{{ column }}
        {%- endfor %}
        {%- endfor %}
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
    left join fx on spine.trade_date = fx.trade_date
    left join pairs on spine.trade_date = pairs.trade_date
    left join betas on spine.trade_date = betas.trade_date
    left join regimes on spine.trade_date = regimes.trade_date
    left join neural on spine.trade_date = neural.trade_date
    left join targets on spine.trade_date = targets.trade_date
)

select * from final
