{#-
    Row-shift macros. Each looks back a number of rows within the
    partition, not calendar days. NULL rule: NULL when the shifted row does
    not exist or a needed value is NULL.
-#}

{% macro ts_lag(column, n=1, partition_by=none, order_by='trade_date') -%}
    lag({{ column }}, {{ n }}) {{ ts_over(partition_by, order_by) }}
{%- endmacro %}

{#- ln(x_t / x_{t-n}); NULL unless both prices are positive. -#}
{% macro ts_log_return(column, n=1, partition_by=none, order_by='trade_date') -%}
    case
        when ({{ column }}) > 0
            and {{ ts_lag(column, n, partition_by, order_by) }} > 0
            then ln(({{ column }}) / {{ ts_lag(column, n, partition_by, order_by) }})
    end
{%- endmacro %}

{#- Rate of change: x_t / x_{t-n} - 1; NULL when x_{t-n} is 0 or NULL. -#}
{% macro ts_roc(column, n, partition_by=none, order_by='trade_date') -%}
    ({{ column }}) / nullif({{ ts_lag(column, n, partition_by, order_by) }}, 0) - 1
{%- endmacro %}

{#-
    Sum of the next `n` rows, excluding the current one. This is the only
    macro that looks forward; use it for targets alone and name the result
    with a `target_` or `forward_` prefix. NULL unless all `n` later rows
    exist and are non-NULL.
-#}
{% macro ts_forward_sum(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when count({{ column }}) {{ ts_over(partition_by, order_by, following=n) }} = {{ n }}
            then sum({{ column }}) {{ ts_over(partition_by, order_by, following=n) }}
    end
{%- endmacro %}
