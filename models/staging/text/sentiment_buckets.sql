-- News sentiment per bucket and calendar day. An item counts for the day
-- whose decision time is the first at or after its available_at, so a day's
-- row uses only items public by that day's decision time.
--
-- volume_normalized_sentiment divides the day's summed sentiment_net by the
-- bucket's mean daily item count over the previous 28 calendar days (past
-- days only), so a busy day does not look strong merely for its volume.

with

items as (
    select * from {{ ref('news_bucketed') }}
    where bucket != 'none' and sentiment_net is not null
),

daily as (
    select
        bucket,
        {{ decision_date('available_at') }} as sentiment_date,
        count(*) as item_count,
        avg(sentiment_net) as mean_sentiment,
        sum(sentiment_net * trust_weight) / nullif(sum(trust_weight), 0)
            as trust_weighted_sentiment,
        sum(sentiment_net) as summed_sentiment,
        avg(sentiment_confidence) as mean_confidence,
        max(available_at) as available_at
    from items
    group by bucket, sentiment_date
),

calendar as (
    select
        bucket,
        cast(unnest(generate_series(
            min(sentiment_date), max(sentiment_date), interval 1 day
        )) as date) as sentiment_date
    from daily
    group by bucket
),

filled as (
    select
        calendar.bucket,
        calendar.sentiment_date,
        coalesce(daily.item_count, 0) as item_count,
        daily.mean_sentiment,
        daily.trust_weighted_sentiment,
        daily.summed_sentiment,
        daily.mean_confidence,
        daily.available_at
    from calendar
    left join daily
        on
            calendar.bucket = daily.bucket
            and calendar.sentiment_date = daily.sentiment_date
),

final as (
    select
        bucket,
        sentiment_date,
        item_count,
        mean_sentiment,
        trust_weighted_sentiment,
        summed_sentiment / nullif(avg(item_count) over (
            partition by bucket
            order by sentiment_date
            rows between 28 preceding and 1 preceding
        ), 0) as volume_normalized_sentiment,
        mean_confidence,
        available_at
    from filled
    where item_count > 0
)

select * from final
