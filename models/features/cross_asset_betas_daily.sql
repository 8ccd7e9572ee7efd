{%- set target = var('target_symbol') -%}
{%- set market_partners = var('cross_asset_market_partners') -%}
{%- set fred_partners = var('cross_asset_fred_partners') -%}
{%- set partners = (market_partners.keys() | list)
    + (fred_partners.keys() | reject('in', market_partners) | list) -%}
{%- set windows = var('cross_asset_beta_windows') -%}
-- Rolling OLS beta of the target's daily log returns on each partner's,
-- and the annualized volatility of the regression residual, per trading
-- date of the target, as of the decision time.
--
-- beta_n = cov(target, partner) / var(partner) over the last n common
-- dates. residual_vol_n = stddev(target) * sqrt(1 - corr^2) * sqrt(252):
-- the sample standard deviation (n - 1 denominator) of the residuals of
-- the regression with intercept, annualized like ts_realized_vol.
--
-- Returns, pair alignment and point-in-time rules are those of
-- pair_correlations_daily: roll_adjusted_log_return for markets, returns
-- between consecutive FRED first releases, pairs on common trade dates, a
-- window's available_at the running maximum of its pair rows', values
-- NULL past cross_asset_max_age_days, NULL columns for a partner without
-- data. Values are rounded to 10 decimals, so that unit tests can state
-- exact expected values.

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
        {{ ts_rolling_beta(
            'target_return', 'partner_return', window, 'partner'
        ) }} as beta_{{ window }},
        {{ ts_rolling_corr(
            'target_return', 'partner_return', window, 'partner'
        ) }} as corr_{{ window }},
        {{ ts_stddev('target_return', window, 'partner') }}
            as target_stddev_{{ window }},
        {%- endfor %}
        max(pair_available_at) over (
            partition by partner
            order by trade_date
            rows between unbounded preceding and current row
        ) as available_at
    from pairs
),

residuals as (
    select
        {%- for window in windows %}
        target_stddev_{{ window }}
        * sqrt(greatest(1 - power(corr_{{ window }}, 2), 0))
        * sqrt(252) as residual_vol_{{ window }},
        {%- endfor %}
        *
    from rolling
),

-- The as-of join needs one row per instant: of windows that become public
-- together, keep the latest.
published as (
    select * from residuals
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
        {%- for measure in ['beta', 'residual_vol'] %}
        round(case
            when
                spine.trade_date - partner_windows.trade_date
                <= {{ var('cross_asset_max_age_days') }}
                then partner_windows.{{ measure }}_{{ window }}
        end, 10) as {{ measure }}_{{ partner }}_{{ window }},
        {%- endfor %}
        {%- endfor %}
        spine.trade_date - partner_windows.trade_date
            as beta_{{ partner }}_age_days,
        partner_windows.available_at as beta_{{ partner }}_available_at
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
        {{ partner }}_asof.beta_{{ partner }}_{{ window }},
        {{ partner }}_asof.residual_vol_{{ partner }}_{{ window }},
        {%- endfor %}
        {{ partner }}_asof.beta_{{ partner }}_age_days,
        {{ partner }}_asof.beta_{{ partner }}_available_at,
        {%- endfor %}
        spine.decision_at
    from spine
    {% for partner in partners -%}
    left join {{ partner }}_asof
        on spine.trade_date = {{ partner }}_asof.trade_date
    {% endfor -%}
)

select * from final
