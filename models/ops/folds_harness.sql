-- Applies walk_forward_folds to the harness calendar: 2 folds of 3 test
-- sessions, a purge of the longest target horizon, an embargo of 1 and at
-- least 4 train sessions. Rows without a target (has_target false) count
-- as sessions but get no role.

with

sessions as (
    select
        cast(session_date as date) as trade_date,
        cast(has_target as boolean) as has_target
    from {{ ref('calendar_harness_input') }}
),

final as (
    select * from (
        {{ walk_forward_folds(
            'sessions', 'trade_date', n_folds=2, test_sessions=3,
            purge_sessions=var('target_horizons') | max, embargo_sessions=1,
            min_train_sessions=4, eligible='has_target'
        ) }}
    )
)

select * from final
