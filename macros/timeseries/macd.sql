{#-
    Moving average convergence divergence (Appel). A relation macro: it
    returns every column of `relation` plus

        <column>_macd            ema_fast(x) - ema_slow(x)
        <column>_macd_signal     EMA with span `signal` of the MACD line
        <column>_macd_histogram  MACD line - signal line

    The EMAs follow ts_ema_by (seeded with the first value, computed by
    ts_ewms_by), both in one pass. When `relation` already has them, pass
    their names as `fast_ema` and `slow_ema` and only the signal line is
    computed; they must be ts_ema_by of `column` with spans `fast` and
    `slow` over the same partition and order. The signal EMA is seeded with
    the first MACD value. Frame: all earlier rows of the partition. NULL
    rule: a NULL input carries the previous EMAs forward. Warm-up: the MACD
    line is NULL for the first `slow - 1` rows, the signal and histogram
    until `signal` MACD values exist, that is for the first
    `slow + signal - 2` rows.

    Each smoothing pass sorts once for its row numbers and counts unless
    the relation has them: `row_column` (row_number() over the partition
    and order), `seen_column` (rows from the first non-NULL `column` value
    up to the current row, 0 before it) and, when the EMAs are computed
    here, `count_column` (running count of non-NULL `column` values). The
    MACD line is non-NULL from row max(slow, first value row) on, so its
    running count is min(seen, row - slow + 1), at least 0. With fast_ema
    and slow_ema given, that count is right only when `slow` is the slow
    EMA's span, and nothing checks it.
-#}
{% macro ts_macd_by(
    relation, partition_by, order_by, column, fast=12, slow=26, signal=9,
    fast_ema=none, slow_ema=none, row_column=none, seen_column=none, count_column=none
) %}
    {%- if not (1 <= fast < slow) or signal < 1 -%}
        {{ exceptions.raise_compiler_error(
            "ts_macd_by: expected 1 <= fast < slow and signal >= 1, got fast="
            ~ fast ~ ", slow=" ~ slow ~ ", signal=" ~ signal
        ) }}
    {%- endif -%}
    {%- if (fast_ema is none) != (slow_ema is none) -%}
        {{ exceptions.raise_compiler_error(
            "ts_macd_by: pass both fast_ema and slow_ema or neither, got fast_ema="
            ~ fast_ema ~ ", slow_ema=" ~ slow_ema
        ) }}
    {%- endif -%}
    {%- set computed = fast_ema is none -%}
    {%- if (row_column is none) != (seen_column is none)
        or (row_column is none and count_column is not none)
        or (row_column is not none and computed and count_column is none) -%}
        {{ exceptions.raise_compiler_error(
            "ts_macd_by: pass row_column with seen_column, and count_column too when"
            ~ " the EMAs are computed here, or none of them; got row_column="
            ~ row_column ~ ", seen_column=" ~ seen_column ~ ", count_column="
            ~ count_column
        ) }}
    {%- endif -%}
    {%- if not computed and count_column is not none -%}
        {{ exceptions.raise_compiler_error(
            "ts_macd_by: count_column is unused when fast_ema and slow_ema are given,"
            ~ " so drop it, got count_column=" ~ count_column
        ) }}
    {%- endif -%}
    {%- set fast_column = 'ts_macd_fast_ema' if computed else fast_ema -%}
    {%- set slow_column = 'ts_macd_slow_ema' if computed else slow_ema -%}
    with

    {%- if computed %}

    ts_macd_emas as (
        {{ ts_ewms_by(relation, partition_by, order_by, [
            {
                'column': column, 'alpha': 2.0 / (fast + 1),
                'name': 'ts_macd_fast_ema', 'warmup_rows': fast,
            },
            {
                'column': column, 'alpha': 2.0 / (slow + 1),
                'name': 'ts_macd_slow_ema', 'warmup_rows': slow,
            },
        ], row_column, ts_count_mapping(column, count_column)) }}
    ),
    {%- endif %}

    ts_macd_lines as (
        select
            *,
            {{ fast_column }} - {{ slow_column }} as ts_macd_line
            {%- if row_column is not none %},
            greatest(
                least({{ seen_column }}, {{ row_column }} - {{ slow - 1 }}), 0
            ) as ts_macd_line_count
            {%- endif %}
        from {{ 'ts_macd_emas' if computed else relation }}
    ),

    ts_macd_signals as (
        {{ ts_ewm_by(
            'ts_macd_lines', partition_by, order_by, 'ts_macd_line',
            2.0 / (signal + 1), 'ts_macd_signal_line', warmup_values=signal,
            row_column=row_column,
            count_column=none if row_column is none else 'ts_macd_line_count'
        ) }}
    )

    select
        * exclude (
            {%- if computed %} ts_macd_fast_ema, ts_macd_slow_ema,{% endif %}
            {%- if row_column is not none %} ts_macd_line_count,{% endif %}
            ts_macd_line, ts_macd_signal_line
        ),
        ts_macd_line as {{ column }}_macd,
        ts_macd_signal_line as {{ column }}_macd_signal,
        ts_macd_line - ts_macd_signal_line as {{ column }}_macd_histogram
    from ts_macd_signals
{% endmacro %}
