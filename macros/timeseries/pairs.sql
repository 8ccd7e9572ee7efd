{#-
    Rolling relationship of two columns over the trailing `n` rows. NULL
    rule: NULL unless all `n` rows have both values, and NULL when a
    column has no variance in the window.
-#}

{#- Pearson correlation of `x` and `y`. -#}
{% macro ts_rolling_corr(x, y, n, partition_by=none, order_by='trade_date') -%}
    {%- set both = "case when " ~ x ~ " is not null and " ~ y ~ " is not null"
        ~ " then 1 end" -%}
    case
        when {{ ts_count_full(both, n, partition_by, order_by) }} = {{ n }}
            then corr({{ y }}, {{ x }}) {{ ts_over(partition_by, order_by, preceding=n - 1) }}
    end
{%- endmacro %}

{#- Beta of `y` on `x`: covariance(y, x) / variance(x), the OLS slope. -#}
{% macro ts_rolling_beta(y, x, n, partition_by=none, order_by='trade_date') -%}
    {%- set both = "case when " ~ x ~ " is not null and " ~ y ~ " is not null"
        ~ " then 1 end" -%}
    case
        when {{ ts_count_full(both, n, partition_by, order_by) }} = {{ n }}
            then regr_slope({{ y }}, {{ x }}) {{ ts_over(partition_by, order_by, preceding=n - 1) }}
    end
{%- endmacro %}
