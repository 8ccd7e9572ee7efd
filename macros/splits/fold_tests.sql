{#-
    Fails on every train row of a fold that lies within `gap_sessions`
    sessions before that fold's first test date, or after it. Sessions are
    the distinct `date_column` values of `sessions`, so rows left out of the
    folds still count.
-#}
{% test fold_train_gap(model, column_name, sessions, gap_sessions) %}
    with

    session_index as (
        select
            {{ column_name }} as session_date,
            row_number() over (order by {{ column_name }}) as session_number
        from (select distinct {{ column_name }} from {{ sessions }})
    ),

    indexed as (
        select
            fold_rows.fold_id,
            fold_rows.role,
            session_index.session_number
        from {{ model }} as fold_rows
        inner join session_index
            on fold_rows.{{ column_name }} = session_index.session_date
    ),

    test_starts as (
        select
            fold_id,
            min(session_number) as first_test_session
        from indexed
        where role = 'test'
        group by fold_id
    )

    select indexed.*
    from indexed
    inner join test_starts on indexed.fold_id = test_starts.fold_id
    where
        indexed.role = 'train'
        and indexed.session_number > test_starts.first_test_session
        - {{ gap_sessions }} - 1
{% endtest %}
