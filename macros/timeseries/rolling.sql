{#-
    Rolling statistics over the trailing `n` rows, current row included.
    NULL rule for all of them: the result is NULL unless all `n` rows of
    the window have a non-NULL `column`, so a short history or a gap never
    yields a value computed from fewer observations.
-#}

{% macro ts_sma(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_count_full(column, n, partition_by, order_by) }} = {{ n }}
            then avg({{ column }}) {{ ts_over(partition_by, order_by, preceding=n - 1) }}
    end
{%- endmacro %}

{% macro ts_stddev(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_count_full(column, n, partition_by, order_by) }} = {{ n }}
            then stddev_samp({{ column }}) {{ ts_over(partition_by, order_by, preceding=n - 1) }}
    end
{%- endmacro %}

{% macro ts_min(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_count_full(column, n, partition_by, order_by) }} = {{ n }}
            then min({{ column }}) {{ ts_over(partition_by, order_by, preceding=n - 1) }}
    end
{%- endmacro %}

{% macro ts_max(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_count_full(column, n, partition_by, order_by) }} = {{ n }}
            then max({{ column }}) {{ ts_over(partition_by, order_by, preceding=n - 1) }}
    end
{%- endmacro %}

{% macro ts_sum(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_count_full(column, n, partition_by, order_by) }} = {{ n }}
            then sum({{ column }}) {{ ts_over(partition_by, order_by, preceding=n - 1) }}
    end
{%- endmacro %}

{#- (column - mean) / sample standard deviation; NULL when the deviation is 0. -#}
{% macro ts_zscore(column, n, partition_by=none, order_by='trade_date') -%}
    (
        ({{ column }}) - {{ ts_sma(column, n, partition_by, order_by) }}
    ) / nullif({{ ts_stddev(column, n, partition_by, order_by) }}, 0)
{%- endmacro %}

{#-
    Annualized close-to-close realized volatility: the sample standard
    deviation of `n` log returns times sqrt(periods_per_year).
-#}
{% macro ts_realized_vol(
    return_column, n, partition_by=none, order_by='trade_date', periods_per_year=252
) -%}
    {{ ts_stddev(return_column, n, partition_by, order_by) }} * sqrt({{ periods_per_year }})
{%- endmacro %}
