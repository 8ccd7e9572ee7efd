{#-
    Band and range indicators over the trailing `n` rows, current row
    included. NULL rule: NULL unless all `n` rows have the inputs.
-#}

{#- Bollinger band: sma(n) + k * sample stddev(n); k < 0 gives the lower band. -#}
{% macro ts_bollinger(column, n, k, partition_by=none, order_by='trade_date') -%}
    (
        {{ ts_sma(column, n, partition_by, order_by) }}
        + ({{ k }}) * {{ ts_stddev(column, n, partition_by, order_by) }}
    )
{%- endmacro %}

{#-
    True range: max(high, previous close) - min(low, previous close); the
    first row of a partition uses high - low.
-#}
{% macro ts_true_range(high, low, close, partition_by=none, order_by='trade_date') -%}
    {%- set previous_close = ts_lag(close, 1, partition_by, order_by) %}
    (
        greatest({{ high }}, coalesce({{ previous_close }}, {{ high }}))
        - least({{ low }}, coalesce({{ previous_close }}, {{ low }}))
    )
{%- endmacro %}

{#-
    Average true range as the simple mean of the last `n` true ranges
    (the SMA variant, not Wilder's recursive smoothing). `true_range` is a
    column computed with ts_true_range in an earlier CTE, because window
    functions cannot be nested.
-#}
{% macro ts_atr(true_range, n, partition_by=none, order_by='trade_date') -%}
    {{ ts_sma(true_range, n, partition_by, order_by) }}
{%- endmacro %}

{#- Stochastic %K: 100 * (close - min low) / (max high - min low) over n rows. -#}
{% macro ts_stochastic_k(high, low, close, n, partition_by=none, order_by='trade_date') -%}
    100.0 * (
        ({{ close }}) - {{ ts_min(low, n, partition_by, order_by) }}
    ) / nullif(
        {{ ts_max(high, n, partition_by, order_by) }}
        - {{ ts_min(low, n, partition_by, order_by) }},
        0
    )
{%- endmacro %}

{#-
    Stochastic %D: the simple mean of the last `n` %K values. `stochastic_k`
    is a column computed with ts_stochastic_k in an earlier CTE, because
    window functions cannot be nested.
-#}
{% macro ts_stochastic_d(stochastic_k, n=3, partition_by=none, order_by='trade_date') -%}
    {{ ts_sma(stochastic_k, n, partition_by, order_by) }}
{%- endmacro %}
