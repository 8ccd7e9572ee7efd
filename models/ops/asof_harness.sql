-- Applies the relation macro ts_asof_join to the as-of harness inputs, with
-- and without a maximum age, for its dbt unit tests.

with

left_rows as (
    select
        series_id,
        cast(trade_date as date) as trade_date,
        cast(decision_at as timestamp) as decision_at
    from {{ ref('asof_left_harness_input') }}
),

right_rows as (
    select
        series_id,
        cast(report_date as date) as report_date,
        cast(amount as double) as amount,
        cast(available_at as timestamp) as available_at
    from {{ ref('asof_right_harness_input') }}
),

joined as (
    select * from (
        {{ ts_asof_join(
            'left_rows', 'right_rows', 'decision_at', 'available_at', 'series_id',
            ['amount', 'report_date'], prefix='src_', reference_date='report_date',
            left_date='trade_date'
        ) }}
    )
),

joined_max_age as (
    select * from (
        {{ ts_asof_join(
            'left_rows', 'right_rows', 'decision_at', 'available_at', 'series_id',
            ['amount'], prefix='aged_', reference_date='report_date',
            left_date='trade_date', max_age_days=3
        ) }}
    )
),

final as (
    select
        joined.series_id,
        joined.trade_date,
        joined.src_amount,
        joined.src_report_date,
        joined.src_age_days,
        joined.src_available_at,
        joined_max_age.aged_amount
    from joined
    inner join joined_max_age
        on
            joined.series_id = joined_max_age.series_id
            and joined.trade_date = joined_max_age.trade_date
)

select * from final
