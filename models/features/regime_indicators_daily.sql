{%- set target = var('target_symbol') -%}
{%- set vol_window = var('regime_vol_window') -%}
{%- set vol_lookback = var('regime_vol_lookback') -%}
{%- set vol_low, vol_high = var('regime_vol_thresholds') -%}
{%- set trend_fast, trend_slow = var('regime_trend_windows') -%}
{%- set cot_lookback = var('regime_cot_lookback') -%}
{%- set cot_low, cot_high = var('regime_cot_thresholds') -%}
{%- set event_days = var('regime_policy_event_days') -%}
{%- set baseline_days = var('regime_policy_baseline_days') -%}
-- Market, positioning and policy regimes per trading date of the target
-- market, each block joined as of the date's decision time.
--
-- Volatility: the target's realized volatility over regime_vol_window
-- sessions (annualized, roll-adjusted returns) and its percentile among
-- the last regime_vol_lookback values, current included: the share of
-- those values at or below the current one. Only earlier rows enter the
-- window, and the percentile is NULL until all of them have a value.
-- Trend: fast and slow simple means of the cumulative roll-adjusted log
-- return (a log price index without roll jumps), the sign of their gap
-- and how many sessions in a row that sign has held.
-- Positioning: managed-money net / open interest of the target's COT
-- report, as a z-score and a percentile over the last regime_cot_lookback
-- reports, as of the report's release (NULL past cot_max_age_days).
-- Policy: the administration and trade-policy phase of
-- text_policy_regimes, and Trump policy events (trump_policy_intelligence)
-- in the last regime_policy_event_days days against the mean count per
-- such period over the last regime_policy_baseline_days days. Measures
-- are rounded to 10 decimals, so that unit tests can state exact values.

with

market as (
    select * from {{ ref('market_daily') }}
),

cot as (
    select * from {{ ref('cftc_cot') }}
),

policy_regimes as (
    select * from {{ ref('text_policy_regimes') }}
),

policy_events as (
    select * from {{ ref('trump_policy_intelligence') }}
),

spine as (
    select
        trade_date,
        {{ decision_at('trade_date') }} as decision_at
    from market
    where symbol = '{{ target }}'
),

target_returns as (
    select
        trade_date,
        roll_adjusted_log_return,
        sum(roll_adjusted_log_return) over (
            order by trade_date
            rows between unbounded preceding and current row
        ) as log_price_index,
        max(available_at) over (
            order by trade_date
            rows between unbounded preceding and current row
        ) as available_at
    from market
    where symbol = '{{ target }}'
),

volatility as (
    select
        *,
        {{ ts_realized_vol('roll_adjusted_log_return', vol_window) }}
            as realized_vol,
        {{ ts_sma('log_price_index', trend_fast) }} as trend_sma_fast,
        {{ ts_sma('log_price_index', trend_slow) }} as trend_sma_slow
    from target_returns
),

vol_history as (
    select
        *,
        list(realized_vol) over (
            order by trade_date
            rows between {{ vol_lookback - 1 }} preceding and current row
        ) as past_vols,
        sign(trend_sma_fast - trend_sma_slow) as trend_sign
    from volatility
),

trend_changes as (
    select
        *,
        len(list_filter(past_vols, v -> v is not null)) as past_vol_count,
        len(list_filter(past_vols, v -> v <= realized_vol)) as past_vols_at_or_below,
        coalesce(
            trend_sign is distinct from lag(trend_sign) over (order by trade_date),
            true
        ) as is_trend_change
    from vol_history
),

trend_runs as (
    select
        *,
        sum(case when is_trend_change then 1 else 0 end) over (
            order by trade_date
            rows between unbounded preceding and current row
        ) as trend_run,
        case
            when past_vol_count = {{ vol_lookback }}
                then past_vols_at_or_below / {{ vol_lookback }}
        end as vol_percentile
    from trend_changes
),

