-- Truth Social posts, one row per post, with topic buckets, sentiment, the
-- policy regimes in force on the post's UTC date and the instant the post
-- became usable.
--
-- available_at = created_at + the truthsocial processing lag from
-- text_processing_lags (5 minutes: the live loader polls every few
-- minutes, then cleans and scores). Posts read from public archives get
-- the same lag, as if they had been polled live. Regimes come from
-- text_policy_regimes: one administration and one trade-policy phase per
-- date, NULL for a date no row covers.
--
-- Incremental: a row depends only on its raw row and the seeds, so a build
-- replaces the posts whose raw row was loaded since the last build.

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='post_id',
    on_schema_change='fail',
) }}

with

posts as (
    select * from {{ source('raw_truthsocial', 'scrapecreators_trump') }}
    {%- if is_incremental() %}
        where {{ loaded_since_condition() }}
    {%- endif %}
),

lags as (
    select * from {{ ref('text_processing_lags') }}
    where platform = 'truthsocial'
),

regimes as (
    select
        regime_kind,
        regime,
        cast(start_date as date) as start_date,
        coalesce(cast(end_date as date), date '9999-12-31') as end_date
    from {{ ref('text_policy_regimes') }}
),

available as (
    select
        posts.*,
        coalesce(lags.lag_minutes, 5) as lag_minutes,
        posts.created_at + to_minutes(coalesce(lags.lag_minutes, 5)) as available_at,
        cast(timezone('UTC', posts.created_at) as date) as created_date
    from posts
    left join lags on true
),

final as (
    select
        available.post_id,
        available.account,
        available.url,
        available.text,
        available.is_repost,
        available.repost_of,
        available.is_link_only,
        available.is_media_only,
        available.has_media,
        available.mojibake_repaired,
        available.replies_count,
        available.reblogs_count,
        available.favourites_count,
        available.buckets,
        string_split(available.buckets, ';') as bucket_list,
        available.matched_terms,
        available.taxonomy_version,
        available.sentiment_label,
        available.sentiment_positive,
        available.sentiment_negative,
        available.sentiment_neutral,
        available.sentiment_positive
        - available.sentiment_negative as sentiment_net,
        available.sentiment_confidence,
        available.sentiment_truncated,
        available.sentiment_scorer,
        available.text_hash,
        administrations.regime as administration,
        trade_phases.regime as trade_regime,
        starts_with(available.source, 'synthetic_') as is_synthetic,
        available.source,
        available.created_at,
        available.created_date,
        available.lag_minutes,
        available.available_at
    from available
    left join regimes as administrations
        on
            administrations.regime_kind = 'administration'
            and available.created_date
            between administrations.start_date and administrations.end_date
    left join regimes as trade_phases
        on
            trade_phases.regime_kind = 'trade'
            and available.created_date
            between trade_phases.start_date and trade_phases.end_date
)

select * from final
