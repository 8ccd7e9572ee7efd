{#-
    The UTC instant of a local wall-clock timestamp. `timezone_expression`
    is SQL: a quoted zone name or a column holding one.
-#}
{% macro local_to_utc(local_timestamp, timezone_expression) -%}
    timezone({{ timezone_expression }}, cast({{ local_timestamp }} as timestamp))
{%- endmacro %}

{#- The decision instant of a trading date: the date at the decision time. -#}
{% macro decision_at(date_column) -%}
    {{ local_to_utc(
        date_column ~ " + cast('" ~ var('decision_time') ~ "' as time)",
        "'" ~ var('decision_timezone') ~ "'"
    ) }}
{%- endmacro %}
