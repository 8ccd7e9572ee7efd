{#-
    Forward fill from earlier rows only. DuckDB's fill() interpolates from
    later rows, which leaks the future, so these use last_value ignore nulls
    over a frame that ends at the current row.
-#}

{% macro ts_ffill(column, partition_by=none, order_by='trade_date') -%}
    last_value({{ column }} ignore nulls) over (
        {%- if partition_by is not none %} partition by {{ partition_by }}{% endif %}
        order by {{ order_by }}
        rows between unbounded preceding and current row
    )
{%- endmacro %}

{#-
    Forward fill that gives up after `max_age_days`: the last non-NULL
    value, unless the row's date is more than `max_age_days` calendar days
    after the date of that value, in which case NULL.
-#}
{% macro ts_ffill_max_age(
    column, date_column, max_age_days, partition_by=none, order_by='trade_date'
) -%}
    case
        when ({{ date_column }}) - {{ ts_ffill(
            'case when ' ~ column ~ ' is not null then ' ~ date_column ~ ' end',
            partition_by, order_by) }} <= {{ max_age_days }}
            then {{ ts_ffill(column, partition_by, order_by) }}
    end
{%- endmacro %}
