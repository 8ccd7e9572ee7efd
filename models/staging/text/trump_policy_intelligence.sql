-- Policy events extracted from Truth Social posts, one row per post and
-- event type, each with a ZL impact score known when the post was public.
--
-- Event types are the post's taxonomy buckets that name a policy area
-- (tariffs, China trade, biofuels and EPA renewable fuel rules, farm aid,
-- South American crops, energy). Var policy_event_buckets maps buckets to
-- event types. Reposts and media-only posts are not events.
--
-- Impact score: the mean ZL roll-adjusted return of the session after
-- earlier events of the same type, counting only events whose return was
-- already public at this post's available_at, shrunk toward zero as
-- n / (n + k) with k = var policy_shrinkage_events. It is then refined by
-- the events of the same type and the same sentiment sign, shrunk toward
-- depends_on: {{ source('raw_truthsocial', 'scrapecreators_trump') }}
-- depends_on: {{ source('raw', 'databento_futures_ohlcv_1d') }}
-- depends_on: {{ source('raw', 'databento_statistics') }}
-- depends_on: {{ source('raw', 'vendor_prices') }}
-- the type's estimate in the same way, so a post's sentiment moves the
-- score only as far as past posts support it.
--
-- Incremental: an event's row depends on events and market sessions up to
-- its own available_at, and on the first session at or after it. A build
-- recomputes the events public from the earliest day that newly loaded
-- posts or market rows can change (see first_recomputed_day) and keeps
-- the others.

{%- set event_types = var('policy_event_buckets') %}
{%- set k = var('policy_shrinkage_events') %}
{%- set is_new_row = loaded_since_condition() %}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['post_id', 'event_type'],
    on_schema_change='fail',
) }}

with

posts as (
    select * from {{ ref('truthsocial_posts') }}
    where not is_repost and not is_media_only
),

market as (
    select * from {{ ref('market_daily') }}
    where symbol = '{{ var("target_symbol") }}'
),

post_buckets as (
    select
        posts.post_id,
        posts.account,
        posts.available_at,
        posts.sentiment_net,
        unnest(posts.bucket_list) as bucket
    from posts
),

events as (
    select distinct
        post_id,
        account,
        available_at,
        sentiment_net,
        case bucket
            {%- for bucket, event_type in event_types.items() %}
            when '{{ bucket }}' then '{{ event_type }}'
            {%- endfor %}
        end as event_type,
        case
            when sentiment_net > 0.05 then 'positive'
            when sentiment_net < -0.05 then 'negative'
            else 'neutral'
        end as sentiment_sign
    from post_buckets
    where bucket in (
        {%- for bucket in event_types %}
        '{{ bucket }}'{{ "," if not loop.last }}
        {%- endfor %}
    )
),

{% if is_incremental() %}

-- The earliest day whose rows newly loaded raw rows can change. A new item
-- or post counts from its date on, minus a day for the time zones. A new
-- market day changes the reactions of events since the session before it.
new_market_days as (
    select min(trade_date) as first_day
    from (
        select trade_date
        from {{ source('raw', 'databento_futures_ohlcv_1d') }}
        where {{ is_new_row }}
        union all
        select
            cast(least(coalesce(ts_ref, ts_event), ts_event, ts_recv) as date)
            - 1
        from {{ source('raw', 'databento_statistics') }}
        where {{ is_new_row }}
        union all
        select trade_date
        from {{ source('raw', 'vendor_prices') }}
        where {{ is_new_row }}
    )
),

first_recomputed_day as (
    select coalesce(
        least(
            (
                select min(cast(created_at as date)) - 1
                from {{ source('raw_truthsocial', 'scrapecreators_trump') }}
                where {{ is_new_row }}
            ),
            (
                select max(market.trade_date)
                from market
                where
                    market.symbol = '{{ var("target_symbol") }}'
                    and market.trade_date
                    < (select new_market_days.first_day from new_market_days)
            ),
            (select new_market_days.first_day from new_market_days)
        ),
        date '1900-01-01'
    ) as first_day
),

{% endif %}

sessions as (
    select
        trade_date,
        {{ decision_at('trade_date') }} as decision_at,
        lead(roll_adjusted_log_return) over (order by trade_date)
            as next_session_return,
        lead(available_at) over (order by trade_date)
            as next_session_available_at
    from market
),

-- Each event's reaction: the first session whose decision time is at or
-- after the post, and the return of the session after it.
reactions as (
    select
        events.*,
        sessions.trade_date as reaction_date,
        sessions.next_session_return as reaction_return,
        sessions.next_session_available_at as reaction_available_at
    from events
    asof left join sessions
        on events.available_at <= sessions.decision_at
),

-- The events whose rows this build writes. They are filtered before the
-- join below, because DuckDB 1.4 applied the same filter as a WHERE clause
-- only after pairing every event with every earlier one.
current_events as (
    select * from reactions
    {% if is_incremental() -%}
        where available_at >= (select first_day from first_recomputed_day)
    {% endif -%}
),

history as (
    select
        current_event.post_id,
        current_event.event_type,
        count(past.reaction_return) as type_events,
        coalesce(sum(past.reaction_return), 0) as type_return_sum,
        count(past.reaction_return) filter (
            where past.sentiment_sign = current_event.sentiment_sign
        ) as sign_events,
        coalesce(sum(past.reaction_return) filter (
            where past.sentiment_sign = current_event.sentiment_sign
        ), 0) as sign_return_sum
    from current_events as current_event
    left join reactions as past
        on
            current_event.event_type = past.event_type
            and current_event.available_at >= past.reaction_available_at
    group by current_event.post_id, current_event.event_type
),

final as (
    select
        reactions.post_id,
        reactions.event_type,
        reactions.account,
        reactions.sentiment_net,
        reactions.sentiment_sign,
        reactions.reaction_date,
        history.type_events,
        history.sign_events,
        history.type_return_sum / (history.type_events + {{ k }})
            as type_impact_estimate,
        (
            history.sign_return_sum
            + {{ k }} * history.type_return_sum / (history.type_events + {{ k }})
        ) / (history.sign_events + {{ k }}) as zl_impact_score,
        reactions.available_at
    from reactions
    inner join history
        on
            reactions.post_id = history.post_id
            and reactions.event_type = history.event_type
)

select * from final
