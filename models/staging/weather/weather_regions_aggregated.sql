-- Daily weather per soybean region: one row per region and day, from the
-- feed that covers it best, with growing degree days, the dry-spell length
-- and anomalies against a climatology of earlier years.
--
-- Feed choice per region and day: final rows before provisional ones, then
-- the larger share of production reported, then weather_feeds.preference.
--
-- Growing degree days (base 10 °C, cap 30 °C), from the daily max and min:
--     gdd = (min(max(tmax, 10), 30) + min(max(tmin, 10), 30)) / 2 - 10
--
-- Dry spell: consecutive days up to this one with precipitation under 1 mm.
-- 0 on a day with 1 mm or more. NULL when this day's precipitation is
-- unknown, or when an unknown or missing day, or the start of the data,
-- falls after the last wet day, because the spell's length is then unknown.
--
-- Climatology of day D: the mean over days within
-- weather_climatology_half_window_days (default 7) days of year of D, in
-- years before D's year only. Day of year is capped at 365, so in leap
-- years the window is off by one day after February. Anomalies are NULL
-- until weather_climatology_min_years (default 5) earlier years have data.
--
-- available_at: the end of the local day in the region's time zone plus
-- the feed's archive_delay_hours (0 for provisional rows), raised to the
-- latest available_at of the region's earlier days, because the dry spell
-- depends on them.
--
-- Incremental: a row of day D depends only on days up to D (feed choice,
-- dry spell, climatology of earlier years, available_at). A build therefore
-- recomputes the days from the earliest observation date among newly
-- loaded rows, and the days after the last build's end.

{%- set half_window = var('weather_climatology_half_window_days', 7) %}
{%- set min_years = var('weather_climatology_min_years', 5) %}
{%- set is_new_row = loaded_since_condition() %}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['region', 'observation_date'],
    on_schema_change='fail',
) }}

with

aggregates as (
    select * from {{ source('raw_weather', 'weather_noaa') }}
),

feeds as (
    select * from {{ ref('weather_feeds') }}
),

regions as (
    select * from {{ ref('weather_regions') }}
),

{% if is_incremental() %}

first_recomputed_day as (
    select coalesce(
        least(
            (select max(observation_date) + 1 from {{ this }}),
            (
                select min(observation_date) from aggregates
                where {{ is_new_row }}
            )
        ),
        date '1900-01-01'
    ) as first_day
),

{% endif %}

ranked as (
    select
        aggregates.*,
        feeds.archive_delay_hours,
        row_number() over (
            partition by aggregates.region, aggregates.observation_date
            order by
                aggregates.provisional asc,
                aggregates.weight_share_reported desc,
                coalesce(feeds.preference, 99) asc
        ) as feed_rank
    from aggregates
    left join feeds on aggregates.feed = feeds.feed
),

chosen as (
    select
        ranked.region,
        ranked.observation_date,
        ranked.feed,
        ranked.provisional as is_provisional,
        ranked.tmax_c,
        ranked.tmin_c,
        ranked.precip_mm,
        ranked.locations_reported,
        ranked.weight_share_reported,
        coalesce(ranked.archive_delay_hours, 168) as archive_delay_hours,
        {{ local_to_utc(
            "ranked.observation_date + interval 1 day", "regions.timezone"
        ) }} as day_end_at
    from ranked
    inner join regions on ranked.region = regions.region
    where ranked.feed_rank = 1
),

published as (
    select
        *,
        day_end_at + to_hours(
            case when is_provisional then 0 else archive_delay_hours end
        ) as row_available_at
    from chosen
),

calendar as (
    select
        region,
        cast(unnest(generate_series(
            min(observation_date), max(observation_date), interval 1 day
        )) as date) as calendar_date
    from published
    group by region
),

calendar_precip as (
    select
        calendar.region,
        calendar.calendar_date,
        published.precip_mm
    from calendar
    left join published
        on
            calendar.region = published.region
            and calendar.calendar_date = published.observation_date
),

spell_groups as (
    select
        *,
        sum(case when precip_mm >= 1 then 1 else 0 end) over (
            partition by region
            order by calendar_date
            rows between unbounded preceding and current row
        ) as spell_group
    from calendar_precip
),

