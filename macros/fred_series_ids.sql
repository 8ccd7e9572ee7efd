{#-
    The series ids listed in the fred_series seed, read at run time so the
    matrix has one stable column per seeded series. Returns an empty list
    when the seed table does not exist yet (parsing, linting).
-#}
{% macro fred_series_ids() %}
    {{ return(fred_series_names() | map('first') | list) }}
{% endmacro %}

{#- [series_id, name] of every seeded FRED series, ordered by id. -#}
{% macro fred_series_names() %}
    {% if not execute %}
        {{ return([]) }}
    {% endif %}
    {% set seed = ref('fred_series') %}
    {% set relation = adapter.get_relation(
        database=seed.database, schema=seed.schema, identifier=seed.identifier
    ) %}
    {% if relation is none %}
        {{ return([]) }}
    {% endif %}
    {% set result = run_query(
        "select series_id, name from " ~ relation ~ " order by series_id"
    ) %}
    {% set rows = [] %}
    {% for row in result.rows %}
        {% do rows.append([row[0], row[1]]) %}
    {% endfor %}
    {{ return(rows) }}
{% endmacro %}
