{%- set legs = {'zl': 'ZL', 'zm': 'ZM', 'zs': 'ZS', 'ho': 'HO'} -%}
-- Fundamental spreads per trading date of the target market, each leg
-- joined as of the date's decision time (available_at <= decision_at).
--
-- board_crush: oil and meal value of a bushel crushed minus the bushel
--   (CBOT convention: 11 lb of oil and 0.022 short tons of meal per bushel).
-- oil_share: the oil's part of the crushed products' value.
-- boho_spread: soybean oil minus NY Harbor ULSD, US dollars per gallon.
-- soy_palm_spread: ZL in dollars per metric ton minus the IMF palm oil
--   price (FRED PPOILUSDM, monthly), as known at the decision time.
-- The legs are each market's continuous front month, so the crush mixes
-- contract months around rolls; it is a signal, not an executable margin.

with

market as (
    select * from {{ ref('market_daily') }}
),

macro as (
    select * from {{ ref('fred_macro_clean') }}
),

spine as (
    select
        trade_date,
        {{ decision_at('trade_date') }} as decision_at
    from market
    where symbol = '{{ var("target_symbol") }}'
),

{%- for prefix, symbol in legs.items() %}

market_{{ prefix }} as (
    select * from market
    where symbol = '{{ symbol }}'
),

leg_{{ prefix }} as (
    select
        spine.trade_date,
        leg.close as {{ prefix }}_close,
        leg.available_at as {{ prefix }}_available_at
    from spine
    asof left join market_{{ prefix }} as leg
        on spine.decision_at >= leg.available_at
),
{%- endfor %}

palm as (
    select
        as_of_date,
        value as palm_usd_per_metric_ton,
        value_age_days as palm_age_days
    from macro
    where series_id = 'PPOILUSDM'
),

joined as (
    select
        spine.trade_date,
        spine.decision_at,
        leg_zl.zl_close,
        leg_zm.zm_close,
        leg_zs.zs_close,
        leg_ho.ho_close,
        palm.palm_usd_per_metric_ton,
        palm.palm_age_days,
        greatest(
            leg_zl.zl_available_at,
            leg_zm.zm_available_at,
            leg_zs.zs_available_at
        ) as crush_available_at
    from spine
    left join leg_zl on spine.trade_date = leg_zl.trade_date
    left join leg_zm on spine.trade_date = leg_zm.trade_date
    left join leg_zs on spine.trade_date = leg_zs.trade_date
    left join leg_ho on spine.trade_date = leg_ho.trade_date
    left join palm on spine.trade_date = palm.as_of_date
),

-- Rounded to 8 decimals, far below any price tick, so that unit tests can
-- state exact expected values.
final as (
    select
        trade_date,
        decision_at,
        round(
            {{ soyoil_cents_per_lb_to_usd_per_bushel('zl_close') }}
            + {{ soymeal_usd_per_ton_to_usd_per_bushel('zm_close') }}
            - {{ cents_to_usd('zs_close') }},
            8
        ) as board_crush_usd_per_bushel,
        round(
            {{ soyoil_cents_per_lb_to_usd_per_bushel('zl_close') }}
            / nullif(
                {{ soyoil_cents_per_lb_to_usd_per_bushel('zl_close') }}
                + {{ soymeal_usd_per_ton_to_usd_per_bushel('zm_close') }},
                0
            ),
            8
        ) as oil_share_of_crush,
        round(
            {{ soyoil_cents_per_lb_to_usd_per_gallon('zl_close') }} - ho_close, 8
        ) as boho_spread_usd_per_gallon,
        round(
            {{ cents_per_lb_to_usd_per_metric_ton('zl_close') }}
            - palm_usd_per_metric_ton,
            8
        ) as soy_palm_spread_usd_per_metric_ton,
        palm_age_days,
        crush_available_at
    from joined
)

select * from final
