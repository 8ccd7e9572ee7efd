{#-
    Expanding-window walk-forward folds over the distinct dates (sessions)
    of `relation`. Returns rows (fold_id, role, <date_column>) with role
    'train' or 'test'. A date is in the test block of at most one fold and
    in the train set of every later fold.

    Sessions are numbered 1..N in date order. The test blocks are
    `test_sessions` long, consecutive, and the last one ends at the last
    eligible session E (the last session when `eligible` is none), so fold
    f of n starts its test block at s_f = E - (n - f + 1) * test_sessions
    + 1. Its train set is every session up to s_f - purge_sessions
    - embargo_sessions - 1. The purge is at least the longest target
    horizon, so no train label window reaches the test block, and the
    embargo widens the gap for features that are serially correlated.

    `eligible` is an optional SQL condition on the rows of `relation`
    (such as "targets are known"). Rows that fail it still count as
    sessions for every gap, but get no role. When fold 1 would have fewer
    than `min_train_sessions` train sessions, the result is empty.
-#}
{% macro walk_forward_folds(
    relation, date_column, n_folds, test_sessions, purge_sessions,
    embargo_sessions, min_train_sessions, eligible=none
) %}
    {%- set longest = var('target_horizons') | max -%}
    {%- if purge_sessions < longest -%}
        {{ exceptions.raise_compiler_error(
            "walk_forward_folds: purge_sessions (" ~ purge_sessions ~ ") must be at"
            ~ " least the longest target horizon (" ~ longest ~ ")"
        ) }}
    {%- endif -%}
    {%- if n_folds < 1 or test_sessions < 1 or min_train_sessions < 1
        or embargo_sessions < 0 -%}
        {{ exceptions.raise_compiler_error(
            "walk_forward_folds: expected n_folds, test_sessions and"
            ~ " min_train_sessions >= 1 and embargo_sessions >= 0, got n_folds="
            ~ n_folds ~ ", test_sessions=" ~ test_sessions ~ ", min_train_sessions="
            ~ min_train_sessions ~ ", embargo_sessions=" ~ embargo_sessions
        ) }}
    {%- endif -%}
    {%- set gap = purge_sessions + embargo_sessions -%}
    with

    wf_sessions as (
        select
            {{ date_column }},
            bool_or({{ eligible if eligible is not none else 'true' }}) as is_eligible
        from {{ relation }}
        where {{ date_column }} is not null
        group by {{ date_column }}
    ),

    wf_indexed as (
        select
            *,
            row_number() over (order by {{ date_column }}) as session_index
        from wf_sessions
    ),

    wf_last as (
        select max(session_index) filter (where is_eligible) as last_eligible
        from wf_indexed
    ),

    wf_folds as (
        select
            fold_id,
            wf_last.last_eligible
            - ({{ n_folds }} - fold_id + 1) * {{ test_sessions }} + 1 as test_start
        from range(1, {{ n_folds + 1 }}) as folds (fold_id)
        cross join wf_last
        {#- An empty result unless fold 1 has enough train sessions. #}
        where
            wf_last.last_eligible - {{ n_folds }} * {{ test_sessions }}
            - {{ gap }} >= {{ min_train_sessions }}
    ),

    final as (
        select
            wf_folds.fold_id,
            case
                when wf_indexed.session_index >= wf_folds.test_start then 'test'
                else 'train'
            end as role,
            wf_indexed.{{ date_column }}
        from wf_folds
        inner join wf_indexed
            on
                wf_indexed.session_index
                <= wf_folds.test_start - {{ gap }} - 1
                or wf_indexed.session_index between wf_folds.test_start
                and wf_folds.test_start + {{ test_sessions }} - 1
        where wf_indexed.is_eligible
    )

    select * from final
{% endmacro %}
