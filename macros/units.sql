{#-
    Unit conversions for the soybean complex, written once. Factors:
    a 60 lb bushel of soybeans crushes into about 11 lb of oil and 44 lb
    (0.022 short tons) of meal (the CBOT board crush convention); soybean
    oil weighs 7.5 lb per US gallon (the BOHO spread convention); a metric
    ton is 2204.62262 lb.
-#}

{#- Soybean oil in US cents per lb -> US dollars per bushel of soybeans crushed. -#}
{% macro soyoil_cents_per_lb_to_usd_per_bushel(column) -%}
    (({{ column }}) * 11 / 100.0)
{%- endmacro %}

{#- Soybean meal in US dollars per short ton -> US dollars per bushel crushed. -#}
{% macro soymeal_usd_per_ton_to_usd_per_bushel(column) -%}
    (({{ column }}) * 0.022)
{%- endmacro %}

{#- Soybeans in US cents per bushel -> US dollars per bushel. -#}
{% macro cents_to_usd(column) -%}
    (({{ column }}) / 100.0)
{%- endmacro %}

{#- Soybean oil in US cents per lb -> US dollars per gallon (7.5 lb/gal). -#}
{% macro soyoil_cents_per_lb_to_usd_per_gallon(column) -%}
    (({{ column }}) * 7.5 / 100.0)
{%- endmacro %}

{#- US cents per lb -> US dollars per metric ton. -#}
{% macro cents_per_lb_to_usd_per_metric_ton(column) -%}
    (({{ column }}) * 22.0462262)
{%- endmacro %}
