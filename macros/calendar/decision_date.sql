{#-
    The calendar date whose decision time is the first at or after
    `timestamp_column`: the local date in the decision time zone, plus one
    day when the instant falls after that day's decision time.
-#}
{% macro decision_date(timestamp_column) -%}
    cast(
        timezone('{{ var("decision_timezone") }}', {{ timestamp_column }})
        - cast('{{ var("decision_time") }}' as interval)
        + interval '1 day' - interval '1 microsecond'
        as date
    )
{%- endmacro %}
