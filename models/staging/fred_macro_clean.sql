-- Point-in-time FRED values on a calendar-day grid: for each series and
-- day D, the value of the latest observation that had been published by
-- D's decision time, in the vintage current at that time, forward-filled
-- for at most the series' max_age_days (counted from the observation
-- date) and NULL after that.
--
-- A vintage's available_at is its realtime_start at the series' usual
-- release time (America/New_York). Files without vintage dates (fredgraph
-- CSV, or API output holding only the latest vintage) get an estimate:
-- observation date + publication_lag_days, flagged, and used only for
-- series that have no dated vintages at all. A later revision adds a new
-- state from its own available_at and never changes an earlier day.
--
-- Incremental: a build recomputes the days from the earliest day that a
-- newly loaded row can reach, and the days after the last build's end. That
-- day is the row's realtime_start (its observation date if undated) minus
-- one day for the time zones. A new vintage changes the states only from
-- its available_at on, so earlier days keep their rows. Only the vintages
-- published from the day before that day on go through the state windows.
-- Each series starts from the state its earlier vintages leave (see
-- earlier_state), so the windows see a few rows per series, not the
-- whole vintage history.
--
-- The hooks make DuckDB 1.4 plan the as-of join as an ASOF join. With its
-- small row estimate for the calendar it chose a nested loop join instead,
-- which took 45 s or more on benchmarks/scaled.py's 25-year data set.
--
-- NOTE: a series that gets its first dated vintages drops its undated
-- rows. Its grid then starts later, and the rows before the new start are
-- left in place until a full refresh.

{%- set is_new_row = loaded_since_condition() %}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['series_id', 'as_of_date'],
    on_schema_change='fail',
    pre_hook="set asof_loop_join_threshold = 0",
    post_hook="reset asof_loop_join_threshold",
) }}

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

{% else %}

first_recomputed_day as (
    select date '1900-01-01' as first_day
),

{% endif %}

-- Each kept vintage with the local date it was published on (estimated for
-- undated rows); its release time on that date is added below.
published_vintages as (
    select
        observations.series_id,
        observations.observation_date,
        observations.value,
        observations.vintage_mode,
        observations.vintage_mode in ('latest', 'fredgraph')
            as is_available_at_estimated,
        case
            when observations.vintage_mode in ('latest', 'fredgraph')
                then
                    observations.observation_date
                    + cast(coalesce(series.publication_lag_days, 30) as integer)
            else observations.realtime_start
        end as available_date,
        coalesce(cast(series.release_time_et as time), time '23:59:59')
            as release_time
    from observations
    -- Only seeded series: their release time, lag and maximum age are known.
    inner join series on observations.series_id = series.series_id
    where
        observations.vintage_mode not in ('latest', 'fredgraph')
        or observations.series_id not in (
            select dated_series.series_id from dated_series
        )
),

{% if is_incremental() %}

-- A vintage published two or more days before the first recomputed day is
-- public before every vintage published on a later date, because a release time is
-- under 24 hours. Of those earlier vintages only the state they leave
-- matters: the most recent observation, in its latest vintage. That one
-- row per series replaces the history before the recent vintages.
earlier_state as (
    select *
    from published_vintages
    where
        available_date
        < (select first_recomputed_day.first_day from first_recomputed_day) - 1
    qualify row_number() over (
        partition by series_id
        order by observation_date desc, available_date desc
    ) = 1
),

recent_vintages as (
    select *
    from published_vintages
    where
        available_date
        >= (select first_recomputed_day.first_day from first_recomputed_day) - 1
),

candidate_vintages as (
    select * from earlier_state
    union all
    select * from recent_vintages
),

{% else %}

candidate_vintages as (
    select * from published_vintages
),

{% endif %}

vintages as (
    select
        series_id,
        observation_date,
        value,
        vintage_mode,
        is_available_at_estimated,
        {{ local_to_utc(
            "available_date + release_time", "'America/New_York'"
        ) }} as available_at
    from candidate_vintages
),

-- The state of a series changes only when a vintage is for an observation
-- at least as recent as every one published before it. Revisions of older
-- observations do not change the latest value.
states as (
    select
        *,
        max(observation_date) over (
            partition by series_id
            order by available_at, observation_date
            rows between unbounded preceding and current row
        ) as latest_observation_date
    from vintages
),

state_changes as (
    select
        series_id,
        observation_date,
        value,
        is_available_at_estimated,
        available_at
    from states
    where observation_date = latest_observation_date
    -- Several observations published at one instant (a weekly release of
    -- daily rates) leave the latest of them as the state, because the as-of
    -- join below needs one row per instant and would otherwise pick one at
    -- random.
    qualify row_number() over (
        partition by series_id, available_at
        order by observation_date desc
    ) = 1
),

calendar as (
    select
        series_id,
        cast(unnest(generate_series(
            greatest(
                cast(min(available_at) as date),
                (select first_recomputed_day.first_day from first_recomputed_day)
            ),
            current_date,
            interval 1 day
        )) as date) as as_of_date
    from state_changes
    group by series_id
),

calendar_with_decision as (
    select
        series_id,
        as_of_date,
        {{ decision_at('as_of_date') }} as decision_at
    from calendar
),

as_of_values as (
    select
        calendar_with_decision.series_id,
        calendar_with_decision.as_of_date,
        calendar_with_decision.decision_at,
        state_changes.observation_date,
        state_changes.value,
        state_changes.available_at,
        state_changes.is_available_at_estimated
    from calendar_with_decision
    asof inner join state_changes
        on
            calendar_with_decision.series_id = state_changes.series_id
            and calendar_with_decision.decision_at >= state_changes.available_at
),

final as (
    select
        as_of_values.series_id,
        as_of_values.as_of_date,
        as_of_values.decision_at,
        as_of_values.observation_date,
        as_of_values.available_at,
        as_of_values.is_available_at_estimated,
        as_of_values.as_of_date - as_of_values.observation_date
            as value_age_days,
        as_of_values.as_of_date - as_of_values.observation_date
        > coalesce(series.max_age_days, 45) as is_stale,
        case
            when
                as_of_values.as_of_date - as_of_values.observation_date
                <= coalesce(series.max_age_days, 45)
                then as_of_values.value
        end as value  -- noqa: RF04
    from as_of_values
    left join series on as_of_values.series_id = series.series_id
)

select * from final
