-- depends_on: {{ ref('fred_series') }}
-- FRED values per calendar day as known at the day's decision time, one
-- column per seeded series, with the age in days of each value's
-- observation.

with

macro as (
    select * from {{ ref('fred_macro_clean') }}
),

final as (
    select
        as_of_date,
        {% for series_id in fred_series_ids() -%}
            max(value) filter (where series_id = '{{ series_id }}')
            as fred_{{ series_id | lower }},
            max(value_age_days) filter (where series_id = '{{ series_id }}')
            as fred_{{ series_id | lower }}_age_days,
        {% endfor -%}
        max(available_at) as latest_available_at
    from macro
    group by as_of_date
)

select * from final