spell_counts as (
    select
        *,
        sum(case when precip_mm is null then 1 else 0 end) over (
            partition by region, spell_group
            order by calendar_date
            rows between unbounded preceding and current row
        ) as unknown_days,
        sum(case when precip_mm < 1 then 1 else 0 end) over (
            partition by region, spell_group
            order by calendar_date
            rows between unbounded preceding and current row
        ) as dry_days
    from spell_groups
),

dry_spells as (
    select
        region,
        calendar_date as observation_date,
        case
            when precip_mm is null then null
            when precip_mm >= 1 then 0
            when spell_group = 0 or unknown_days > 0 then null
            else dry_days
        end as dry_spell_days
    from spell_counts
),

history as (
    select
        region,
        year(observation_date) as observation_year,
        least(dayofyear(observation_date), 365) as day_of_year,
        tmax_c,
        tmin_c,
        precip_mm
    from published
),

window_offsets as (
    select unnest(range(-{{ half_window }}, {{ half_window }} + 1)) as offset_days
),

targets as (
    select
        published.region,
        published.observation_date,
        year(published.observation_date) as target_year,
        (
            least(dayofyear(published.observation_date), 365) - 1
            + window_offsets.offset_days + 365
        ) % 365 + 1 as window_day
    from published
    cross join window_offsets
    {% if is_incremental() -%}
        where
            published.observation_date
            >= (select first_day from first_recomputed_day)
    {% endif -%}
),

climatology as (
    select
        targets.region,
        targets.observation_date,
        count(distinct history.observation_year) as climatology_years,
        count(distinct case
            when history.tmax_c is not null then history.observation_year
        end) as tmax_years,
        count(distinct case
            when history.tmin_c is not null then history.observation_year
        end) as tmin_years,
        count(distinct case
            when history.precip_mm is not null then history.observation_year
        end) as precip_years,
        -- Averages of values in thousandths as integers. An integer sum is
        -- exact in any order, so every build gives the same normal. A
        -- parallel floating-point sum varies in its last bit, which the
        -- rounding of the anomalies can turn into 0.001.
        avg(cast(round(history.tmax_c * 1000) as bigint)) / 1000.0
            as tmax_normal_c,
        avg(cast(round(history.tmin_c * 1000) as bigint)) / 1000.0
            as tmin_normal_c,
        avg(cast(round(history.precip_mm * 1000) as bigint)) / 1000.0
            as precip_normal_mm
    from targets
    inner join history
        on
            targets.region = history.region
            and targets.window_day = history.day_of_year
            and targets.target_year > history.observation_year
    group by targets.region, targets.observation_date
),

final as (
    select
        published.region,
        published.observation_date,
        published.feed,
        published.is_provisional,
        published.tmax_c,
        published.tmin_c,
        published.precip_mm,
        -- greatest and least skip NULLs in DuckDB, so both values are required.
        case
            when published.tmax_c is not null and published.tmin_c is not null
                then round(
                    (
                        least(greatest(published.tmax_c, 10), 30)
                        + least(greatest(published.tmin_c, 10), 30)
                    ) / 2 - 10,
                    3
                )
        end as gdd_base10_cap30,
        dry_spells.dry_spell_days,
        coalesce(climatology.climatology_years, 0) as climatology_years,
        case
            when climatology.tmax_years >= {{ min_years }}
                then round(published.tmax_c - climatology.tmax_normal_c, 3)
        end as tmax_anomaly_c,
        case
            when climatology.tmin_years >= {{ min_years }}
                then round(published.tmin_c - climatology.tmin_normal_c, 3)
        end as tmin_anomaly_c,
        case
            when climatology.precip_years >= {{ min_years }}
                then round(published.precip_mm - climatology.precip_normal_mm, 3)
        end as precip_anomaly_mm,
        published.locations_reported,
        published.weight_share_reported,
        published.day_end_at,
        max(published.row_available_at) over (
            partition by published.region
            order by published.observation_date
            rows between unbounded preceding and current row
        ) as available_at
    from published
    left join dry_spells
        on
            published.region = dry_spells.region
            and published.observation_date = dry_spells.observation_date
    left join climatology
        on
            published.region = climatology.region
            and published.observation_date = climatology.observation_date
)

select * from final
{% if is_incremental() -%}
    where observation_date >= (select first_day from first_recomputed_day)
{% endif -%}
