{#- Fails on every combination of `columns` that appears more than once. -#}
{% test unique_combination(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as n_rows
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Fails on rows where a price bar is impossible: high < low or low <= 0. -#}
{% test valid_price_bar(model, high='high', low='low') %}
    select *
    from {{ model }}
    where {{ high }} < {{ low }} or {{ low }} <= 0
{% endtest %}

{#- Fails on rows dated on a Saturday or Sunday. -#}
{% test no_weekend_dates(model, column_name) %}
    select *
    from {{ model }}
    where isodow({{ column_name }}) in (6, 7)
{% endtest %}

{#- Fails on rows whose value was published after the row's decision time. -#}
{% test available_before(model, column_name, decision_column) %}
    select *
    from {{ model }}
    where {{ column_name }} > {{ decision_column }}
{% endtest %}
