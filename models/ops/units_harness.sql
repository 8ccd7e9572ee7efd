-- Applies each unit conversion macro to a small input so that dbt unit
-- tests can check the factors against hand-computed values.

with

input_rows as (
    select * from {{ ref('units_harness_input') }}
),

final as (
    select
        soyoil_cents_lb,
        soymeal_usd_ton,
        soybeans_cents_bu,
        heating_oil_usd_gal,
        round(
            {{ soyoil_cents_per_lb_to_usd_per_bushel('soyoil_cents_lb') }}, 6
        ) as oil_usd_per_bushel,
        round(
            {{ soymeal_usd_per_ton_to_usd_per_bushel('soymeal_usd_ton') }}, 6
        ) as meal_usd_per_bushel,
        round({{ cents_to_usd('soybeans_cents_bu') }}, 6) as beans_usd_per_bushel,
        round(
            {{ soyoil_cents_per_lb_to_usd_per_gallon('soyoil_cents_lb') }}, 6
        ) as oil_usd_per_gallon,
        round(
            {{ cents_per_lb_to_usd_per_metric_ton('soyoil_cents_lb') }}, 4
        ) as oil_usd_per_metric_ton
    from input_rows
)

select * from final
