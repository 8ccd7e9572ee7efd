-- Applies the relation macro ts_fill_gaps_by to the gap harness input over
-- the harness calendar, once without and once with a maximum age of 2
-- sessions, for its dbt unit tests.

with

input_rows as (
    select
        series_id,
        cast(trade_date as date) as trade_date,
        cast(amount as double) as amount,
        cast(available_at as timestamp) as available_at
    from {{ ref('gaps_harness_input') }}
),

sessions as (
    select cast(session_date as date) as session_date
    from {{ ref('calendar_harness_input') }}
),

filled as (
    select * from (
        {{ ts_fill_gaps_by(
            'input_rows', 'sessions', 'session_date', 'series_id', 'trade_date',
            ['amount', 'available_at']
        ) }}
    )
),

filled_max_age as (
    select * from (
        {{ ts_fill_gaps_by(
            'input_rows', 'sessions', 'session_date', 'series_id', 'trade_date',
            ['amount'], max_age_sessions=2
        ) }}
    )
),

final as (
    select
        filled.series_id,
        filled.trade_date,
        filled.amount,
        filled.available_at,
        filled.is_gap_filled,
        filled.age_sessions,
        filled_max_age.amount as amount_max_age_2
    from filled
    inner join filled_max_age
        on
            filled.series_id = filled_max_age.series_id
            and filled.trade_date = filled_max_age.trade_date
)

select * from final
