{#-
    Relative strength index with Wilder's smoothing. A relation macro: it
    returns every column of `relation` plus `<column>_rsi_<n>`.

    Changes are x_t - x_{t-1}. The first average gain and loss are the
    simple means of the first `n` changes; after that
    avg_t = (avg_{t-1} * (n - 1) + value_t) / n, which is an EMA with
    alpha = 1 / n seeded with the first mean (ts_ewms_by with
    seed_values = n), so both averages take one ts_ewms_by pass without
    recursion. RSI = 100 - 100 / (1 + RS) with RS = avg gain / avg loss,
    100 when the average loss is 0, and NULL when both averages are 0.
    Frame: all earlier rows of the partition. NULL rule: a NULL change
    counts as no change. Warm-up: the first `n` rows are NULL.

    Every column of `relation` goes through three window sorts and a join,
    so pass a relation of only the partition, order and price columns. A
    relation that already has the row numbers (`row_column`, row_number()
    over the partition and order) and the previous row's price
    (`previous_column`, lag of `column` by one row) saves two of the sorts;
    pass both or neither.
-#}
{% macro ts_rsi_wilder_by(
    relation, partition_by, order_by, column, n, row_column=none, previous_column=none
) %}
    {%- if n < 1 -%}
        {{ exceptions.raise_compiler_error(
            "ts_rsi_wilder_by: n must be at least 1, got " ~ n
        ) }}
    {%- endif -%}
    {%- if (row_column is none) != (previous_column is none) -%}
        {{ exceptions.raise_compiler_error(
            "ts_rsi_wilder_by: pass both row_column and previous_column or neither,"
            ~ " got row_column=" ~ row_column ~ ", previous_column=" ~ previous_column
        ) }}
    {%- endif -%}
    {%- set window = ts_over(partition_by, order_by) -%}
    {%- set row = row_column if row_column is not none
        else 'row_number() ' ~ window -%}
    {%- set previous = previous_column if previous_column is not none
        else 'lag(' ~ column ~ ') ' ~ window -%}
    {%- set change = column ~ ' - ' ~ previous -%}
    with

    {#- The first row has no change and so NULL inputs; every later row has
        a gain and a loss, so the n-th values belong to row n + 1, and the
        running count of gains is the row number minus 1. #}
    ts_rsi_changes as (
        select
            *,
            case
                when {{ row }} > 1
                    then coalesce(greatest({{ change }}, 0), 0)
            end as ts_rsi_gain,
            case
                when {{ row }} > 1
                    then coalesce(greatest(-({{ change }}), 0), 0)
            end as ts_rsi_loss
            {%- if row_column is not none %},
            greatest({{ row_column }} - 1, 0) as ts_rsi_count
            {%- endif %}
        from {{ relation }}
    ),

    {#- The two inputs are NULL on the same rows, so they share one block
        index and one ts_ewms_by pass. #}
    ts_rsi_averages as (
        {{ ts_ewms_by('ts_rsi_changes', partition_by, order_by, [
            {
                'column': 'ts_rsi_gain', 'alpha': 1.0 / n,
                'name': 'ts_rsi_average_gain', 'seed_values': n,
            },
            {
                'column': 'ts_rsi_loss', 'alpha': 1.0 / n,
                'name': 'ts_rsi_average_loss', 'seed_values': n,
                'count_column': 'ts_rsi_gain',
            },
        ], row_column, none if row_column is none else {'ts_rsi_gain': 'ts_rsi_count'}) }}
    )

    select
        * exclude (
            ts_rsi_gain, ts_rsi_loss, ts_rsi_average_gain, ts_rsi_average_loss
            {%- if row_column is not none %}, ts_rsi_count{% endif %}
        ),
        case
            {#- No change at all so far (a flat price, or no prices yet): RS is
                0 / 0, and 100 would read as overbought. #}
            when ts_rsi_average_gain = 0 and ts_rsi_average_loss = 0 then null
            when ts_rsi_average_loss = 0 then 100.0
            else 100.0 - 100.0 / (1 + ts_rsi_average_gain / ts_rsi_average_loss)
        end as {{ column }}_rsi_{{ n }}
    from ts_rsi_averages
{% endmacro %}
