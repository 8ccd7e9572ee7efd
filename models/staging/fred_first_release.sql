-- One row per FRED series and observation date: the value as first
-- published, with the instant it became public.
--
-- The first release is the earliest vintage with a non-missing value, so a
-- daily rate first published as "." and filled in later counts from the
-- vintage that filled it. available_at follows fred_macro_clean: the
-- vintage's realtime_start at the series' release_time_et in
-- America/New_York. Files without vintage dates (fredgraph CSV, or API
-- output holding only the latest vintage) get the estimate observation
-- date + publication_lag_days, flagged, and are used only for series that
-- have no dated vintages at all. Later revisions never change a row, so
-- returns between consecutive rows compare first releases only.

with

observations as (
    select * from {{ source('raw', 'fred_economic') }}
    where value is not null
),

series as (
    select * from {{ ref('fred_series') }}
),

dated_series as (
    select distinct series_id
    from observations
    where vintage_mode not in ('latest', 'fredgraph')
),

vintages as (
    select
        observations.series_id,
        observations.observation_date,
        observations.value,
        observations.vintage_mode,
        observations.vintage_mode in ('latest', 'fredgraph')
            as is_available_at_estimated,
        case
            when observations.vintage_mode not in ('latest', 'fredgraph')
                then observations.realtime_start
        end as realtime_start,
        {{ local_to_utc(
            "case when observations.vintage_mode in ('latest', 'fredgraph')"
            ~ " then observations.observation_date"
            ~ " + cast(coalesce(series.publication_lag_days, 30) as integer)"
            ~ " else observations.realtime_start end"
            ~ " + coalesce(cast(series.release_time_et as time), time '23:59:59')",
            "'America/New_York'"
        ) }} as available_at
    from observations
    -- Only seeded series: their release time and lag are known.
    inner join series on observations.series_id = series.series_id
    where
        observations.vintage_mode not in ('latest', 'fredgraph')
        or observations.series_id not in (
            select dated_series.series_id from dated_series
        )
),

final as (
    select
        series_id,
        observation_date,
        value,
        realtime_start,
        vintage_mode,
        is_available_at_estimated,
        available_at
    from vintages
    qualify row_number() over (
        partition by series_id, observation_date
        order by available_at, vintage_mode
    ) = 1
)

select * from final