market_regimes as (
    select
        trade_date,
        realized_vol,
        vol_percentile,
        case
            when vol_percentile <= {{ vol_low }} then 'low'
            when vol_percentile >= {{ vol_high }} then 'high'
            when vol_percentile is not null then 'normal'
        end as vol_regime,
        trend_sma_fast - trend_sma_slow as trend_gap,
        trend_sign,
        case
            when trend_sign is not null
                then row_number() over (
                    partition by trend_run order by trade_date
                )
        end as trend_persistence,
        available_at
    from trend_runs
),

-- A late bar can give several rows the same running available_at. The
-- as-of join needs one row per instant, so keep the latest of them.
market_published as (
    select * from market_regimes
    qualify row_number() over (
        partition by available_at order by trade_date desc
    ) = 1
),

-- Catch-up releases after a shutdown publish several reports at once.
-- The statistics use every report, and the as-of join keeps the latest of
-- those published together.
cot_shares as (
    select
        report_date,
        managed_money_net / nullif(open_interest, 0) as mm_net_share,
        max(available_at) over (
            order by report_date
            rows between unbounded preceding and current row
        ) as available_at
    from cot
    where root = '{{ target }}'
),

cot_history as (
    select
        *,
        {{ ts_zscore('mm_net_share', cot_lookback, none, 'report_date') }}
            as mm_net_share_zscore,
        list(mm_net_share) over (
            order by report_date
            rows between {{ cot_lookback - 1 }} preceding and current row
        ) as past_shares
    from cot_shares
),

cot_counts as (
    select
        *,
        len(list_filter(past_shares, s -> s is not null)) as past_share_count,
        len(list_filter(past_shares, s -> s <= mm_net_share)) as past_shares_at_or_below
    from cot_history
),

cot_regimes as (
    select
        report_date,
        mm_net_share,
        mm_net_share_zscore,
        case
            when past_share_count = {{ cot_lookback }}
                then past_shares_at_or_below / {{ cot_lookback }}
        end as mm_net_share_percentile,
        available_at
    from cot_counts
    qualify row_number() over (
        partition by available_at order by report_date desc
    ) = 1
),

-- A phase counts from the end of its start date in New York, so a change
-- announced after the decision time (the 2025-04-02 tariffs came after
-- the US close) first shows on the next trading date.
policy_phases as (
    select
        regime_kind,
        regime,
        cast(start_date as date) as start_date,
        {{ local_to_utc(
            "cast(start_date as date) + time '23:59:59'", "'America/New_York'"
        ) }} as available_at
    from policy_regimes
),

{%- for kind in ['administration', 'trade'] %}

{{ kind }}_phases as (
    select * from policy_phases
    where regime_kind = '{{ kind }}'
),

{{ kind }}_asof as (
    select
        spine.trade_date,
        phases.regime,
        phases.start_date,
        phases.available_at
    from spine
    asof left join {{ kind }}_phases as phases
        on spine.decision_at >= phases.available_at
),
{%- endfor %}

-- Event counts in a trailing window come from a running count of events
-- by available_at: the count in (T - d, T] is the running count at T minus
-- the running count at T - d. Two as-of lookups per date replace a range
-- join of every date with every event of the past year.
events_by_instant as (
    select
        available_at,
        count(*) as events
    from policy_events
    where available_at is not null
    group by available_at
),

events_running as (
    select
        available_at,
        cast(sum(events) over (
            order by available_at rows between unbounded preceding and current row
        ) as bigint) as events_to_date
    from events_by_instant
),

event_bounds as (
    select
        trade_date,
        decision_at,
        decision_at - to_days({{ event_days }}) as recent_start,
        decision_at - to_days({{ baseline_days }}) as baseline_start
    from spine
),

events_at_decision as (
    select
        event_bounds.*,
        events_running.events_to_date,
        events_running.available_at as latest_event_at
    from event_bounds
    asof left join events_running
        on event_bounds.decision_at >= events_running.available_at
),

events_at_recent_start as (
    select
        events_at_decision.*,
        events_running.events_to_date as events_before_recent
    from events_at_decision
    asof left join events_running
        on events_at_decision.recent_start >= events_running.available_at
),

