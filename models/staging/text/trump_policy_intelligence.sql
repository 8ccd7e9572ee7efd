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
-- the type's estimate in the same way, so a post's sentiment moves the
-- score only as far as past posts support it.

{%- set event_types = var('policy_event_buckets') %}
{%- set k = var('policy_shrinkage_events') %}

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
    from reactions as current_event
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
