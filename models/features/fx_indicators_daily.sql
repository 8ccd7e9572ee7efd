{%- set currencies = var('fx_series') -%}
{%- set market_symbols = var('fx_market_symbols') -%}
{%- set feature_columns = [] -%}
{%- for horizon in var('fx_return_horizons') -%}
{%- do feature_columns.append('log_return_' ~ horizon) -%}
{%- endfor -%}
{%- for window in var('fx_vol_windows') -%}
{%- do feature_columns.append('realized_vol_' ~ window) -%}
{%- endfor -%}
{%- for window in var('fx_trend_windows') -%}
{%- do feature_columns.append('to_sma_' ~ window) -%}
{%- do feature_columns.append('zscore_' ~ window) -%}
{%- endfor -%}
-- FX indicators per trading date of the target market. For each currency
-- in var fx_series: log returns, realized volatility and trend of its
-- series. They are computed on the series' own observation dates, then
-- joined as of the trade date's decision time.
--
-- FRED values are first releases (fred_first_release). A currency in var
-- fx_market_symbols also has a market series (market_daily close); its
-- indicators come from the market while that series is within
-- market_max_age_days, and from FRED otherwise, never mixing the two in
-- one window. Windows count observations, not sessions: for a monthly
-- series (ARGCCUSMA02STM) a 1-observation return is a monthly return and
-- realized volatility is annualized with sqrt(12) instead of sqrt(252).
-- An indicator row's available_at is the running maximum of the
-- available_at of its series' observations up to it, so no window uses a
-- value published after the row. Values older than the series'
-- max_age_days (fred_series seed) are NULL. Indicators are rounded to 10
-- decimals, so that unit tests can state exact expected values.

with

market as (
    select * from {{ ref('market_daily') }}
),

first_release as (
    select * from {{ ref('fred_first_release') }}
),

series as (
    select * from {{ ref('fred_series') }}
),

spine as (
    select
        trade_date,
        {{ decision_at('trade_date') }} as decision_at
    from market
    where symbol = '{{ var("target_symbol") }}'
),

fred_feeds as (
    select
        feed_map.currency,
        feed_map.series_id
    from (
        values
        (cast(null as varchar), cast(null as varchar))
        {%- for key, value in currencies.items() %},
        ('{{ key }}', '{{ value }}')
        {%- endfor %}
    ) as feed_map (currency, series_id)
    where feed_map.currency is not null
),

market_feeds as (
    select
        feed_map.currency,
        feed_map.symbol
    from (
        values
        (cast(null as varchar), cast(null as varchar))
        {%- for key, value in market_symbols.items() %},
        ('{{ key }}', '{{ value }}')
        {%- endfor %}
    ) as feed_map (currency, symbol)
    where feed_map.currency is not null
),

fred_observations as (
    select
        fred_feeds.currency || ':fred' as feed,
        first_release.observation_date,
        first_release.value as rate,
        first_release.available_at as input_available_at,
        case series.frequency
            when 'D' then 252
            when 'W' then 52
            when 'M' then 12
            when 'Q' then 4
        end as periods_per_year,
        coalesce(series.max_age_days, 45) as max_age_days
    from first_release
    inner join fred_feeds on first_release.series_id = fred_feeds.series_id
    left join series on first_release.series_id = series.series_id
),

market_observations as (
    select
        market_feeds.currency || ':market' as feed,
        market.trade_date as observation_date,
        market.close as rate,
        market.available_at as input_available_at,
        252 as periods_per_year,
        {{ var('market_max_age_days') }} as max_age_days
    from market
    inner join market_feeds on market.symbol = market_feeds.symbol
),

observations as (
    select * from fred_observations
    union all
    select * from market_observations
),

with_returns as (
    select
        *,
        {%- for horizon in var('fx_return_horizons') %}
        {{ ts_log_return('rate', horizon, 'feed', 'observation_date') }}
            as log_return_{{ horizon }},
        {%- endfor %}
        {{ ts_log_return('rate', 1, 'feed', 'observation_date') }} as step_return
    from observations
),

indicators as (
    select
        *,
        {%- for window in var('fx_vol_windows') %}
        {{ ts_realized_vol(
            'step_return', window, 'feed', 'observation_date', 'periods_per_year'
        ) }} as realized_vol_{{ window }},
        {%- endfor %}
        {%- for window in var('fx_trend_windows') %}
        rate / nullif({{ ts_sma('rate', window, 'feed', 'observation_date') }}, 0)
        - 1 as to_sma_{{ window }},
        {{ ts_zscore('rate', window, 'feed', 'observation_date') }}
            as zscore_{{ window }},
        {%- endfor %}
        max(input_available_at) over (
            partition by feed
            order by observation_date
            rows between unbounded preceding and current row
        ) as available_at
    from with_returns
),

-- Several observations can become public at one instant (a weekly release
-- of daily rates). The as-of join needs one row per instant, so keep the
-- latest of them.
published as (
    select * from indicators
    qualify row_number() over (
        partition by feed, available_at
        order by observation_date desc
    ) = 1
),

{%- for currency in currencies %}
{%- set feeds = (['market'] if currency in market_symbols else []) + ['fred'] %}
{%- for feed in feeds %}

{{ currency }}_{{ feed }}_rows as (
    select * from published
    where feed = '{{ currency }}:{{ feed }}'
),
{%- endfor %}

{{ currency }}_candidates as (
    {%- for feed in feeds %}
    select
        spine.trade_date,
        {{ loop.index }} as preference,
        case
            when feed_rows.observation_date is not null then '{{ feed }}'
        end as feed_source,
        feed_rows.observation_date,
        spine.trade_date - feed_rows.observation_date as age_days,
        spine.trade_date - feed_rows.observation_date
        <= feed_rows.max_age_days as is_fresh,
        {%- for column in feature_columns %}
        feed_rows.{{ column }},
        {%- endfor %}
        feed_rows.available_at
    from spine
    asof left join {{ currency }}_{{ feed }}_rows as feed_rows
        on spine.decision_at >= feed_rows.available_at
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- The first fresh feed in preference order. When none is fresh, the most
-- preferred feed that has a row is kept, so its age and available_at show.
{{ currency }}_chosen as (
    select * from {{ currency }}_candidates
    qualify row_number() over (
        partition by trade_date
        order by is_fresh desc nulls last, preference asc
    ) = 1
),
{%- endfor %}

final as (
    select
        spine.trade_date,
        {%- for currency in currencies %}
        {%- set chosen = currency ~ '_chosen' %}
        {%- set prefix = 'fx_' ~ currency %}
        {%- for column in feature_columns %}
        round(
            case when {{ chosen }}.is_fresh then {{ chosen }}.{{ column }} end,
            10
        ) as {{ prefix }}_{{ column }},
        {%- endfor %}
        {{ chosen }}.feed_source as {{ prefix }}_source,
        {{ chosen }}.observation_date as {{ prefix }}_observation_date,
        {{ chosen }}.age_days as {{ prefix }}_age_days,
        {{ chosen }}.available_at as {{ prefix }}_available_at,
        {%- endfor %}
        spine.decision_at
    from spine
    {% for currency in currencies -%}
    left join {{ currency }}_chosen
        on spine.trade_date = {{ currency }}_chosen.trade_date
    {% endfor -%}
)

select * from final
