{%- set regions = var('weather_regions') -%}
{%- set weather_columns = [
    'tmax_c', 'tmin_c', 'precip_mm', 'gdd_base10_cap30', 'dry_spell_days',
    'tmax_anomaly_c', 'tmin_anomaly_c', 'precip_anomaly_mm',
] -%}
-- Regional weather per trading date of the target market, each region's
-- latest day joined as of the decision time (available_at <= decision_at).
-- Values are NULL once the region's latest published day is more than var
-- weather_max_age_days old.

with

market as (
    select * from {{ ref('market_daily') }}
),

weather as (
    select * from {{ ref('weather_regions_aggregated') }}
),

spine as (
    select
        trade_date,
        {{ decision_at('trade_date') }} as decision_at
    from market
    where symbol = '{{ var("target_symbol") }}'
),

{%- for region in regions %}

weather_{{ region }} as (
    select * from weather
    where region = '{{ region }}'
    -- Days that become public at the same instant: keep the latest, so the
    -- as-of join below has one row per instant.
    qualify row_number() over (
        partition by available_at order by observation_date desc
    ) = 1
),

joined_{{ region }} as (
    select
        spine.trade_date,
        {%- for column in weather_columns %}
        case
            when
                spine.trade_date - region_days.observation_date
                <= {{ var('weather_max_age_days') }}
                then region_days.{{ column }}
        end as {{ region }}_{{ column }},
        {%- endfor %}
        spine.trade_date
        - region_days.observation_date as {{ region }}_weather_age_days,
        region_days.available_at as {{ region }}_weather_available_at
    from spine
    asof left join weather_{{ region }} as region_days
        on spine.decision_at >= region_days.available_at
),
{%- endfor %}

final as (
    select
        spine.trade_date,
        {%- for region in regions %}
        {%- for column in weather_columns + ['weather_age_days'] %}
        joined_{{ region }}.{{ region }}_{{ column }},
        {%- endfor %}
        joined_{{ region }}.{{ region }}_weather_available_at,
        {%- endfor %}
        spine.decision_at
    from spine
    {% for region in regions -%}
    left join joined_{{ region }}
        on spine.trade_date = joined_{{ region }}.trade_date
    {% endfor -%}
)

select * from final
