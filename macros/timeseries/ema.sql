{#-
    Exponential moving average with the exact recursive definition
    (DuckDB has no native EMA):

        ema_1 = x_1,  ema_t = alpha * x_t + (1 - alpha) * ema_{t-1},
        alpha = 2 / (span + 1).

    A relation macro: returns every column of `relation` plus
    `<column>_ema_<span>`. Frame: all earlier rows of the partition, in
    `order_by` order. NULL rule: a NULL input carries the previous EMA
    forward; the output is NULL for the first `span - 1` rows (warm-up).
    Runs as a recursive CTE, one step per row of the longest partition.
-#}
{% macro ts_ema_by(relation, partition_by, order_by, column, span) %}
    {%- set alpha = 2.0 / (span + 1) %}
    with recursive

    ordered as (
        select
            *,
            row_number() over (
                partition by {{ partition_by }} order by {{ order_by }}
            ) as ema_row
        from {{ relation }}
    ),

    ema as (
        select
            {{ partition_by }} as ema_partition,
            ema_row,
            cast({{ column }} as double) as ema_value
        from ordered
        where ema_row = 1
        union all
        select
            ordered.{{ partition_by }},
            ordered.ema_row,
            case
                when ordered.{{ column }} is null then ema.ema_value
                when ema.ema_value is null then ordered.{{ column }}
                else
                    {{ alpha }} * ordered.{{ column }}
                    + (1 - {{ alpha }}) * ema.ema_value
            end
        from ema
        inner join ordered
            on
                ema.ema_partition = ordered.{{ partition_by }}
                and ordered.ema_row = ema.ema_row + 1
    )

    select
        ordered.* exclude (ema_row),
        case
            when ordered.ema_row >= {{ span }} then ema.ema_value
        end as {{ column }}_ema_{{ span }}
    from ordered
    inner join ema
        on
            ordered.{{ partition_by }} = ema.ema_partition
            and ordered.ema_row = ema.ema_row
{% endmacro %}
