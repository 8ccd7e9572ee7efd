-- News items by topic bucket (one row per item and bucket), with the
-- instant each item became usable.
--
-- available_at = published_at + the platform's processing lag from
-- text_processing_lags (the time between publication and the loader having
-- fetched, cleaned and scored the item). An item dated by day only
-- (published_at_basis date_only, 00:00 UTC of the date) first waits
-- date_only_hours (30): the end of that day in any time zone down to
-- UTC-6, so a Brazilian or US Central publication of that date is
-- covered. A platform missing from the seed gets 60 minutes and 30 hours.
-- Date buckets are taken from available_at in UTC: ISO week, month and
-- the soybean marketing year, which starts on September 1.
--
-- Incremental: a row depends only on its raw row and the seeds, so a build
-- replaces the rows whose raw row was loaded since the last build.

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['platform', 'item_id', 'bucket'],
    on_schema_change='fail',
) }}

with

news as (
    select * from {{ source('raw_news', 'scrapecreators_news_buckets') }}
    {%- if is_incremental() %}
        where {{ loaded_since_condition() }}
    {%- endif %}
),

lags as (
    select * from {{ ref('text_processing_lags') }}
),

lagged as (
    select
        news.*,
        coalesce(lags.lag_minutes, 60) as lag_minutes,
        case
            when news.published_at_basis = 'date_only'
                then coalesce(lags.date_only_hours, 30)
            else 0
        end as date_only_wait_hours
    from news
    left join lags on news.platform = lags.platform
),

available as (
    select
        lagged.*,
        lagged.published_at
        + to_hours(lagged.date_only_wait_hours)
        + to_minutes(lagged.lag_minutes) as available_at
    from lagged
),

dated as (
    select
        available.*,
        cast(timezone('UTC', available.available_at) as date) as available_date
    from available
),

seasons as (
    select
        dated.*,
        case
            when month(dated.available_date) >= 9 then year(dated.available_date)
            else year(dated.available_date) - 1
        end as marketing_year
    from dated
),

final as (
    select
        dated.platform,
        dated.item_id,
        dated.bucket,
        dated.matched_terms,
        dated.match_score,
        dated.taxonomy_version,
        dated.query,
        dated.url,
        dated.domain,
        dated.channel,
        dated.author,
        dated.title,
        dated.text,
        starts_with(dated.source, 'synthetic_') as is_synthetic,
        dated.sentiment_label,
        dated.sentiment_positive,
        dated.sentiment_negative,
        dated.sentiment_neutral,
        dated.sentiment_positive - dated.sentiment_negative as sentiment_net,
        dated.sentiment_confidence,
        dated.sentiment_truncated,
        dated.sentiment_scorer,
        dated.text_hash,
        dated.trust_score as trust_weight,
        dated.engagement_count,
        dated.view_count,
        dated.source,
        dated.published_at,
        dated.published_at_estimated,
        dated.published_at_basis,
        dated.published_at_raw,
        dated.fetched_at,
        dated.lag_minutes,
        dated.date_only_wait_hours,
        dated.available_at,
        dated.available_date,
        isoyear(dated.available_date) as iso_year,
        week(dated.available_date) as iso_week,
        cast(date_trunc('week', dated.available_date) as date) as week_start,
        cast(date_trunc('month', dated.available_date) as date) as month_start,
        dated.marketing_year,
        dated.marketing_year || '/'
        || right(cast(dated.marketing_year + 1 as varchar), 2) as marketing_year_label
    from seasons as dated
)

select * from final
