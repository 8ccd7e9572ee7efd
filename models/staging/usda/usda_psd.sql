-- FAS PSD balances (soybeans, soybean oil, soybean meal) per country,
-- market year and attribute, with a conservative publication instant.
--
-- Release rule: PSD is revised with each month's WASDE, and a row keeps
-- only its current value with the year and month of the update that last
-- changed it. That update is public by the end of its month, so the row is
-- available from the first day of the next month, 00:00 America/New_York.
-- Rows without an update month cannot be dated and are left out.

with

balances as (
    select * from {{ source('raw_usda', 'usda_fas_psd') }}
    where calendar_year is not null and month between 1 and 12
),

final as (
    select
        balances.commodity_code,
        case balances.commodity_code
            when '2222000' then 'soybeans'
            when '4232000' then 'soybean oil'
            when '0813100' then 'soybean meal'
        end as commodity,
        balances.country_code,
        balances.market_year,
        balances.attribute_id,
        balances.attribute_name,
        balances.value,
        balances.unit_id,
        balances.unit_description as unit,
        make_date(balances.calendar_year, balances.month, 1) as update_month,
        {{ local_to_utc(
            "last_day(make_date(balances.calendar_year, balances.month, 1))"
            ~ " + 1",
            "'America/New_York'"
        ) }} as available_at
    from balances
)

select * from final
