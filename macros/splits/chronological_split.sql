{#-
    Rows of a date-ordered relation that fall in one chronological split.

    Splits are `train` (dates up to train_end_date), `val` (up to
    val_end_date) and `test` (the rest). Each split after the first starts
    `purge_sessions` rows after the previous split's last row, so no target
    window of one split overlaps the next split. Rows whose targets are not
    all known are left out of every split.
-#}
{% macro chronological_split(relation, split, date_column='trade_date') %}
    {%- set purge = var('purge_sessions') -%}
    {%- set longest = var('target_horizons') | max -%}
    {%- if purge < longest -%}
        {{ exceptions.raise_compiler_error(
            "purge_sessions (" ~ purge ~ ") must be at least the longest target "
            ~ "horizon (" ~ longest ~ ")"
        ) }}
    {%- endif %}
    with

    indexed as (
        select
            *,
            row_number() over (order by {{ date_column }}) as session_index
        from {{ relation }}
    ),

    boundaries as (
        select
            coalesce(max(session_index) filter (
                where {{ date_column }} <= date '{{ var("train_end_date") }}'
            ), 0) as train_last,
            coalesce(max(session_index) filter (
                where {{ date_column }} <= date '{{ var("val_end_date") }}'
            ), 0) as val_last
        from indexed
    )

    select indexed.* exclude (session_index)
    from indexed
    cross join boundaries
    where
        {% for horizon in var('target_horizons') -%}
            indexed.target_fwd_logret_{{ horizon }}d is not null and
        {% endfor -%}
        {% if split == 'train' -%}
            indexed.session_index <= boundaries.train_last
        {%- elif split == 'val' -%}
            indexed.session_index > boundaries.train_last + {{ purge }}
            and indexed.session_index <= boundaries.val_last
        {%- elif split == 'test' -%}
            indexed.session_index > boundaries.val_last + {{ purge }}
        {%- else -%}
            {{ exceptions.raise_compiler_error("unknown split " ~ split) }}
        {%- endif %}
{% endmacro %}