events_at_baseline_start as (
    select
        events_at_recent_start.*,
        events_running.events_to_date as events_before_baseline
    from events_at_recent_start
    asof left join events_running
        on events_at_recent_start.baseline_start >= events_running.available_at
),

event_counts as (
    select
        trade_date,
        coalesce(events_to_date, 0)
        - coalesce(events_before_recent, 0) as events_recent,
        coalesce(events_to_date, 0)
        - coalesce(events_before_baseline, 0) as events_baseline,
        case
            when latest_event_at > baseline_start then latest_event_at
        end as available_at
    from events_at_baseline_start
),

market_asof as (
    select
        spine.trade_date,
        market_published.trade_date as market_date,
        market_published.realized_vol,
        market_published.vol_percentile,
        market_published.vol_regime,
        market_published.trend_gap,
        market_published.trend_sign,
        market_published.trend_persistence,
        market_published.available_at
    from spine
    asof left join market_published
        on spine.decision_at >= market_published.available_at
),

cot_asof as (
    select
        spine.trade_date,
        cot_regimes.report_date,
        cot_regimes.mm_net_share,
        cot_regimes.mm_net_share_zscore,
        cot_regimes.mm_net_share_percentile,
        cot_regimes.available_at
    from spine
    asof left join cot_regimes
        on spine.decision_at >= cot_regimes.available_at
),

final as (
    select
        spine.trade_date,
        spine.decision_at,
        round(market_asof.realized_vol, 10) as vol_realized_{{ vol_window }},
        round(market_asof.vol_percentile, 10) as vol_percentile,
        market_asof.vol_regime,
        round(market_asof.trend_gap, 10) as trend_gap,
        market_asof.trend_sign,
        market_asof.trend_persistence,
        spine.trade_date - market_asof.market_date as market_regime_age_days,
        market_asof.available_at as market_regime_available_at,
        {%- for column in [
            'mm_net_share', 'mm_net_share_zscore', 'mm_net_share_percentile'
        ] %}
        round(case
            when
                spine.trade_date - cot_asof.report_date
                <= {{ var('cot_max_age_days') }}
                then cot_asof.{{ column }}
        end, 10) as cot_{{ column }},
        {%- endfor %}
        case
            when
                spine.trade_date - cot_asof.report_date
                <= {{ var('cot_max_age_days') }}
                then cot_asof.mm_net_share_percentile >= {{ cot_high }}
        end as cot_mm_extreme_long,
        case
            when
                spine.trade_date - cot_asof.report_date
                <= {{ var('cot_max_age_days') }}
                then cot_asof.mm_net_share_percentile <= {{ cot_low }}
        end as cot_mm_extreme_short,
        spine.trade_date - cot_asof.report_date as cot_regime_age_days,
        cot_asof.available_at as cot_regime_available_at,
        administration_asof.regime as administration_regime,
        trade_asof.regime as trade_policy_regime,
        spine.trade_date - trade_asof.start_date as trade_policy_regime_age_days,
        greatest(
            administration_asof.available_at, trade_asof.available_at
        ) as policy_regime_available_at,
        event_counts.events_recent as trump_events_{{ event_days }}d,
        round(
            event_counts.events_baseline * {{ event_days }} / {{ baseline_days }}, 10
        ) as trump_events_{{ event_days }}d_baseline,
        round(
            event_counts.events_recent / nullif(
                event_counts.events_baseline * {{ event_days }} / {{ baseline_days }},
                0
            ),
            10
        ) as trump_events_intensity,
        spine.trade_date
        - cast(timezone('{{ var("decision_timezone") }}', event_counts.available_at) as date)  -- noqa: LT05
            as trump_events_age_days,
        event_counts.available_at as trump_events_available_at
    from spine
    left join market_asof on spine.trade_date = market_asof.trade_date
    left join cot_asof on spine.trade_date = cot_asof.trade_date
    left join administration_asof
        on spine.trade_date = administration_asof.trade_date
    left join trade_asof on spine.trade_date = trade_asof.trade_date
    left join event_counts on spine.trade_date = event_counts.trade_date
)

select * from final
