-- One row per trading date and market: the continuous front-month series of
-- each futures root (and spot series such as USDBRL), with its contract, a
-- roll flag, settlement, open interest and a log return computed within
-- one contract, so that a roll never shows up as a return.
--
-- Databento is preferred for a root whenever it has bars for it; vendor
-- files fill the other roots. A Databento ohlcv-1d bar covers a whole UTC
-- day, so it is available at the end of that day; a vendor's daily bar is
-- available at the market's close (market_sessions).

with

databento_bars as (
    select * from {{ source('raw', 'databento_futures_ohlcv_1d') }}
    where stype_in = 'continuous' and symbol like '%.c.0'
),

databento_statistics as (
    select * from {{ source('raw', 'databento_statistics') }}
),

vendor_prices as (
    select * from {{ source('raw', 'vendor_prices') }}
),

sessions as (
    select * from {{ ref('market_sessions') }}
),

contract_rolls as (
    select * from {{ ref('int_contract_rolls') }}
),

-- Databento's ts_ref gives the trading session a statistic belongs to, as
-- 00:00 UTC of the session date, so its UTC date is the session. Read in
-- Chicago time it would fall on the session before. Without ts_ref, the
-- event's Chicago date is used.
-- NOTE: the 00:00 UTC stamp is checked on the synthetic files only, because
-- the recorded real files hold no settlement or open interest records.
statistics_daily as (
    select
        instrument_id,
        coalesce(
            cast(timezone('UTC', ts_ref) as date),
            cast(timezone('America/Chicago', ts_event) as date)
        ) as trade_date,
        arg_max(price, ts_recv) filter (where stat_type = 3) as settlement,
        max(ts_recv) filter (where stat_type = 3) as settlement_received_at,
        arg_max(quantity, ts_recv) filter (
            where stat_type = 9
        ) as open_interest,
        max(ts_recv) filter (where stat_type = 9) as open_interest_received_at
    from databento_statistics
    where stat_type in (3, 9)
    group by all
),

databento_daily as (
    select
        bars.trade_date,
        bars.root as symbol,
        'databento' as price_source,
        bars.raw_symbol as contract,
        'vendor' as contract_source,
        bars.open,
        bars.high,
        bars.low,
        bars.close,
        cast(bars.volume as double) as volume,
        stats.settlement,
        cast(stats.open_interest as double) as open_interest,
        greatest(
            bars.ts_event + interval 1 day,
            coalesce(stats.settlement_received_at, bars.ts_event),
            coalesce(stats.open_interest_received_at, bars.ts_event)
        ) as available_at
    from databento_bars as bars
    left join statistics_daily as stats
        on
            bars.instrument_id = stats.instrument_id
            and bars.trade_date = stats.trade_date
),

vendor_daily as (
    select
        prices.trade_date,
        prices.root as symbol,
        prices.vendor as price_source,
        prices.open,
        prices.high,
        prices.low,
        prices.close,
        prices.volume,
        cast(null as double) as settlement,
        prices.open_interest,
        {{ local_to_utc(
            "prices.trade_date + coalesce(sessions.close_time, time '23:59:59')",
            "coalesce(sessions.timezone, 'America/New_York')"
        ) }} as available_at
    from vendor_prices as prices
    left join sessions on prices.root = sessions.root
    where
        prices.contract is null
        and not prices.is_partial_day
        and prices.root not in (select databento_bars.root from databento_bars)
    -- Two continuous files for one root (a TradingView export and a user's
    -- own OHLCV file) would give two rows a day: keep one, preferring the
    -- user's file, then Barchart, then TradingView.
    qualify row_number() over (
        partition by prices.root, prices.trade_date
        order by
            case prices.vendor
                when 'ohlcv_file' then 1
                when 'barchart' then 2
                when 'tradingview' then 3
                else 4
            end,
            prices.symbol
    ) = 1
),

-- A vendor's continuous series rarely names its contract: infer it from
-- the listed months, taking the first contract whose roll date is after
-- the trade date.
vendor_with_contract as (
    select
        vendor_daily.*,
        contract_rolls.contract,
        case
            when contract_rolls.contract is not null then 'inferred'
        end as contract_source
    from vendor_daily
    asof left join contract_rolls
        on
            vendor_daily.symbol = contract_rolls.root
            and vendor_daily.trade_date < contract_rolls.roll_date
),

unioned as (
    select
        trade_date,
        symbol,
        price_source,
        contract,
        contract_source,
        open,
        high,
        low,
        close,
        volume,
        settlement,
        open_interest,
        available_at
    from databento_daily
    union all
    select
        trade_date,
        symbol,
        price_source,
        contract,
        contract_source,
        open,
        high,
        low,
        close,
        volume,
        settlement,
        open_interest,
        available_at
    from vendor_with_contract
),

with_previous as (
    select
        *,
        {{ ts_lag('contract', 1, 'symbol') }} as previous_contract,
        {{ ts_lag('close', 1, 'symbol') }} as previous_close
    from unioned
),

final as (
    select
        trade_date,
        symbol,
        price_source,
        contract,
        contract_source,
        coalesce(previous_contract != contract, false) as is_roll,
        open,
        high,
        low,
        close,
        volume,
        settlement,
        open_interest,
        case
            when
                coalesce(
                    contract = previous_contract,
                    contract is null and previous_contract is null
                )
                and close > 0
                and previous_close > 0
                then ln(close / previous_close)
        end as log_return,
        -- The return series used for targets: a roll day contributes 0,
        -- because the new contract's previous close is unknown.
        case
            when previous_contract != contract then 0.0
            when close > 0 and previous_close > 0
                then ln(close / previous_close)
        end as roll_adjusted_log_return,
        available_at
    from with_previous
)

select * from final
