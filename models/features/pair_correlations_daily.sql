{%- set target = var('target_symbol') -%}
{%- set market_partners = var('cross_asset_market_partners') -%}
{%- set fred_partners = var('cross_asset_fred_partners') -%}
{%- set partners = (market_partners.keys() | list)
    + (fred_partners.keys() | reject('in', market_partners) | list) -%}
{%- set windows = var('cross_asset_corr_windows') -%}
-- Rolling Pearson correlation of the target's daily log returns with each
-- partner's, per trading date of the target, as of the decision time.
--
-- Returns: roll_adjusted_log_return of market_daily (0 on a roll date) for
-- the target and market partners. FRED partners use ln(v_t / v_{t-1})
-- between consecutive first releases (fred_first_release). A partner in
-- both var lists takes the market's return on dates the market has one.
--
-- Pairs are aligned on the trade (observation) date and keep only dates
-- where both returns exist, so a window of n contains the last n common
-- dates.
-- A pair row's available_at is the later of its two returns', and a
-- window's is the running maximum over the partner's pair rows up to it.
-- Each trade date takes the latest window available by its decision time;
-- correlations are NULL when that window's last date is more than
-- cross_asset_max_age_days before the trade date. A partner without data
-- has NULL columns. Correlations are rounded to 10 decimals, so that unit
-- tests can state exact expected values.

with

market as (
    select * from {{ ref('market_daily') }}
),

first_release as (
    select * from {{ ref('fred_first_release') }}
),

spine as (
    select
        trade_date,
        {{ decision_at('trade_date') }} as decision_at
    from market
    where symbol = '{{ target }}'
),

target_returns as (
    select
        trade_date,
        roll_adjusted_log_return as target_return,
        available_at as target_available_at
    from market
    where
        symbol = '{{ target }}'
        and roll_adjusted_log_return is not null
),

market_partner_symbols as (
    select
        partner_map.partner,
        partner_map.symbol
    from (
        values
        (cast(null as varchar), cast(null as varchar))
        {%- for key, value in market_partners.items() %},
        ('{{ key }}', '{{ value }}')
        {%- endfor %}
    ) as partner_map (partner, symbol)
    where partner_map.partner is not null
),

fred_partner_series as (
    select
        partner_map.partner,
        partner_map.series_id
    from (
        values
        (cast(null as varchar), cast(null as varchar))
        {%- for key, value in fred_partners.items() %},
        ('{{ key }}', '{{ value }}')
        {%- endfor %}
    ) as partner_map (partner, series_id)
    where partner_map.partner is not null
),

market_partner_returns as (
    select
        market_partner_symbols.partner,
        market.trade_date,
        market.roll_adjusted_log_return as partner_return,
        market.available_at,
        1 as preference
    from market
    inner join market_partner_symbols
        on market.symbol = market_partner_symbols.symbol
    where market.roll_adjusted_log_return is not null
),

fred_steps as (
    select
        fred_partner_series.partner,
        first_release.observation_date,
        {{ ts_log_return(
            'first_release.value', 1, 'first_release.series_id',
            'first_release.observation_date'
        ) }} as step_return,
        greatest(
            first_release.available_at,
            {{ ts_lag(
                'first_release.available_at', 1, 'first_release.series_id',
                'first_release.observation_date'
            ) }}
        ) as available_at
    from first_release
    inner join fred_partner_series
        on first_release.series_id = fred_partner_series.series_id
),

fred_partner_returns as (
    select
        partner,
        observation_date as trade_date,
        step_return as partner_return,
        available_at,
        2 as preference
    from fred_steps
    where step_return is not null
),

partner_candidates as (
    select * from market_partner_returns
    union all
    select * from fred_partner_returns
),

-- NOTE: a brl window can mix USDBRL closes with DEXBZUS rates, which FRED
-- takes from the noon buying rates in New York, so such a window spans
-- returns measured at two times of day.
partner_returns as (
    select * from partner_candidates
    qualify row_number() over (
        partition by partner, trade_date order by preference
    ) = 1
),

pairs as (
    select
        partner_returns.partner,
        target_returns.trade_date,
        target_returns.target_return,
        partner_returns.partner_return,
        greatest(
            target_returns.target_available_at, partner_returns.available_at
        ) as pair_available_at
    from target_returns
    inner join partner_returns
        on target_returns.trade_date = partner_returns.trade_date
),

rolling as (
    select
        partner,
        trade_date,
        {%- for window in windows %}
        {{ ts_rolling_corr(
            'target_return', 'partner_return', window, 'partner'
        ) }} as corr_{{ window }},
        {%- endfor %}
        max(pair_available_at) over (
            partition by partner
            order by trade_date
            rows between unbounded preceding and current row
        ) as available_at
    from pairs
),

-- The as-of join needs one row per instant: of windows that become public
-- together, keep the latest.
published as (
    select * from rolling
    qualify row_number() over (
        partition by partner, available_at order by trade_date desc
    ) = 1
),

{%- for partner in partners %}

{{ partner }}_windows as (
    select * from published
    where partner = '{{ partner }}'
),

{{ partner }}_asof as (
    select
        spine.trade_date,
        {%- for window in windows %}
        round(case
            when
                spine.trade_date - partner_windows.trade_date
                <= {{ var('cross_asset_max_age_days') }}
                then partner_windows.corr_{{ window }}
        end, 10) as corr_{{ partner }}_{{ window }},
        {%- endfor %}
        spine.trade_date - partner_windows.trade_date
            as corr_{{ partner }}_age_days,
        partner_windows.available_at as corr_{{ partner }}_available_at
    from spine
    asof left join {{ partner }}_windows as partner_windows
        on spine.decision_at >= partner_windows.available_at
),
{%- endfor %}

final as (
    select
        spine.trade_date,
        {%- for partner in partners %}
        {%- for window in windows %}
        {{ partner }}_asof.corr_{{ partner }}_{{ window }},
        {%- endfor %}
        {{ partner }}_asof.corr_{{ partner }}_age_days,
        {{ partner }}_asof.corr_{{ partner }}_available_at,
        {%- endfor %}
        spine.decision_at
    from spine
    {% for partner in partners -%}
    left join {{ partner }}_asof
        on spine.trade_date = {{ partner }}_asof.trade_date
    {% endfor -%}
)

select * from final
