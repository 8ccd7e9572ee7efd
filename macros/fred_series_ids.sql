{#-
    The series ids listed in the fred_series seed, read at run time so the
    matrix has one stable column per seeded series. Returns an empty list
    when the seed table does not exist yet (parsing, linting).
-#}
{% macro fred_series_ids() %}
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
        "select series_id from " ~ relation ~ " order by series_id"
    ) %}
    {{ return(result.columns[0].values() | list) }}
{% endmacro %}
