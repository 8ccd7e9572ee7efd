{#-
    Calendar gap filling. A relation macro: one row per partition and per
    date of `calendar` from the partition's first to its last row date,
    with these columns:

        the partition columns, `date_column`, each of `columns`,
        is_gap_filled   true when `relation` has no row on that date
        age_sessions    calendar sessions since the row the values come from

    A filled row repeats the values of the partition's latest earlier row
    as a whole, NULLs included, and never takes a value from a later row.
    Row dates that are not in the calendar produce no output row, but their
    values fill the sessions after them. With `max_age_sessions`, the
    listed columns are NULL once age_sessions exceeds it (the row stays).
    List `available_at` in `columns` to carry it with the values.
    `relation` must have at most one row per partition and date.
-#}
{% macro ts_fill_gaps_by(
    relation, calendar, calendar_date_column, partition_by, date_column, columns,
    max_age_sessions=none
) %}
    {%- set keys = [partition_by] if partition_by is string else partition_by -%}
    {%- if columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "ts_fill_gaps_by: columns must be a non-empty list of column names"
        ) }}
    {%- endif -%}
    {%- set key_list = keys | join(', ') -%}
    {%- set window -%}
        over (
            partition by {{ key_list }} order by {{ date_column }}
            rows between unbounded preceding and current row
        )
    {%- endset -%}
    with

    ts_fill_rows as (
        select
            {{ key_list }},
            {{ date_column }},
            {%- for column in columns %}
            {{ column }},
            {%- endfor %}
            true as ts_fill_is_observed
        from {{ relation }}
    ),

    ts_fill_calendar as (
        select distinct {{ calendar_date_column }} as ts_fill_date
        from {{ calendar }}
    ),

    ts_fill_bounds as (
        select
            {{ key_list }},
            min({{ date_column }}) as ts_fill_first_date,
            max({{ date_column }}) as ts_fill_last_date
        from ts_fill_rows
        group by {{ key_list }}
    ),

    ts_fill_spine as (
        select
            {%- for key in keys %}
            ts_fill_bounds.{{ key }},
            {%- endfor %}
            ts_fill_calendar.ts_fill_date as {{ date_column }}
        from ts_fill_bounds
        inner join ts_fill_calendar
            on ts_fill_calendar.ts_fill_date between ts_fill_bounds.ts_fill_first_date
            and ts_fill_bounds.ts_fill_last_date
    ),

    {#- Calendar dates and row dates together. ts_fill_session_count numbers
        the calendar sessions up to each date of the partition. #}
    ts_fill_joined as (
        select
            {%- for key in keys %}
            coalesce(ts_fill_spine.{{ key }}, ts_fill_rows.{{ key }}) as {{ key }},
            {%- endfor %}
            coalesce(
                ts_fill_spine.{{ date_column }}, ts_fill_rows.{{ date_column }}
            ) as {{ date_column }},
            ts_fill_spine.{{ date_column }} is not null as ts_fill_is_session,
            coalesce(ts_fill_rows.ts_fill_is_observed, false) as ts_fill_is_observed,
            case
                when ts_fill_rows.ts_fill_is_observed
                    then struct_pack(
                        {%- for column in columns %}
                        {{ column }} := ts_fill_rows.{{ column }}{{ ',' if not loop.last }}
                        {%- endfor %}
                    )
            end as ts_fill_values
        from ts_fill_spine
        full outer join ts_fill_rows
            on
                {%- for key in keys %}
                ts_fill_spine.{{ key }} = ts_fill_rows.{{ key }} and
                {%- endfor %}
                ts_fill_spine.{{ date_column }} = ts_fill_rows.{{ date_column }}
    ),

    ts_fill_counted as (
        select
            *,
            sum(case when ts_fill_is_session then 1 else 0 end) {{ window }}
                as ts_fill_session_count
        from ts_fill_joined
    ),

    ts_fill_carried as (
        select
            *,
            last_value(ts_fill_values ignore nulls) {{ window }} as ts_fill_source,
            last_value(
                case when ts_fill_is_observed then ts_fill_session_count end
                ignore nulls
            ) {{ window }} as ts_fill_source_session_count
        from ts_fill_counted
    ),

    ts_fill_aged as (
        select
            *,
            cast(
                ts_fill_session_count - ts_fill_source_session_count as integer
            ) as age_sessions
        from ts_fill_carried
        where ts_fill_is_session
    )

    select
        {{ key_list }},
        {{ date_column }},
        {%- for column in columns %}
        {%- if max_age_sessions is not none %}
        case
            when age_sessions <= {{ max_age_sessions }}
                then ts_fill_source.{{ column }}
        end as {{ column }},
        {%- else %}
        ts_fill_source.{{ column }} as {{ column }},
        {%- endif %}
        {%- endfor %}
        not ts_fill_is_observed as is_gap_filled,
        age_sessions
    from ts_fill_aged
{% endmacro %}
