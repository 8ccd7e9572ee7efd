-- EIA monthly series, one row per route, series and month, with the
-- instant each value became public.
--
-- Release rules (parameters in eia_release_rules): the Monthly Biofuels
-- Capacity and Feedstocks Update and the Petroleum Supply Monthly publish
-- month M near the end of month M+2. The conservative rule used here is
-- day release_day (7) of month M + lag_months (3) at release_time_et
-- (12:00 America/New_York), which leaves a week for late releases.
--
-- Rows of a route without a monthly rule are not staged.
-- NOTE: raw keeps the latest value EIA serves for each month, and EIA
-- revises monthly biofuel data, so a revised value carries the first
-- release's available_at.

with

observations as (
    select * from {{ source('raw_eia', 'eia_observations') }}
    where frequency = 'monthly'
),

rules as (
    select * from {{ ref('eia_release_rules') }}
),

series as (
    select * from {{ ref('eia_series') }}
),

ruled as (
    select
        observations.*,
        rules.release_rule,
        rules.report,
        cast(rules.release_time_et as time) as release_time_et,
        cast(
            observations.period_date
            + to_months(cast(rules.lag_months as integer))
            + to_days(cast(rules.release_day as integer) - 1)
            as date
        ) as release_date
    from observations
    inner join rules
        on
            observations.route = rules.route
            and observations.frequency = rules.frequency
),

final as (
    select
        ruled.route,
        ruled.series_id,
        ruled.frequency,
        ruled.period,
        ruled.period_date,
        cast(ruled.period_date + to_months(1) - to_days(1) as date)
            as period_end_date,
        coalesce(series.name, ruled.series_description) as series_name,
        ruled.value,
        ruled.value_raw,
        ruled.units,
        ruled.duoarea,
        ruled.area_name,
        ruled.product,
        ruled.product_name,
        ruled.process,
        ruled.process_name,
        ruled.report,
        ruled.release_rule,
        series.series_id is not null as is_seeded,
        ruled.release_date,
        {{ local_to_utc(
            "ruled.release_date + ruled.release_time_et",
            "'America/New_York'"
        ) }} as available_at
    from ruled
    left join series
        on
            ruled.route = series.route
            and ruled.series_id = series.series_id
            and ruled.frequency = series.frequency
)

select * from final
