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
