{#-
    Relative strength index with Wilder's smoothing. A relation macro: it
    returns every column of `relation` plus `<column>_rsi_<n>`.

    Changes are x_t - x_{t-1}. The first average gain and loss are the
    simple means of the first `n` changes; after that
    avg_t = (avg_{t-1} * (n - 1) + value_t) / n, which is an EMA with
    alpha = 1 / n seeded with the first mean (ts_ewms_by with
    seed_values = n), so both averages take one ts_ewms_by pass without
    recursion. RSI = 100 - 100 / (1 + RS) with RS = avg gain / avg loss,
    and 100 when the average loss is 0. Frame: all earlier rows of the
    partition. NULL rule: a NULL change counts as no change. Warm-up: the
    first `n` rows are NULL.

    Every column of `relation` goes through three window sorts and a join,
    so pass a relation of only the partition, order and price columns.
-#}
{% macro ts_rsi_wilder_by(relation, partition_by, order_by, column, n) %}
    {%- if n < 1 -%}
        {{ exceptions.raise_compiler_error(
            "ts_rsi_wilder_by: n must be at least 1, got " ~ n
        ) }}
    {%- endif -%}
    {%- set window = ts_over(partition_by, order_by) -%}
    {%- set change = column ~ ' - lag(' ~ column ~ ') ' ~ window -%}
    with

    {#- The first row has no change and so NULL inputs; every later row has
        a gain and a loss, so the n-th values belong to row n + 1. #}
    ts_rsi_changes as (
        select
            *,
            case
                when row_number() {{ window }} > 1
                    then coalesce(greatest({{ change }}, 0), 0)
            end as ts_rsi_gain,
            case
                when row_number() {{ window }} > 1
                    then coalesce(greatest(-({{ change }}), 0), 0)
            end as ts_rsi_loss
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
        ]) }}
    )

    select
        * exclude (
            ts_rsi_gain, ts_rsi_loss, ts_rsi_average_gain, ts_rsi_average_loss
        ),
        case
            when ts_rsi_average_loss = 0 then 100.0
            else 100.0 - 100.0 / (1 + ts_rsi_average_gain / ts_rsi_average_loss)
        end as {{ column }}_rsi_{{ n }}
    from ts_rsi_averages
{% endmacro %}
