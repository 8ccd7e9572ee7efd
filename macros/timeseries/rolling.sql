{#-
    Rolling statistics over the trailing `n` rows, current row included.
    NULL rule for all of them: the result is NULL unless all `n` rows of
    the window have a non-NULL `column`, so a short history or a gap never
    yields a value computed from fewer observations. A NaN counts as
    missing, like NULL. The check is ts_window_complete: a row number and
    the window's sum with NULL read as NaN, which ts_sma and ts_sum also
    use as their value, so a column's statistics of one length share one
    aggregate for both the check and the sum. `column` must be numeric.
-#}

{% macro ts_sma(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_window_full(n, partition_by, order_by) }}
            then nullif(
                {{ ts_nan_sum(column, n, partition_by, order_by) }},
                cast('nan' as double)
            ) / {{ n }}
    end
{%- endmacro %}

{% macro ts_stddev(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_window_complete(column, n, partition_by, order_by) }}
            then stddev_samp(
                {#- stddev_samp raises an error on a NaN, even where the check fails. #}
                nullif(cast({{ column }} as double), cast('nan' as double))
            ) {{ ts_over(partition_by, order_by, preceding=n - 1) }}
    end
{%- endmacro %}

{#-
    DuckDB orders NaN above every number, so the maximum of a window in
    which NULL reads as NaN is NaN exactly when the window is incomplete,
    and the NULL check costs no second aggregate. The minimum is minus the
    maximum of the negated values. Both return a double.
-#}
{% macro ts_min(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_window_full(n, partition_by, order_by) }}
            then -nullif(
                max(coalesce(-cast({{ column }} as double), cast('nan' as double)))
                {{ ts_over(partition_by, order_by, preceding=n - 1) }},
                cast('nan' as double)
            )
    end
{%- endmacro %}

{% macro ts_max(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_window_full(n, partition_by, order_by) }}
            then nullif(
                max(coalesce(cast({{ column }} as double), cast('nan' as double)))
                {{ ts_over(partition_by, order_by, preceding=n - 1) }},
                cast('nan' as double)
            )
    end
{%- endmacro %}

{#- The sum is a double whatever the type of `column`. -#}
{% macro ts_sum(column, n, partition_by=none, order_by='trade_date') -%}
    case
        when {{ ts_window_full(n, partition_by, order_by) }}
            then nullif(
                {{ ts_nan_sum(column, n, partition_by, order_by) }},
                cast('nan' as double)
            )
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
