-- FAS weekly export sales (ESR) per commodity, destination country and
-- week, with the instant each week's report became public.
--
-- Release rule: the Thursday after the week ending Thursday, at 08:30
-- America/New_York. When a federal holiday falls on Monday to Thursday of
-- the release week, the report moves to Friday 08:30.

with

sales as (
    select * from {{ source('raw_usda', 'usda_fas_export_sales') }}
),

holidays as (
    select cast(holiday_date as date) as holiday_date
    from {{ ref('us_federal_holidays') }}
),

scheduled as (
    select
        sales.*,
        -- The first Thursday after the week's end (itself a Thursday).
        cast(
            sales.week_ending_date
            + to_days((4 - isodow(sales.week_ending_date) + 7) % 7 + 7)
            as date
        ) as scheduled_thursday
    from sales
),

release_dates as (
    select
        scheduled.*,
        case
            when
                exists (
                    select 1
                    from holidays
                    where
                        holidays.holiday_date
                        between scheduled.scheduled_thursday - 3
                        and scheduled.scheduled_thursday
                )
                then scheduled.scheduled_thursday + 1
            else scheduled.scheduled_thursday
        end as release_date
    from scheduled
),

final as (
    select
        release_dates.commodity_code,
        case release_dates.commodity_code
            when 801 then 'soybeans'
            when 901 then 'soybean meal'
            when 902 then 'soybean oil'
        end as commodity,
        release_dates.country_code,
        release_dates.week_ending_date,
        release_dates.market_year,
        release_dates.weekly_exports,
        release_dates.accumulated_exports,
        release_dates.outstanding_sales,
        release_dates.gross_new_sales,
        release_dates.current_my_net_sales,
        release_dates.current_my_total_commitment,
        release_dates.next_my_outstanding_sales,
        release_dates.next_my_net_sales,
        release_dates.unit_id,
        case when release_dates.unit_id = 1 then 'metric tons' end as unit,
        release_dates.release_date,
        {{ local_to_utc(
            "release_dates.release_date + time '08:30:00'",
            "'America/New_York'"
        ) }} as available_at
    from release_dates
)

select * from final
