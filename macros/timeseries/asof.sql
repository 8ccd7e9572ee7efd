{#-
    Point-in-time join. A relation macro: every row and column of `left`,
    plus, from the latest `right` row (of the same partition) whose
    `right_time` is at or before the left row's `left_time`:

        <prefix><column>     each of `columns`
        <prefix>age_days     left_date - reference_date, in days (only when
                             both `left_date` and `reference_date` are given)
        <prefix>available_at that row's `right_time`

    Several right rows at one `right_time` (a catch-up release of several
    reports at once) are reduced to one first: the row with the latest
    `reference_date`, then the lowest values of `columns`, so the result
    does not depend on how DuckDB's ASOF join breaks ties. With
    `max_age_days`, the listed columns are NULL once the age exceeds it;
    the age and available_at stay, so a reader can see why. A left row
    without a match gets NULLs. `left_time`, `right_time`, `left_date`,
    `reference_date` and the partition columns are column names, and the
    partition columns have the same names on both sides.

    NOTE: the match is the right row published last, not the one with the
    latest `reference_date`. A correction to an old row, published after
    the newest row, makes later left rows match the old row until a newer
    row is published.
-#}
{% macro ts_asof_join(
    left, right, left_time, right_time='available_at', partition_by=none,
    columns=[], prefix='', reference_date=none, left_date=none, max_age_days=none
) %}
    {%- set keys = [] if partition_by is none
        else ([partition_by] if partition_by is string else partition_by) -%}
    {%- if columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "ts_asof_join: columns must be a non-empty list of column names"
        ) }}
    {%- endif -%}
    {%- set has_age = reference_date is not none and left_date is not none -%}
    {%- if max_age_days is not none and not has_age -%}
        {{ exceptions.raise_compiler_error(
            "ts_asof_join: max_age_days needs both reference_date and left_date"
        ) }}
    {%- endif -%}
    {%- set tie_order = ([reference_date ~ ' desc nulls last'] if reference_date else [])
        + columns -%}
    with

    ts_asof_right as (
        select
            {%- for key in keys %}
            {{ key }},
            {%- endfor %}
            {%- if reference_date is not none %}
            {{ reference_date }} as ts_asof_reference_date,
            {%- endif %}
            {%- for column in columns %}
            {{ column }},
            {%- endfor %}
            {{ right_time }} as ts_asof_time
        from {{ right }}
        where {{ right_time }} is not null
        qualify row_number() over (
            partition by {% for key in keys %}{{ key }}, {% endfor %}{{ right_time }}
            order by {{ tie_order | join(', ') }}
        ) = 1
    ),

    ts_asof_joined as (
        select
            ts_asof_left.*,
            {%- for column in columns %}
            ts_asof_right.{{ column }} as ts_asof_value_{{ loop.index }},
            {%- endfor %}
            {%- if has_age %}
            cast(ts_asof_left.{{ left_date }} as date)
            - cast(ts_asof_right.ts_asof_reference_date as date) as ts_asof_age_days,
            {%- endif %}
            ts_asof_right.ts_asof_time
        from {{ left }} as ts_asof_left
        asof left join ts_asof_right
            on
                {%- for key in keys %}
                ts_asof_left.{{ key }} = ts_asof_right.{{ key }} and
                {%- endfor %}
                ts_asof_left.{{ left_time }} >= ts_asof_right.ts_asof_time
    )

    select
        * exclude (
            {%- for column in columns %}
            ts_asof_value_{{ loop.index }},
            {%- endfor %}
            {%- if has_age %}
            ts_asof_age_days,
            {%- endif %}
            ts_asof_time
        ),
        {%- for column in columns %}
        {%- if max_age_days is not none %}
        case
            when ts_asof_age_days <= {{ max_age_days }} then ts_asof_value_{{ loop.index }}
        end as {{ prefix }}{{ column }},
        {%- else %}
        ts_asof_value_{{ loop.index }} as {{ prefix }}{{ column }},
        {%- endif %}
        {%- endfor %}
        {%- if has_age %}
        ts_asof_age_days as {{ prefix }}age_days,
        {%- endif %}
        ts_asof_time as {{ prefix }}available_at
    from ts_asof_joined
{% endmacro %}
