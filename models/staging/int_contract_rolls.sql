-- Every listed contract of each root in contract_calendars from 1990 to
-- 2040, with the date on which a continuous front-month series moves past
-- it. Used only where a vendor's continuous series does not name its
-- contract.

with

calendars as (
    select * from {{ ref('contract_calendars') }}
),

month_codes as (
    select
        codes.month_code,
        codes.month_number
    from (
        values
        ('F', 1), ('G', 2), ('H', 3), ('J', 4), ('K', 5), ('M', 6),
        ('N', 7), ('Q', 8), ('U', 9), ('V', 10), ('X', 11), ('Z', 12)
    ) as codes (month_code, month_number)
),

contract_years as (
    select unnest(range(1990, 2041)) as contract_year
),

final as (
    select
        calendars.root,
        concat(
            calendars.root,
            month_codes.month_code,
            lpad(cast(contract_years.contract_year % 100 as varchar), 2, '0')
        ) as contract,
        make_date(
            contract_years.contract_year, month_codes.month_number, 1
        ) as contract_month,
        cast(
            make_date(contract_years.contract_year, month_codes.month_number, 1)
            + to_months(calendars.roll_month_offset)
            + to_days(calendars.roll_day - 1) as date
        ) as roll_date
    from calendars
    cross join month_codes
    cross join contract_years
    where contains(calendars.month_codes, month_codes.month_code)
)

select * from final
