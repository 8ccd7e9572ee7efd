-- EIA weekly series, one row per route, series and period, with the
-- instant each value became public.
--
-- Release rules (parameters in eia_release_rules):
-- * wpsr (spot prices and stocks, periods stamped with the week-ending
--   Friday): the Weekly Petroleum Status Report on the Wednesday after, at
--   10:30 America/New_York. When a federal holiday falls on the Monday or
--   Tuesday of that week the release is taken as Thursday, and when it
--   falls on the Wednesday as Friday, both at 11:00. EIA has moved a
--   Wednesday-holiday release to Thursday or to Friday, so Friday is the
--   conservative choice.
-- * weekly_retail (retail prices, periods stamped with the survey
--   Monday): the same day at 17:00, or the next day when that Monday is a
--   federal holiday.
--
-- Rows of a route without a weekly rule are not staged.
-- NOTE: us_federal_holidays covers 2000-2035; releases outside those years
-- get no holiday delay.
-- NOTE: raw keeps the latest value EIA serves for each period, so a
-- revised value carries the first release's available_at.

with

observations as (
    select * from {{ source('raw_eia', 'eia_observations') }}
    where frequency = 'weekly'
),

rules as (
    select * from {{ ref('eia_release_rules') }}
),

series as (
    select * from {{ ref('eia_series') }}
),

holidays as (
    select cast(holiday_date as date) as holiday_date
    from {{ ref('us_federal_holidays') }}
),

ruled as (
    select
        observations.*,
        rules.release_rule,
        rules.report,
        cast(rules.release_time_et as time) as release_time_et,
        cast(rules.delayed_release_time_et as time) as delayed_release_time_et
    from observations
    inner join rules
        on
            observations.route = rules.route
            and observations.frequency = rules.frequency
),

scheduled as (
    select
        ruled.*,
        case ruled.release_rule
            -- The Wednesday after the Friday on or after the period date.
            when 'wpsr'
                then cast(
                    ruled.period_date
                    + to_days((5 - isodow(ruled.period_date) + 7) % 7 + 5)
                    as date
                )
            else ruled.period_date
        end as scheduled_date
    from ruled
),

holiday_flags as (
    select
        scheduled.*,
        scheduled.scheduled_date in (
            select holidays.holiday_date from holidays
        ) as is_holiday_on_release_day,
        -- For wpsr the Monday and Tuesday before the Wednesday release.
        exists(
            select 1
            from holidays
            where
                holidays.holiday_date
                between scheduled.scheduled_date - 2
                and scheduled.scheduled_date - 1
        ) as is_holiday_before_release_day
    from scheduled
),

delays as (
    select
        holiday_flags.*,
        case
            when
                holiday_flags.release_rule = 'wpsr'
                and holiday_flags.is_holiday_on_release_day
                then 2
            when
                holiday_flags.release_rule = 'wpsr'
                and holiday_flags.is_holiday_before_release_day
                then 1
            when
                holiday_flags.release_rule = 'weekly_retail'
                and holiday_flags.is_holiday_on_release_day
                then 1
            else 0
        end as delay_days
    from holiday_flags
),

final as (
    select
        delays.route,
        delays.series_id,
        delays.frequency,
        delays.period,
        delays.period_date,
        delays.period_date as period_end_date,
        coalesce(series.name, delays.series_description) as series_name,
        delays.value,
        delays.value_raw,
        delays.units,
        delays.duoarea,
        delays.area_name,
        delays.product,
        delays.product_name,
        delays.process,
        delays.process_name,
        delays.report,
        delays.release_rule,
        series.series_id is not null as is_seeded,
        delays.delay_days > 0 as is_release_delayed,
        cast(delays.scheduled_date + delays.delay_days as date) as release_date,
        {{ local_to_utc(
            "cast(delays.scheduled_date + delays.delay_days as date)"
            ~ " + case when delays.delay_days > 0"
            ~ " then delays.delayed_release_time_et"
            ~ " else delays.release_time_et end",
            "'America/New_York'"
        ) }} as available_at
    from delays
    left join series
        on
            delays.route = series.route
            and delays.series_id = series.series_id
            and delays.frequency = series.frequency
)

select * from final
