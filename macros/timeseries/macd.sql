{#-
    Moving average convergence divergence (Appel). A relation macro: it
    returns every column of `relation` plus

        <column>_macd            ema_fast(x) - ema_slow(x)
        <column>_macd_signal     EMA with span `signal` of the MACD line
        <column>_macd_histogram  MACD line - signal line

    The EMAs follow ts_ema_by (seeded with the first value, computed by
    ts_ewm_by). The signal EMA is seeded with the first MACD value. Frame:
    all earlier rows of the partition. NULL rule: a NULL input carries the
    previous EMAs forward. Warm-up: the MACD line is NULL for the first
    `slow - 1` rows, the signal and histogram until `signal` MACD values
    exist, that is for the first `slow + signal - 2` rows.
-#}
{% macro ts_macd_by(
    relation, partition_by, order_by, column, fast=12, slow=26, signal=9
) %}
    {%- if not (1 <= fast < slow) or signal < 1 -%}
        {{ exceptions.raise_compiler_error(
            "ts_macd_by: expected 1 <= fast < slow and signal >= 1, got fast="
            ~ fast ~ ", slow=" ~ slow ~ ", signal=" ~ signal
        ) }}
    {%- endif -%}
    with

    ts_macd_fast as (
        {{ ts_ewm_by(
            relation, partition_by, order_by, column, 2.0 / (fast + 1),
            'ts_macd_fast_ema', warmup_rows=fast
        ) }}
    ),

    ts_macd_slow as (
        {{ ts_ewm_by(
            'ts_macd_fast', partition_by, order_by, column, 2.0 / (slow + 1),
            'ts_macd_slow_ema', warmup_rows=slow
        ) }}
    ),

    ts_macd_lines as (
        select
            *,
            ts_macd_fast_ema - ts_macd_slow_ema as ts_macd_line
        from ts_macd_slow
    ),

    ts_macd_signals as (
        {{ ts_ewm_by(
            'ts_macd_lines', partition_by, order_by, 'ts_macd_line',
            2.0 / (signal + 1), 'ts_macd_signal_line', warmup_values=signal
        ) }}
    )

    select
        * exclude (
            ts_macd_fast_ema, ts_macd_slow_ema, ts_macd_line, ts_macd_signal_line
        ),
        ts_macd_line as {{ column }}_macd,
        ts_macd_signal_line as {{ column }}_macd_signal,
        ts_macd_line - ts_macd_signal_line as {{ column }}_macd_histogram
    from ts_macd_signals
{% endmacro %}
