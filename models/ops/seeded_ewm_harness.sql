-- Applies ts_ewms_by with seed_values to the macro harness input, for its
-- dbt unit tests: alpha 1/2 seeded with the mean of 3 values and alpha 1/4
-- seeded with the mean of 2. Both entries share one block index, so both
-- use the block of the smaller alpha, ceil(53 ln 2 / 0.25) = 147 values.
-- Rows 1-9 of each series are kept, then only rows on both sides of the
-- block boundaries, so long inputs stay readable in the tests.

with

input_rows as (
    select
        series_id,
        cast(trade_date as date) as trade_date,
        cast(x as double) as x
    from {{ ref('macro_harness_input') }}
),

smoothed as (
    select * from (
        {{ ts_ewms_by('input_rows', 'series_id', 'trade_date', [
            {'column': 'x', 'alpha': 0.5, 'name': 'x_seeded_3', 'seed_values': 3},
            {'column': 'x', 'alpha': 0.25, 'name': 'x_seeded_2', 'seed_values': 2},
        ]) }}
    )
),

numbered as (
    select
        *,
        row_number() over (
            partition by series_id order by trade_date
        ) as row_in_series
    from smoothed
),

final as (
    select
        series_id,
        trade_date,
        x,
        round(x_seeded_3, 8) as x_seeded_3,
        round(x_seeded_2, 8) as x_seeded_2
    from numbered
    where
        row_in_series <= 9
        or row_in_series in (147, 148, 149, 168, 169, 170, 294, 295, 300)
)

select * from final
