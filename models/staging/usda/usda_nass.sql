-- NASS Quick Stats records with their unit, suppression code, CV and the
-- instant each became public.
--
-- Release rule: a record's load_time (the time Quick Stats last loaded
-- it, Eastern) when the rule for its source and period kind trusts it.
-- Otherwise the end of the reference period plus the rule's lag, at its
-- release time in America/New_York (usda_nass_release_rules). Quick Stats
-- keeps only the current value of a revised record, so a revision moves
-- available_at forward instead of adding a vintage.

with

records as (
    select * from {{ source('raw_usda', 'usda_nass_quickstats') }}
),

rules as (
    select
        source_desc,
        period_kind,
        use_load_time,
        lag_days,
        cast(release_time_et as time) as release_time_et
    from {{ ref('usda_nass_release_rules') }}
),

months as (
    select
        records.*,
        nullif(
            regexp_extract(
                records.reference_period_desc,
                '^(?:END OF |FIRST OF )?'
                || '(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)$',
                1
            ),
            ''
        ) as month_abbr
    from records
),

periods as (
    select
        months.*,
        case
            when months.week_ending is not null then 'week'
            when months.month_abbr is not null then 'month'
            when months.reference_period_desc = 'MARKETING YEAR'
                then 'marketing_year'
            else 'year'
        end as period_kind,
        (
            instr('JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC', months.month_abbr) + 2
        ) // 3 as month_number
    from months
),

period_ends as (
    select
        periods.*,
        case
            when periods.period_kind = 'week' then periods.week_ending
            when
                periods.period_kind = 'month'
                and periods.reference_period_desc like 'FIRST OF %'
                then make_date(periods.year, periods.month_number, 1)
            when periods.period_kind = 'month'
                then last_day(make_date(periods.year, periods.month_number, 1))
            -- Soybean marketing years run September to August.
            when periods.period_kind = 'marketing_year'
                then make_date(periods.year + 1, 8, 31)
            else make_date(periods.year, 12, 31)
        end as period_end_date
    from periods
),

ruled as (
    select
        period_ends.*,
        coalesce(exact.use_load_time, fallback.use_load_time) as use_load_time,
        coalesce(exact.lag_days, fallback.lag_days) as lag_days,
        coalesce(exact.release_time_et, fallback.release_time_et)
            as release_time_et
    from period_ends
    left join rules as exact
        on
            period_ends.source_desc = exact.source_desc
            and period_ends.period_kind = exact.period_kind
    left join rules as fallback
        on
            fallback.source_desc = 'ANY'
            and period_ends.period_kind = fallback.period_kind
),

final as (
    select
        md5(concat_ws(
            '|',
            ruled.source_desc, ruled.short_desc, ruled.domain_desc,
            ruled.domaincat_desc, ruled.agg_level_desc, ruled.location_desc,
            ruled.state_ansi, ruled.asd_code, ruled.county_code,
            ruled.region_desc, ruled.zip_5, ruled.watershed_code,
            ruled.congr_district_code, ruled.country_code, ruled.freq_desc,
            ruled.begin_code, ruled.end_code, ruled.reference_period_desc,
            cast(ruled.year as varchar)
        )) as record_id,
        ruled.source_desc as survey_or_census,
        ruled.commodity_desc as commodity,
        ruled.class_desc,
        ruled.prodn_practice_desc,
        ruled.util_practice_desc,
        ruled.statisticcat_desc as statistic,
        ruled.short_desc,
        ruled.domain_desc,
        ruled.domaincat_desc,
        ruled.agg_level_desc as agg_level,
        ruled.location_desc,
        ruled.state_alpha,
        ruled.year,
        ruled.freq_desc as frequency,
        ruled.reference_period_desc as reference_period,
        ruled.week_ending,
        ruled.period_kind,
        ruled.period_end_date,
        ruled.value,
        ruled.unit_desc as unit,
        ruled.value_code,
        ruled.value_raw,
        ruled.cv_pct,
        ruled.cv_code,
        ruled.load_time,
        case
            when ruled.use_load_time and ruled.load_time is not null
                then 'load_time'
            else 'release_lag'
        end as available_at_rule,
        case
            when ruled.use_load_time and ruled.load_time is not null
                then ruled.load_time
            else {{ local_to_utc(
                "ruled.period_end_date + ruled.lag_days"
                ~ " + ruled.release_time_et",
                "'America/New_York'"
            ) }}
        end as available_at
    from ruled
)

select * from final
