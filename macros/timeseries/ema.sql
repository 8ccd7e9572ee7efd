{#-
    Exponential smoothing without recursion. `ts_ewm_by` evaluates

        e_1 = x_1,  e_t = alpha * x_t + (1 - alpha) * e_{t-1}

    over the non-NULL values of `column` as a closed-form weighted sum,
    e_t = sum_i w_i * (1 - alpha)^(t - i) * x_i with w_1 = 1 and w_i = alpha
    after it. The values are numbered t = 1, 2, ... and cut into blocks of
    L = ceil(53 ln 2 / alpha) values, so (1 - alpha)^L <= exp(-alpha L)
    <= 2^-53. Inside a block a cumulative sum of x_i * (1 - alpha)^-q (q is
    the position in the block, at most L) is at most L * (1 - alpha)^-L
    * max |x|, far from double overflow. A row adds the whole previous
    block, decayed, and drops everything before it.
    The dropped part weighs at most (1 - alpha)^L <= 2^-53 of the EMA L
    values back, which is below double rounding when the series' level
    does not change by orders of magnitude. Cost: three window passes and
    one small join, whatever the span.

    A relation macro: returns every column of `relation` plus `name`. A
    row whose `column` is NULL repeats the previous row's value. The
    result is NULL before the first non-NULL value, for the first
    `warmup_rows - 1` rows of the partition and until `warmup_values`
    non-NULL values have been seen.
-#}
{% macro ts_ewm_by(
    relation, partition_by, order_by, column, alpha, name,
    warmup_rows=1, warmup_values=1
) %}
    {%- if not (alpha > 0 and alpha <= 1) -%}
        {{ exceptions.raise_compiler_error(
            "ts_ewm_by: alpha must be in (0, 1], got " ~ alpha
        ) }}
    {%- endif -%}
    {%- set decay = 1 - alpha -%}
    {%- if decay == 0 %}
    {#- alpha = 1 keeps no memory: the result is the last non-NULL value. #}
    select
        *,
        case
            when
                count({{ column }}) {{ ts_over(partition_by, order_by, preceding='unbounded') }}
                >= greatest({{ warmup_values }}, 1)
                and row_number() {{ ts_over(partition_by, order_by) }} >= {{ warmup_rows }}
                then {{ ts_ffill(column, partition_by, order_by) }}
        end as {{ name }}
    from {{ relation }}
    {%- else %}
    {%- set block = ((36.7368005696771 / alpha) | round(0, 'ceil')) | int -%}
    {%- set window = ts_over(partition_by, order_by) -%}
    {%- set cumulative = ts_over(partition_by, order_by, preceding='unbounded') -%}
    with

    ts_ewm_indexed as (
        select
            *,
            {{ partition_by if partition_by is not none else 'null' }}
                as ts_ewm_partition,
            row_number() {{ window }} as ts_ewm_row,
            count({{ column }}) {{ cumulative }} as ts_ewm_count
        from {{ relation }}
    ),

    ts_ewm_terms as (
        select
            *,
            (ts_ewm_count - 1) // {{ block }} as ts_ewm_block,
            (ts_ewm_count - 1) % {{ block }} + 1 as ts_ewm_position,
            case
                when {{ column }} is not null
                    then
                        case when ts_ewm_count = 1 then 1.0 else {{ alpha }} end
                        * cast({{ column }} as double)
                        * pow({{ decay }}, -((ts_ewm_count - 1) % {{ block }} + 1))
            end as ts_ewm_term
        from ts_ewm_indexed
    ),

    ts_ewm_block_sums as (
        select
            *,
            sum(ts_ewm_term) over (
                partition by ts_ewm_partition, ts_ewm_block
                order by {{ order_by }}
                rows between unbounded preceding and current row
            ) as ts_ewm_block_sum
        from ts_ewm_terms
    ),

    ts_ewm_block_totals as (
        select
            ts_ewm_partition,
            ts_ewm_block,
            sum(ts_ewm_term) as ts_ewm_block_total
        from ts_ewm_terms
        group by ts_ewm_partition, ts_ewm_block
    )

    select
        ts_ewm_block_sums.* exclude (
            ts_ewm_partition, ts_ewm_row, ts_ewm_count, ts_ewm_block,
            ts_ewm_position, ts_ewm_term, ts_ewm_block_sum
        ),
        case
            when
                ts_ewm_block_sums.ts_ewm_count >= greatest({{ warmup_values }}, 1)
                and ts_ewm_block_sums.ts_ewm_row >= {{ warmup_rows }}
                then pow({{ decay }}, ts_ewm_block_sums.ts_ewm_position) * (
                    ts_ewm_block_sums.ts_ewm_block_sum
                    + coalesce(
                        pow({{ decay }}, {{ block }}) * previous.ts_ewm_block_total, 0
                    )
                )
        end as {{ name }}
    from ts_ewm_block_sums
    left join ts_ewm_block_totals as previous
        on
            ts_ewm_block_sums.ts_ewm_partition
            is not distinct from previous.ts_ewm_partition
            and previous.ts_ewm_block = ts_ewm_block_sums.ts_ewm_block - 1
    {%- endif %}
{% endmacro %}

{#-
    Exponential moving average, alpha = 2 / (span + 1), seeded with the
    first value: ema_1 = x_1, ema_t = alpha * x_t + (1 - alpha) * ema_{t-1}.

    A relation macro: returns every column of `relation` plus
    `<column>_ema_<span>`. Frame: all earlier rows of the partition, in
    `order_by` order. NULL rule: a NULL input carries the previous EMA
    forward; the output is NULL for the first `span - 1` rows (warm-up).
    Computed by ts_ewm_by without recursion, it matches the recursion to
    double rounding (see ts_ewm_by for the bound).
-#}
{% macro ts_ema_by(relation, partition_by, order_by, column, span) %}
    {%- if span < 1 -%}
        {{ exceptions.raise_compiler_error(
            "ts_ema_by: span must be at least 1, got " ~ span
        ) }}
    {%- endif -%}
    {{ ts_ewm_by(
        relation, partition_by, order_by, column, 2.0 / (span + 1),
        column ~ '_ema_' ~ span, warmup_rows=span
    ) }}
{% endmacro %}
