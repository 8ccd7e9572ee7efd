{%- set buckets = seed_values(
    'text_taxonomy', 'bucket', where="bucket not in ('none')"
) -%}
{%- set event_types = var('policy_event_buckets').values() | unique | list -%}
-- depends_on: {{ ref('text_taxonomy') }}
-- depends_on: {{ source('raw_news', 'scrapecreators_news_buckets') }}
-- depends_on: {{ source('raw_truthsocial', 'scrapecreators_trump') }}
-- depends_on: {{ source('raw', 'databento_futures_ohlcv_1d') }}
-- depends_on: {{ source('raw', 'databento_statistics') }}
-- depends_on: {{ source('raw', 'vendor_prices') }}
-- News and policy signals per trading date of the target market. A trading
-- date D gathers every calendar day after the previous trading date up to
-- D, so weekend and holiday news counts on the next session. Each calendar
-- day already contains only items public by its decision time.
--
-- Incremental: a trading date's row depends on items, posts and policy
-- events up to its own decision time. A build recomputes the trading
-- dates from the earliest day that newly loaded news, posts or market rows
-- can change (see first_recomputed_day), and the dates after the last
-- build's end.
{%- set is_new_row = loaded_since_condition() %}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['trade_date'],
    on_schema_change='fail',
) }}

with

market as (
    select * from {{ ref('market_daily') }}
),

buckets as (
    select * from {{ ref('sentiment_buckets') }}
),

policy as (
    select * from {{ ref('trump_policy_intelligence') }}
),

posts as (
    select * from {{ ref('truthsocial_posts') }}
    where not is_repost and not is_media_only
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
                select min(cast(published_at as date)) - 1
                from {{ source('raw_news', 'scrapecreators_news_buckets') }}
                where {{ is_new_row }}
            ),
            (select max(trade_date) + 1 from {{ this }}),
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

all_dates as (
    select
        trade_date,
        lag(trade_date) over (order by trade_date) as previous_trade_date,
        {{ decision_at('trade_date') }} as decision_at
    from market
    where symbol = '{{ var("target_symbol") }}'
),

spine as (
    select * from all_dates
    {% if is_incremental() -%}
        where trade_date >= (select first_day from first_recomputed_day)
    {% endif -%}
),

news as (
    select
        spine.trade_date,
        {%- for bucket in buckets %}
        coalesce(sum(buckets.item_count) filter (
            where buckets.bucket = '{{ bucket }}'
        ), 0) as news_{{ bucket }}_count,
        sum(buckets.mean_sentiment * buckets.item_count) filter (
            where buckets.bucket = '{{ bucket }}'
        ) / nullif(sum(buckets.item_count) filter (
            where buckets.bucket = '{{ bucket }}'
        ), 0) as news_{{ bucket }}_sentiment,
        avg(buckets.trust_weighted_sentiment) filter (
            where buckets.bucket = '{{ bucket }}'
        ) as news_{{ bucket }}_trust_weighted_sentiment,
        sum(buckets.volume_normalized_sentiment) filter (
            where buckets.bucket = '{{ bucket }}'
        ) as news_{{ bucket }}_volume_normalized_sentiment,
        {%- endfor %}
        max(buckets.available_at) as news_available_at
    from spine
    left join buckets
        on
            spine.trade_date >= buckets.sentiment_date
            and coalesce(
                spine.previous_trade_date, spine.trade_date - 7
            ) < buckets.sentiment_date
    group by spine.trade_date
),

policy_daily as (
    select
        spine.trade_date,
        {%- for event_type in event_types %}
        count(policy.post_id) filter (
            where policy.event_type = '{{ event_type }}'
        ) as trump_{{ event_type }}_events,
        sum(policy.zl_impact_score) filter (
            where policy.event_type = '{{ event_type }}'
        ) as trump_{{ event_type }}_impact,
        {%- endfor %}
        sum(policy.zl_impact_score) as trump_policy_impact,
        max(policy.available_at) as policy_available_at
    from spine
    left join policy
        on
            {{ decision_date('policy.available_at') }} <= spine.trade_date
            and {{ decision_date('policy.available_at') }} > coalesce(
                spine.previous_trade_date, spine.trade_date - 7
            )
    group by spine.trade_date
),

posts_daily as (
    select
        spine.trade_date,
        count(posts.post_id) as trump_post_count,
        avg(posts.sentiment_net) as trump_mean_sentiment
    from spine
    left join posts
        on
            {{ decision_date('posts.available_at') }} <= spine.trade_date
            and {{ decision_date('posts.available_at') }} > coalesce(
                spine.previous_trade_date, spine.trade_date - 7
            )
    group by spine.trade_date
),

final as (
    select
        spine.trade_date,
        spine.decision_at,
        {%- for bucket in buckets %}
        news.news_{{ bucket }}_count,
        news.news_{{ bucket }}_sentiment,
        news.news_{{ bucket }}_trust_weighted_sentiment,
        news.news_{{ bucket }}_volume_normalized_sentiment,
        {%- endfor %}
        news.news_available_at,
        {%- for event_type in event_types %}
        policy_daily.trump_{{ event_type }}_events,
        policy_daily.trump_{{ event_type }}_impact,
        {%- endfor %}
        policy_daily.trump_policy_impact,
        policy_daily.policy_available_at,
        posts_daily.trump_post_count,
        posts_daily.trump_mean_sentiment
    from spine
    left join news on spine.trade_date = news.trade_date
    left join policy_daily on spine.trade_date = policy_daily.trade_date
    left join posts_daily on spine.trade_date = posts_daily.trade_date
)

select * from final
