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
-- soyoil_biofuel_feedstock_mmlb: EIA monthly soybean oil consumed for
--   biofuel production (million lb), the latest month published.
-- stocks_to_use_{us,world}: WASDE soybean oil ending stocks / (domestic
--   total + exports) for the latest projected market year of the latest
--   report published.
-- The legs are each market's continuous front month, so the crush mixes
-- contract months around rolls; it is a signal, not an executable margin.

with

market as (
    select * from {{ ref('market_daily') }}
),

macro as (
    select * from {{ ref('fred_macro_clean') }}
),

eia_monthly as (
    select * from {{ ref('eia_monthly') }}
),

wasde as (
    select * from {{ ref('usda_wasde') }}
),

feedstock as (
    select
        period_date as feedstock_month,
        value as soyoil_biofuel_feedstock_mmlb,
        available_at
    from eia_monthly
    where series_id = 'M_EPOOBDSO_YIFBP_NUS_MMLB'
),

-- One row per WASDE release and region: the soybean oil balance of the
-- report's latest market year.
soyoil_balance as (
    select
        region,
        report_month,
        market_year,
        max(available_at) as available_at,
        max(value) filter (where attribute = 'Ending Stocks') as ending_stocks,
        max(value) filter (where attribute = 'Domestic Total') as domestic_total,
        max(value) filter (where attribute = 'Exports') as exports
    from wasde
    where
        commodity = 'Soybean Oil'
        and region in ('United States', 'World')
        and report_title = 'World Soybean Oil Supply and Use'
    group by region, report_month, market_year
    qualify market_year = max(market_year) over (partition by region, report_month)
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

{%- for region, label in [('United States', 'us'), ('World', 'world')] %}

balance_{{ label }} as (
    select * from soyoil_balance
    where region = '{{ region }}'
),

stocks_{{ label }} as (
    select
        spine.trade_date,
        balance.ending_stocks / nullif(
            balance.domestic_total + balance.exports, 0
        ) as stocks_to_use_{{ label }},
        balance.available_at as stocks_to_use_{{ label }}_available_at
    from spine
    asof left join balance_{{ label }} as balance
        on spine.decision_at >= balance.available_at
),
{%- endfor %}

feedstock_asof as (
    select
        spine.trade_date,
        feedstock.soyoil_biofuel_feedstock_mmlb,
        spine.trade_date - feedstock.feedstock_month as feedstock_age_days,
        feedstock.available_at as feedstock_available_at
    from spine
    asof left join feedstock
        on spine.decision_at >= feedstock.available_at
),

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
        feedstock_asof.soyoil_biofuel_feedstock_mmlb,
        feedstock_asof.feedstock_age_days,
        stocks_us.stocks_to_use_us,
        stocks_world.stocks_to_use_world,
        greatest(
            feedstock_asof.feedstock_available_at,
            stocks_us.stocks_to_use_us_available_at,
            stocks_world.stocks_to_use_world_available_at
        ) as fundamentals_available_at,
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
    left join feedstock_asof on spine.trade_date = feedstock_asof.trade_date
    left join stocks_us on spine.trade_date = stocks_us.trade_date
    left join stocks_world on spine.trade_date = stocks_world.trade_date
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
        soyoil_biofuel_feedstock_mmlb,
        feedstock_age_days,
        round(stocks_to_use_us, 8) as stocks_to_use_us,
        round(stocks_to_use_world, 8) as stocks_to_use_world,
        crush_available_at,
        fundamentals_available_at
    from joined
)

select * from final
