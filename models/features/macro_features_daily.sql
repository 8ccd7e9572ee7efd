-- depends_on: {{ ref('fred_series') }}
-- depends_on: {{ source('raw', 'fred_economic') }}
-- FRED values per calendar day as known at the day's decision time, one
-- column per seeded series, with the age in days of each value's
-- observation.
--
-- Incremental: the same days as fred_macro_clean are recomputed, from the
-- earliest day a newly loaded FRED row can reach, and the days after the
-- last build's end.

{%- set is_new_row = loaded_since_condition() %}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['as_of_date'],
    on_schema_change='fail',
) }}

with

macro as (
    select * from {{ ref('fred_macro_clean') }}
),

{% if is_incremental() %}

first_recomputed_day as (
    select coalesce(
        least(
            (select max(as_of_date) + 1 from {{ this }}),
            (
                select
                    min(
                        case
                            when vintage_mode in ('latest', 'fredgraph')
                                then observation_date
                            else coalesce(realtime_start, observation_date)
                        end
                    ) - 1
                from {{ source('raw', 'fred_economic') }}
                where {{ is_new_row }}
            )
        ),
        date '1900-01-01'
    ) as first_day
),

{% endif %}

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
    {% if is_incremental() -%}
        where as_of_date >= (select first_day from first_recomputed_day)
    {% endif -%}
    group by as_of_date
)

select * from final
