{#-
    Window clause shared by the ts_ macros.

    `partition_by` is a column expression or none; `order_by` orders rows in
    time. `preceding` and `following` count rows, not calendar days.
-#}
{% macro ts_over(partition_by, order_by, preceding=none, following=none) -%}
    over (
        {%- if partition_by is not none %} partition by {{ partition_by }}{% endif %}
        order by {{ order_by }}
        {%- if preceding is not none %}
        rows between {{ preceding }} preceding and current row
        {%- elif following is not none %}
        rows between 1 following and {{ following }} following
        {%- endif %}
    )
{%- endmacro %}

{#- Count of non-NULL values of `column` in the trailing `n`-row window. -#}
{% macro ts_count_full(column, n, partition_by, order_by) -%}
    count({{ column }}) {{ ts_over(partition_by, order_by, preceding=n - 1) }}
{%- endmacro %}

{#-
    True when the trailing `n`-row window holds `n` rows. Every macro of one
    select expands it to the same text, so DuckDB computes one row_number.
-#}
{% macro ts_window_full(n, partition_by, order_by) -%}
    row_number() {{ ts_over(partition_by, order_by) }} >= {{ n }}
{%- endmacro %}

{#-
    Sum of `column`, cast to double, over the trailing `n` rows, with NULL
    replaced by NaN. It is NaN when any row of the window is NULL or NaN,
    so it serves as the rolling sum and as the NULL check at once: one
    window aggregate in place of a sum and a count. ts_sma, ts_sum,
    ts_stddev, ts_min and ts_max of one column and length expand it to the
    same text, which DuckDB computes once per select.
-#}
{% macro ts_nan_sum(column, n, partition_by, order_by) -%}
    sum(coalesce(cast({{ column }} as double), cast('nan' as double)))
    {{ ts_over(partition_by, order_by, preceding=n - 1) }}
{%- endmacro %}

{#- True when the trailing `n` rows all exist and have a non-NULL, non-NaN `column`. -#}
{% macro ts_window_complete(column, n, partition_by, order_by) -%}
    (
        {{ ts_window_full(n, partition_by, order_by) }}
        and not isnan({{ ts_nan_sum(column, n, partition_by, order_by) }})
    )
{%- endmacro %}

{#-
    Running count of rows from the partition's first row to the current
    row where `condition` holds, as a bigint (a NULL condition counts as
    false); ts_running_count counts the non-NULL values of a column. In
    DuckDB 1.4.4 a running sum of the condition cast to double is cheaper
    than a running count or a sum of a CASE expression: about 0.3 s against
    0.5 s over the sort, on 3.15 M rows in 500 partitions with 2 CPUs. It is
    exact up to 2^53 rows.
-#}
{% macro ts_running_true(condition, partition_by, order_by) -%}
    {#- sum() is NULL while every condition so far is NULL, so the coalesce. #}
    cast(
        coalesce(
            sum(cast({{ condition }} as double))
            {{ ts_over(partition_by, order_by, preceding='unbounded') }},
            0
        ) as bigint
    )
{%- endmacro %}

{% macro ts_running_count(column, partition_by, order_by) -%}
    {{ ts_running_true('(' ~ column ~ ') is not null', partition_by, order_by) }}
{%- endmacro %}
