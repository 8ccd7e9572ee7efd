-- The rows of features.daily_ml_matrix in each walk-forward fold, with the
-- fold and the row's role in it (see walk_forward_folds). Every matrix date
-- counts as a session for the purge and embargo gaps, but only rows whose
-- targets are all known are assigned to a fold.

{%- set targets_known = [] -%}
{%- for horizon in var('target_horizons') -%}
{%- do targets_known.append('target_fwd_logret_' ~ horizon ~ 'd is not null') -%}
{%- endfor %}

with

matrix as (
    select * from {{ ref('daily_ml_matrix') }}
),

folds as (
    select * from (
        {{ walk_forward_folds(
            'matrix', 'trade_date',
            n_folds=var('fold_count'),
            test_sessions=var('fold_test_sessions'),
            purge_sessions=var('purge_sessions'),
            embargo_sessions=var('fold_embargo_sessions'),
            min_train_sessions=var('fold_min_train_sessions'),
            eligible=targets_known | join(' and ')
        ) }}
    )
),

final as (
    select
        folds.fold_id,
        folds.role,
        matrix.*
    from folds
    inner join matrix on folds.trade_date = matrix.trade_date
)

select * from final
