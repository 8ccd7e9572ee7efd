-- CFTC disaggregated futures-only positions, one row per report date and
-- market, with net positions by trader class and the instant the report
-- became public.
--
-- Release rule: positions as of Tuesday are published the following
-- Friday at 15:30 America/New_York. When a US federal holiday falls on
-- Monday to Friday of that week, the release moves to the next business
-- day after the Friday. Dates in cot_release_exceptions override the rule.

with

reports as (
    select * from {{ source('raw', 'cftc_cot_disaggregated') }}
),

markets as (
    select * from {{ ref('cftc_markets') }}
),

holidays as (
    select cast(holiday_date as date) as holiday_date
    from {{ ref('us_federal_holidays') }}
),

exceptions as (
    select
        cast(report_date as date) as report_date,
        cast(release_at_et as timestamp) as release_at_et
    from {{ ref('cot_release_exceptions') }}
),

scheduled as (
    select
        reports.*,
        -- The Friday on or after the report date (a Tuesday as a rule).
        cast(
            reports.report_date + to_days((5 - isodow(reports.report_date) + 7) % 7)
            as date
        ) as scheduled_friday
    from reports
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
                        between scheduled.scheduled_friday - 4
                        and scheduled.scheduled_friday
                )
                then
                    case
                        when (scheduled.scheduled_friday + 3) in (
                            select holidays.holiday_date from holidays
                        )
                            then scheduled.scheduled_friday + 4
                        else scheduled.scheduled_friday + 3
                    end
            else scheduled.scheduled_friday
        end as scheduled_release_date
    from scheduled
),

final as (
    select
        release_dates.report_date,
        release_dates.market_code,
        markets.root,
        release_dates.market_name,
        release_dates.futonly_or_combined,
        release_dates.open_interest,
        release_dates.m_money_long,
        release_dates.m_money_short,
        release_dates.m_money_spread,
        release_dates.traders_m_money_long,
        release_dates.traders_m_money_short,
        release_dates.prod_merc_long - release_dates.prod_merc_short
            as producer_net,
        release_dates.swap_long - release_dates.swap_short as swap_dealer_net,
        release_dates.m_money_long - release_dates.m_money_short
            as managed_money_net,
        release_dates.other_rept_long - release_dates.other_rept_short
            as other_reportable_net,
        release_dates.nonrept_long - release_dates.nonrept_short
            as nonreportable_net,
        exceptions.release_at_et is not null as is_release_exception,
        {{ local_to_utc(
            "coalesce(exceptions.release_at_et,"
            ~ " release_dates.scheduled_release_date + time '15:30:00')",
            "'America/New_York'"
        ) }} as available_at
    from release_dates
    left join markets on release_dates.market_code = markets.market_code
    left join exceptions on release_dates.report_date = exceptions.report_date
)

select * from final
