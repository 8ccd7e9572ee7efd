{#-
    SQL condition that is true for the raw rows an incremental model may
    not have seen: `_loaded_at` at or after the model's bound in the
    ZL_INCREMENTAL_SINCE variable (set by `zl build`, see ingest/build.py).
    A model missing from it gets `true`, so every row counts as new and the
    model recomputes all its dates.
-#}
{% macro loaded_since_condition() -%}
    {%- set since_by_model = fromjson(env_var('ZL_INCREMENTAL_SINCE', '{}')) -%}
    {%- set loaded_since = since_by_model.get(model.name) -%}
    {%- if loaded_since -%}
        _loaded_at >= timestamptz '{{ loaded_since }}'
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
