{#-
    Distinct values of one column of a seed, read at run time, so that
    models can have one stable column per listed item. Returns an empty
    list while parsing, or when the seed table does not exist yet
    (linting on the in-memory target).
-#}
{% macro seed_values(seed_name, column, where=none) %}
    {% if not execute %}
        {{ return([]) }}
    {% endif %}
    {% set seed = ref(seed_name) %}
    {% set relation = adapter.get_relation(
        database=seed.database, schema=seed.schema, identifier=seed.identifier
    ) %}
    {% if relation is none %}
        {{ return([]) }}
    {% endif %}
    {% set result = run_query(
        "select distinct " ~ column ~ " from " ~ relation
        ~ (" where " ~ where if where else "") ~ " order by 1"
    ) %}
    {{ return(result.columns[0].values() | list) }}
{% endmacro %}
