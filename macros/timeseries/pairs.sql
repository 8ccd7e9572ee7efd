{#-
    Rolling relationship of two columns over the trailing `n` rows. NULL
    rule: NULL unless all `n` rows have both values, and NULL when a
    column has no variance in the window. A NaN counts as missing, like
    NULL, because DuckDB's corr and regr_slope raise an error on a NaN.
-#}

{#- `column` as a double, with NaN replaced by NULL. -#}
{% macro ts_nan_as_null(column) -%}
    nullif(cast({{ column }} as double), cast('nan' as double))
{%- endmacro %}

{#- Pearson correlation of `x` and `y`. -#}
{% macro ts_rolling_corr(x, y, n, partition_by=none, order_by='trade_date') -%}
    {%- set x_value = ts_nan_as_null(x) -%}
    {%- set y_value = ts_nan_as_null(y) -%}
    {%- set both = "case when " ~ x_value ~ " is not null and " ~ y_value
        ~ " is not null then 1 end" -%}
    case
        when {{ ts_count_full(both, n, partition_by, order_by) }} = {{ n }}
            then {{ ts_nan_as_null(
                'corr(' ~ y_value ~ ', ' ~ x_value ~ ') '
                ~ ts_over(partition_by, order_by, preceding=n - 1)
            ) }}
    end
{%- endmacro %}

{#- Beta of `y` on `x`: covariance(y, x) / variance(x), the OLS slope. -#}
{% macro ts_rolling_beta(y, x, n, partition_by=none, order_by='trade_date') -%}
    {%- set x_value = ts_nan_as_null(x) -%}
    {%- set y_value = ts_nan_as_null(y) -%}
    {%- set both = "case when " ~ x_value ~ " is not null and " ~ y_value
        ~ " is not null then 1 end" -%}
    case
        when {{ ts_count_full(both, n, partition_by, order_by) }} = {{ n }}
            then {{ ts_nan_as_null(
                'regr_slope(' ~ y_value ~ ', ' ~ x_value ~ ') '
                ~ ts_over(partition_by, order_by, preceding=n - 1)
            ) }}
    end
{%- endmacro %}
