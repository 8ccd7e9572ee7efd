{#-
    Use a model's configured schema verbatim (`staging`, not
    `main_staging`): the layer names are the public contract users query.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
