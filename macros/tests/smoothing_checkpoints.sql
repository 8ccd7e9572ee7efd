{#-
    The output of the two smoothing harness models: the EMA, RSI and MACD
    columns rounded to 8 decimals, on rows 1-12 of each series and on both
    sides of the ts_ewms_by block boundaries (74, 111 and 203 values), so
    long inputs stay readable in the unit tests. `row_column` holds the row
    number within the series.
-#}
{% macro smoothing_checkpoints(relation, row_column) %}
    select
        series_id,
        trade_date,
        x,
        round(x_ema_10, 8) as x_ema_10,
        round(x_rsi_3, 8) as x_rsi_3,
        round(x_macd, 8) as x_macd,
        round(x_macd_signal, 8) as x_macd_signal,
        round(x_macd_histogram, 8) as x_macd_histogram
    from {{ relation }}
    where
        {{ row_column }} <= 12
        or {{ row_column }} in (74, 75, 76, 111, 112, 113, 203, 204, 205, 406, 407, 500)
{% endmacro %}
