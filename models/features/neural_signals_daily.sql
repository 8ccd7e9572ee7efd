-- Daily aggregates of the sentiment model's outputs over every news item
-- and post counted for a trading date (same day folding as
-- sentiment_features_daily): mean class probabilities, mean confidence,
-- disagreement (the standard deviation of positive minus negative across
-- items) and the share of texts that were truncated. The scorer column
-- says which model produced the day's scores.

with

market as (
    select * from {{ ref('market_daily') }}
),

news as (
    select * from {{ ref('news_bucketed') }}
),

posts as (
    select * from {{ ref('truthsocial_posts') }}
),

-- One row per scored text: news items repeat once per bucket.
texts as (
    select distinct
        'news' as text_source,
        news.item_id as text_id,
        news.sentiment_positive,
        news.sentiment_negative,
        news.sentiment_neutral,
        news.sentiment_confidence,
        news.sentiment_truncated,
        news.sentiment_scorer,
        {{ decision_date('news.available_at') }} as sentiment_date,
        news.available_at
    from news
    where news.sentiment_positive is not null
    union all
    select
        'truthsocial' as text_source,
        posts.post_id as text_id,
        posts.sentiment_positive,
        posts.sentiment_negative,
        posts.sentiment_neutral,
        posts.sentiment_confidence,
        posts.sentiment_truncated,
        posts.sentiment_scorer,
        {{ decision_date('posts.available_at') }} as sentiment_date,
        posts.available_at
    from posts
    where posts.sentiment_positive is not null
),

spine as (
    select
        trade_date,
        lag(trade_date) over (order by trade_date) as previous_trade_date,
        {{ decision_at('trade_date') }} as decision_at
    from market
    where symbol = '{{ var("target_symbol") }}'
),

final as (
    select
        spine.trade_date,
        spine.decision_at,
        count(texts.text_id) as scored_texts,
        avg(texts.sentiment_positive) as mean_prob_positive,
        avg(texts.sentiment_negative) as mean_prob_negative,
        avg(texts.sentiment_neutral) as mean_prob_neutral,
        avg(texts.sentiment_confidence) as mean_confidence,
        stddev_samp(texts.sentiment_positive - texts.sentiment_negative)
            as sentiment_disagreement,
        avg(cast(texts.sentiment_truncated as double)) as truncated_share,
        max(texts.sentiment_scorer) as scorer,
        max(texts.available_at) as available_at
    from spine
    left join texts
        on
            spine.trade_date >= texts.sentiment_date
            and coalesce(
                spine.previous_trade_date, spine.trade_date - 7
            ) < texts.sentiment_date
    group by spine.trade_date, spine.decision_at
)

select * from final
