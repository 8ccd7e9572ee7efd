{#-
    The column blocks of features.daily_ml_matrix, in matrix order. The
    matrix selects its columns from this list and features.feature_catalogue
    lists the same entries, so the catalogue cannot drift from the matrix.

    Each block is a dict with:
      cte: the matrix CTE whose columns (already named as in the matrix)
        the block selects;
      block: a short block name;
      source: where the values come from (dbt models and vendors);
      available_at_rule: when a value may enter a row for trade date D;
      columns: a list of [matrix column, description] pairs.
-#}

{#-
    Per-market columns: [feature-model column, model it comes from
    (technical or lagged), description].
-#}
{% macro matrix_market_columns() %}
    {{ return([
        ['contract', 'technical', 'contract of the front-month bar'],
        ['is_roll', 'technical', 'true on the first bar of a new front-month contract'],
        ['close', 'technical', 'close of the front-month bar'],
        ['log_return', 'technical', 'log return of the close within one contract (NULL on a roll day)'],
        ['sma_5', 'technical', 'simple moving average of the close over 5 sessions'],
        ['sma_20', 'technical', 'simple moving average of the close over 20 sessions'],
        ['close_to_sma_20', 'technical', 'close over its 20-session simple moving average, minus 1'],
        ['close_to_sma_60', 'technical', 'close over its 60-session simple moving average, minus 1'],
        ['close_zscore_20', 'technical', 'z-score of the close within its last 20 sessions'],
        ['realized_vol_20', 'technical', 'annualized close-to-close volatility of roll-adjusted log returns, 20 sessions'],
        ['realized_vol_60', 'technical', 'annualized close-to-close volatility of roll-adjusted log returns, 60 sessions'],
        ['momentum_5', 'technical', 'sum of roll-adjusted log returns over 5 sessions'],
        ['momentum_20', 'technical', 'sum of roll-adjusted log returns over 20 sessions'],
        ['momentum_60', 'technical', 'sum of roll-adjusted log returns over 60 sessions'],
        ['range_position_20', 'technical', 'position of the close in the 20-session high-low range (0 = low, 1 = high)'],
        ['volume_zscore_20', 'technical', 'z-score of volume within its last 20 sessions'],
        ['ema_12', 'technical', 'exponential moving average of the close, span 12'],
        ['ema_26', 'technical', 'exponential moving average of the close, span 26'],
        ['macd_to_close', 'technical', 'MACD line (EMA 12 minus EMA 26 of the close) over the close'],
        ['macd_signal_to_close', 'technical', 'MACD signal line (EMA 9 of the MACD line) over the close'],
        ['macd_histogram_to_close', 'technical', 'MACD line minus signal line, over the close'],
        ['rsi_14', 'technical', 'relative strength index with Wilder smoothing over 14 sessions (0-100)'],
        ['bollinger_pct_b_20', 'technical', 'position of the close between the 20-session Bollinger bands at 2 standard deviations (0 = lower, 1 = upper)'],
        ['bollinger_bandwidth_20', 'technical', 'width of the 20-session Bollinger bands over their middle line'],
        ['atr_14_to_close', 'technical', 'mean true range over 14 sessions, over the close'],
        ['stochastic_k_14', 'technical', 'stochastic %K: position of the close in the 14-session high-low range, 0-100'],
        ['stochastic_d_3', 'technical', 'stochastic %D: mean of the last 3 %K values'],
        ['roc_5', 'technical', 'rate of change over 5 sessions from roll-adjusted returns'],
        ['roc_20', 'technical', 'rate of change over 20 sessions from roll-adjusted returns'],
        ['parkinson_vol_20', 'technical', 'annualized Parkinson high-low volatility, 20 sessions'],
        ['garman_klass_vol_20', 'technical', 'annualized Garman-Klass OHLC volatility, 20 sessions'],
        ['open_interest_change_1', 'technical', 'open interest change from the previous session, contracts (NULL on a roll day)'],
        ['open_interest_change_pct_1', 'technical', 'relative open interest change from the previous session (NULL on a roll day)'],
        ['volume_change_pct_1', 'technical', 'relative volume change from the previous session (NULL on a roll day)'],
        ['log_return_lag_1', 'lagged', 'roll-adjusted log return 1 session earlier'],
        ['log_return_lag_2', 'lagged', 'roll-adjusted log return 2 sessions earlier'],
        ['log_return_lag_3', 'lagged', 'roll-adjusted log return 3 sessions earlier'],
        ['log_return_lag_5', 'lagged', 'roll-adjusted log return 5 sessions earlier'],
        ['log_return_lag_10', 'lagged', 'roll-adjusted log return 10 sessions earlier'],
        ['rsi_14_lag_1', 'lagged', 'rsi_14 1 session earlier'],
        ['rsi_14_lag_5', 'lagged', 'rsi_14 5 sessions earlier'],
        ['realized_vol_20_lag_1', 'lagged', 'realized_vol_20 1 session earlier'],
        ['realized_vol_20_lag_5', 'lagged', 'realized_vol_20 5 sessions earlier'],
        ['macd_histogram_to_close_lag_1', 'lagged', 'macd_histogram_to_close 1 session earlier'],
        ['macd_histogram_to_close_lag_5', 'lagged', 'macd_histogram_to_close 5 sessions earlier'],
        ['volume_change_pct_1_lag_1', 'lagged', 'volume_change_pct_1 1 session earlier'],
        ['volume_change_pct_1_lag_2', 'lagged', 'volume_change_pct_1 2 sessions earlier'],
        ['open_interest_change_pct_1_lag_1', 'lagged', 'open_interest_change_pct_1 1 session earlier'],
        ['open_interest_change_pct_1_lag_2', 'lagged', 'open_interest_change_pct_1 2 sessions earlier'],
    ]) }}
{% endmacro %}

{#- COT columns: [staging.cftc_cot column or derived name, description]. -#}
{% macro matrix_cot_columns() %}
    {{ return([
        ['report_date', 'positions date (Tuesday) of the latest published report'],
        ['managed_money_net', 'managed money long minus short, contracts'],
        ['managed_money_net_change', 'change of managed_money_net from the previous report'],
        ['managed_money_net_share', 'managed_money_net over open interest'],
        ['producer_net', 'producer/merchant long minus short, contracts'],
        ['swap_dealer_net', 'swap dealer long minus short, contracts'],
        ['open_interest', 'open interest of the report, contracts'],
        ['age_days', 'calendar days from the report date to trade_date'],
        ['available_at', 'instant the joined report was published (UTC)'],
    ]) }}
{% endmacro %}

{% macro matrix_blocks() %}
    {%- set blocks = [] -%}
    {%- set target = var('target_symbol') -%}

    {%- set target_columns = [] -%}
    {%- for horizon in var('target_horizons') -%}
        {%- do target_columns.append([
            'target_fwd_logret_' ~ horizon ~ 'd',
            'LABEL, not a feature: sum of ' ~ target ~ ' roll-adjusted log returns over the next '
            ~ horizon ~ ' sessions after trade_date'
        ]) -%}
        {%- do target_columns.append([
            'target_fwd_sign_' ~ horizon ~ 'd',
            'LABEL, not a feature: sign of target_fwd_logret_' ~ horizon ~ 'd'
        ]) -%}
    {%- endfor -%}
    {%- do blocks.append({
        'cte': 'targets', 'block': 'targets',
        'source': 'staging.market_daily (' ~ target ~ ')',
        'available_at_rule': 'looks forward: known only after the horizon ends; never use as an input',
        'columns': target_columns,
    }) -%}

    {%- for symbol in [target] + var('related_symbols') -%}
        {%- set prefix = symbol | lower -%}
        {%- set columns = [] -%}
        {%- for column, model, description in matrix_market_columns() -%}
            {%- do columns.append([prefix ~ '_' ~ column, symbol ~ ' ' ~ description]) -%}
        {%- endfor -%}
        {%- do columns.append([
            prefix ~ '_age_days', 'calendar days from the ' ~ symbol ~ ' bar date to trade_date'
        ]) -%}
        {%- do columns.append([
            prefix ~ '_available_at', 'instant the joined ' ~ symbol ~ ' bar became public (UTC)'
        ]) -%}
        {%- do blocks.append({
            'cte': 'market_' ~ prefix, 'block': 'market_' ~ prefix,
            'source': 'features.technical_indicators_us_oil_solutions and '
                ~ 'features.lagged_features_daily over staging.market_daily ('
                ~ symbol ~ '; Databento, else vendor price files)',
            'available_at_rule': 'latest bar with available_at <= decision_at (Databento: end of '
                ~ 'the UTC day of the bar; vendor files: the close in market_sessions); NULL once the bar is '
                ~ 'more than var market_max_age_days old',
            'columns': columns,
        }) -%}
    {%- endfor -%}

    {%- for symbol in var('cot_symbols') -%}
        {%- set prefix = 'cot_' ~ (symbol | lower) -%}
        {%- set columns = [] -%}
        {%- for column, description in matrix_cot_columns() -%}
            {%- do columns.append([prefix ~ '_' ~ column, symbol ~ ' COT: ' ~ description]) -%}
        {%- endfor -%}
        {%- do blocks.append({
            'cte': prefix, 'block': prefix,
            'source': 'staging.cftc_cot (CFTC disaggregated futures-only, ' ~ symbol ~ ')',
            'available_at_rule': 'latest report published by decision_at (Friday 15:30 '
                ~ 'America/New_York, moved by federal holidays and the exceptions seed); NULL '
                ~ 'once the report is more than var cot_max_age_days old',
            'columns': columns,
        }) -%}
    {%- endfor -%}

    {%- set fred_columns = [] -%}
    {%- for series_id, name in fred_series_names() -%}
        {%- do fred_columns.append(['fred_' ~ (series_id | lower), 'FRED ' ~ series_id ~ ': ' ~ name]) -%}
        {%- do fred_columns.append([
            'fred_' ~ (series_id | lower) ~ '_age_days',
            'calendar days from the FRED ' ~ series_id ~ ' observation date to trade_date'
        ]) -%}
    {%- endfor -%}
    {%- do fred_columns.append([
        'fred_available_at', 'latest available_at among the FRED values of the row (UTC)'
    ]) -%}
    {%- do blocks.append({
        'cte': 'macro', 'block': 'fred',
        'source': 'features.macro_features_daily over staging.fred_macro_clean (FRED/ALFRED)',
        'available_at_rule': 'vintage current at decision_at (realtime_start at the usual release time of the series, '
            ~ 'America/New_York; estimated from the publication lag for files '
            ~ 'without vintages); NULL past max_age_days of the series in the fred_series seed',
        'columns': fred_columns,
    }) -%}

    {%- set fx_rule = 'indicators computed on the observation dates of the series (FRED first '
        ~ 'releases, or the market close for currencies in var fx_market_symbols while fresh) '
        ~ 'and joined as of decision_at; NULL past the max age of the source' -%}
    {%- for currency, series_id in var('fx_series').items() -%}
        {%- set prefix = 'fx_' ~ currency -%}
        {%- set unit = 'observations (months for a monthly series)' -%}
        {%- set columns = [] -%}
        {%- for horizon in var('fx_return_horizons') -%}
            {%- do columns.append([prefix ~ '_log_return_' ~ horizon, currency ~ ' log return over the last ' ~ horizon ~ ' ' ~ unit]) -%}
        {%- endfor -%}
        {%- for window in var('fx_vol_windows') -%}
            {%- do columns.append([prefix ~ '_realized_vol_' ~ window, currency ~ ' annualized volatility of one-observation log returns over ' ~ window ~ ' ' ~ unit]) -%}
        {%- endfor -%}
        {%- for window in var('fx_trend_windows') -%}
            {%- do columns.append([prefix ~ '_to_sma_' ~ window, currency ~ ' value over its mean of the last ' ~ window ~ ' ' ~ unit ~ ', minus 1']) -%}
            {%- do columns.append([prefix ~ '_zscore_' ~ window, currency ~ ' z-score of the value within the last ' ~ window ~ ' ' ~ unit]) -%}
        {%- endfor -%}
        {%- do columns.append([prefix ~ '_source', currency ~ ' series used: market or fred']) -%}
        {%- do columns.append([prefix ~ '_observation_date', currency ~ ' observation date the indicators end on']) -%}
        {%- do columns.append([prefix ~ '_age_days', 'calendar days from that observation date to trade_date']) -%}
        {%- do columns.append([prefix ~ '_available_at', 'instant the ' ~ currency ~ ' observation became public (UTC)']) -%}
        {%- do blocks.append({
            'cte': 'fx', 'block': prefix,
            'source': 'features.fx_indicators_daily (FRED ' ~ series_id ~ ' first releases'
                ~ (', or market ' ~ var('fx_market_symbols')[currency] if currency in var('fx_market_symbols') else '')
                ~ '); quoted per US dollar, so a positive return is a stronger dollar',
            'available_at_rule': fx_rule,
            'columns': columns,
        }) -%}
    {%- endfor -%}

    {%- set partners = (var('cross_asset_market_partners').keys() | list)
        + (var('cross_asset_fred_partners').keys() | reject('in', var('cross_asset_market_partners')) | list) -%}
    {%- set pair_rule = 'returns aligned on common observation dates; a window is used from '
        ~ 'the latest available_at of its pair rows, as of decision_at; NULL past var '
        ~ 'cross_asset_max_age_days' -%}
    {%- for partner in partners -%}
        {%- set columns = [] -%}
        {%- for window in var('cross_asset_corr_windows') -%}
            {%- do columns.append(['corr_' ~ partner ~ '_' ~ window, 'correlation of ' ~ target ~ ' and ' ~ partner ~ ' daily log returns over the last ' ~ window ~ ' common dates']) -%}
        {%- endfor -%}
        {%- do columns.append(['corr_' ~ partner ~ '_age_days', 'calendar days from the last common date of the window to trade_date']) -%}
        {%- do columns.append(['corr_' ~ partner ~ '_available_at', 'instant the window became public (UTC)']) -%}
        {%- do blocks.append({
            'cte': 'pairs', 'block': 'corr_' ~ partner,
            'source': 'features.pair_correlations_daily (staging.market_daily, staging.fred_first_release)',
            'available_at_rule': pair_rule,
            'columns': columns,
        }) -%}
    {%- endfor -%}
    {%- for partner in partners -%}
        {%- set columns = [] -%}
        {%- for window in var('cross_asset_beta_windows') -%}
            {%- do columns.append(['beta_' ~ partner ~ '_' ~ window, 'OLS beta of ' ~ target ~ ' daily log returns on ' ~ partner ~ ' over the last ' ~ window ~ ' common dates']) -%}
            {%- do columns.append(['residual_vol_' ~ partner ~ '_' ~ window, 'annualized volatility of the residuals of that ' ~ window ~ '-date regression']) -%}
        {%- endfor -%}
        {%- do columns.append(['beta_' ~ partner ~ '_age_days', 'calendar days from the last common date of the window to trade_date']) -%}
        {%- do columns.append(['beta_' ~ partner ~ '_available_at', 'instant the window became public (UTC)']) -%}
        {%- do blocks.append({
            'cte': 'betas', 'block': 'beta_' ~ partner,
            'source': 'features.cross_asset_betas_daily (staging.market_daily, staging.fred_first_release)',
            'available_at_rule': pair_rule,
            'columns': columns,
        }) -%}
    {%- endfor -%}

    {%- do blocks.append({
        'cte': 'regimes', 'block': 'market_regime',
        'source': 'features.regime_indicators_daily over staging.market_daily (' ~ target ~ ')',
        'available_at_rule': 'latest ' ~ target ~ ' bar with available_at <= decision_at; percentiles use past rows only',
        'columns': [
            ['vol_realized_20', 'annualized volatility of the last 20 roll-adjusted log returns of ' ~ target],
            ['vol_percentile', 'share of the last 252 vol_realized_20 values at or below the current one'],
            ['vol_regime', 'low, normal or high by the vol_percentile thresholds in var regime_vol_thresholds'],
            ['trend_gap', 'mean of the last 20 minus mean of the last 60 cumulative roll-adjusted log returns'],
            ['trend_sign', 'sign of trend_gap: -1, 0 or 1'],
            ['trend_persistence', 'sessions in a row, this one included, with the current trend_sign'],
            ['market_regime_age_days', 'calendar days from the bar date to trade_date'],
            ['market_regime_available_at', 'instant the bar became public (UTC)'],
        ],
    }) -%}
    {%- do blocks.append({
        'cte': 'regimes', 'block': 'cot_regime',
        'source': 'features.regime_indicators_daily over staging.cftc_cot (' ~ target ~ ')',
        'available_at_rule': 'latest report published by decision_at; NULL past var cot_max_age_days',
        'columns': [
            ['cot_mm_net_share', 'managed money net position over open interest'],
            ['cot_mm_net_share_zscore', 'z-score of cot_mm_net_share over the last 156 reports'],
            ['cot_mm_net_share_percentile', 'share of the last 156 reports with a value at or below the current one'],
            ['cot_mm_extreme_long', 'cot_mm_net_share_percentile at or above the upper threshold of var regime_cot_thresholds'],
            ['cot_mm_extreme_short', 'cot_mm_net_share_percentile at or below the lower threshold of var regime_cot_thresholds'],
            ['cot_regime_age_days', 'calendar days from the report date to trade_date'],
            ['cot_regime_available_at', 'instant the report was published (UTC)'],
        ],
    }) -%}
    {%- do blocks.append({
        'cte': 'regimes', 'block': 'policy_regime',
        'source': 'features.regime_indicators_daily over the text_policy_regimes seed and staging.trump_policy_intelligence',
        'available_at_rule': 'a phase counts from 23:59:59 America/New_York of its start date; '
            ~ 'events count from their available_at',
        'columns': [
            ['administration_regime', 'US administration phase in force'],
            ['trade_policy_regime', 'trade-policy phase in force'],
            ['trade_policy_regime_age_days', 'calendar days since the trade-policy phase started'],
            ['policy_regime_available_at', 'instant the current phases took effect (UTC)'],
            ['trump_events_30d', 'Truth Social policy events public in the 30 days before decision_at'],
            ['trump_events_30d_baseline', 'mean count per 30 days over the 365 days before decision_at'],
            ['trump_events_intensity', 'trump_events_30d over trump_events_30d_baseline'],
            ['trump_events_age_days', 'calendar days from the latest event in the baseline window to trade_date'],
            ['trump_events_available_at', 'instant the latest event in the baseline window became public (UTC)'],
        ],
    }) -%}

    {%- do blocks.append({
        'cte': 'spreads', 'block': 'fundamental_spreads',
        'source': 'features.fundamental_spreads_daily (market legs, FRED PPOILUSDM, EIA monthly, WASDE)',
        'available_at_rule': 'each leg joined as of decision_at by its own available_at; '
            ~ 'spreads are NULL when a leg is missing or stale',
        'columns': [
            ['board_crush_usd_per_bushel', 'board crush: 11 lb of ZL plus 0.022 short tons of ZM minus one bushel of ZS, US dollars per bushel'],
            ['oil_share_of_crush', 'soybean oil value over the oil plus meal value of a crushed bushel'],
            ['boho_spread_usd_per_gallon', 'soybean oil minus NY Harbor ULSD, US dollars per gallon'],
            ['soy_palm_spread_usd_per_metric_ton', 'ZL in US dollars per metric ton minus the IMF palm oil price'],
            ['palm_age_days', 'calendar days from the IMF palm oil observation month to trade_date'],
            ['soyoil_biofuel_feedstock_mmlb', 'EIA soybean oil consumed for biofuel production, latest published month, million lb'],
            ['feedstock_age_days', 'calendar days from the EIA feedstock month to trade_date'],
            ['stocks_to_use_us', 'WASDE US soybean oil ending stocks over total use, latest report'],
            ['stocks_to_use_world', 'WASDE world soybean oil ending stocks over total use, latest report'],
            ['fundamentals_available_at', 'latest available_at of the EIA and WASDE values of the row (UTC)'],
            ['crush_available_at', 'latest available_at of the crush legs (UTC)'],
            ['crush_age_days', 'calendar days from the local date of crush_available_at to trade_date'],
            ['fundamentals_age_days', 'calendar days from the local date of fundamentals_available_at to trade_date'],
        ],
    }) -%}

    {%- set weather_descriptions = [
        ['tmax_c', 'production-weighted daily maximum temperature, degrees C'],
        ['tmin_c', 'production-weighted daily minimum temperature, degrees C'],
        ['precip_mm', 'production-weighted daily precipitation, mm'],
        ['gdd_base10_cap30', 'growing degree days, base 10 C, capped at 30 C'],
        ['dry_spell_days', 'consecutive days up to the observation day with under 1 mm of precipitation'],
        ['tmax_anomaly_c', 'tmax minus its climatology from earlier years, degrees C'],
        ['tmin_anomaly_c', 'tmin minus its climatology from earlier years, degrees C'],
        ['precip_anomaly_mm', 'precipitation minus its climatology from earlier years, mm'],
        ['weather_age_days', 'calendar days from the weather observation date to trade_date'],
        ['weather_available_at', 'instant the joined weather day became public (UTC)'],
    ] -%}
    {%- for region in var('weather_regions') -%}
        {%- set columns = [] -%}
        {%- for column, description in weather_descriptions -%}
            {%- do columns.append([region ~ '_' ~ column, region ~ ' ' ~ description]) -%}
        {%- endfor -%}
        {%- do blocks.append({
            'cte': 'weather', 'block': 'weather_' ~ region,
            'source': 'features.weather_features_daily over staging.weather_regions_aggregated '
                ~ '(NOAA, Open-Meteo, NASA POWER, SMN, INMET)',
            'available_at_rule': 'latest region day with available_at <= decision_at; NULL once '
                ~ 'the day is more than var weather_max_age_days old',
            'columns': columns,
        }) -%}
    {%- endfor -%}

    {%- set news_columns = [] -%}
    {%- for bucket in seed_values('text_taxonomy', 'bucket', where="bucket not in ('none')") -%}
        {%- do news_columns.append(['news_' ~ bucket ~ '_count', 'news items in bucket ' ~ bucket ~ ' counted for the day']) -%}
        {%- do news_columns.append(['news_' ~ bucket ~ '_sentiment', 'mean net sentiment (positive minus negative) of the ' ~ bucket ~ ' items of the day']) -%}
        {%- do news_columns.append(['news_' ~ bucket ~ '_trust_weighted_sentiment', bucket ~ ' sentiment weighted by source trust']) -%}
        {%- do news_columns.append(['news_' ~ bucket ~ '_volume_normalized_sentiment', bucket ~ ' summed sentiment over the mean daily item count of the bucket in the previous 28 days']) -%}
    {%- endfor -%}
    {%- do news_columns.append(['news_available_at', 'latest available_at of the news items counted (UTC)']) -%}
    {%- do news_columns.append(['news_age_days', 'calendar days from the local date of news_available_at to trade_date']) -%}
    {%- do blocks.append({
        'cte': 'sentiment', 'block': 'news_sentiment',
        'source': 'features.sentiment_features_daily over staging.sentiment_buckets (ScrapeCreators news, scored at ingestion)',
        'available_at_rule': 'items with published_at plus the platform processing lag at or before '
            ~ 'decision_at, each counted once, on the first trading date whose decision time follows it',
        'columns': news_columns,
    }) -%}

    {%- set policy_columns = [] -%}
    {%- for event_type in var('policy_event_buckets').values() | unique | list -%}
        {%- do policy_columns.append(['trump_' ~ event_type ~ '_events', 'Truth Social ' ~ event_type ~ ' policy events counted for the day']) -%}
        {%- do policy_columns.append(['trump_' ~ event_type ~ '_impact', 'summed shrunk ZL impact score of the ' ~ event_type ~ ' events of the day']) -%}
    {%- endfor -%}
    {%- for column, description in [
        ['trump_policy_impact', 'summed impact score of all policy events of the day'],
        ['trump_post_count', 'Truth Social posts counted for the day'],
        ['trump_mean_sentiment', 'mean net sentiment of the posts of the day'],
        ['policy_available_at', 'latest available_at of the posts counted (UTC)'],
        ['policy_age_days', 'calendar days from the local date of policy_available_at to trade_date'],
    ] -%}
        {%- do policy_columns.append([column, description]) -%}
    {%- endfor -%}
    {%- do blocks.append({
        'cte': 'sentiment', 'block': 'policy',
        'source': 'features.sentiment_features_daily over staging.trump_policy_intelligence (Truth Social)',
        'available_at_rule': 'posts with created_at plus 5 minutes at or before decision_at; impact '
            ~ 'scores use only returns public before the post',
        'columns': policy_columns,
    }) -%}

    {%- do blocks.append({
        'cte': 'neural', 'block': 'neural_signals',
        'source': 'features.neural_signals_daily (sentiment model outputs of news and posts)',
        'available_at_rule': 'same items and day folding as the news and policy blocks',
        'columns': [
            ['neural_scored_texts', 'texts scored for the day'],
            ['neural_mean_prob_positive', 'mean positive-class probability'],
            ['neural_mean_prob_negative', 'mean negative-class probability'],
            ['neural_mean_prob_neutral', 'mean neutral-class probability'],
            ['neural_mean_confidence', 'mean confidence reported by the scorer'],
            ['neural_sentiment_disagreement', 'standard deviation of positive minus negative across texts'],
            ['neural_truncated_share', 'share of texts truncated to the maximum input length of the model'],
            ['neural_scorer', 'name and version of the scorer of the day'],
            ['neural_available_at', 'latest available_at of the texts scored (UTC)'],
            ['neural_age_days', 'calendar days from the local date of neural_available_at to trade_date'],
        ],
    }) -%}

    {{ return(blocks) }}
{% endmacro %}

{#-
    Calendar days from the date, in var decision_timezone, on which
    `available_at` fell to the row's trade_date: the age of a block that
    aggregates many items and has no single reference date.
-#}
{% macro days_since_public(available_at, trade_date='trade_date') -%}
    {{ trade_date }} - cast(timezone('{{ var("decision_timezone") }}', {{ available_at }}) as date)
{%- endmacro %}
