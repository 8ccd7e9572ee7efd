{#-
    Relative strength index with Wilder's smoothing. A relation macro: it
    returns every column of `relation` plus `<column>_rsi_<n>`.

    Changes are x_t - x_{t-1}. The first average gain and loss are the
    simple means of the first `n` changes; after that
    avg_t = (avg_{t-1} * (n - 1) + value_t) / n. RSI = 100 - 100 / (1 + RS)
    with RS = avg gain / avg loss, and 100 when the average loss is 0.
    Frame: all earlier rows of the partition. NULL rule: a NULL change
    counts as no change. Warm-up: the first `n` rows are NULL. Runs as a
    recursive CTE, one step per row of the longest partition.
-#}
{% macro ts_rsi_wilder_by(relation, partition_by, order_by, column, n) %}
    with recursive

    ordered as (
        select
            *,
            row_number() over (
                partition by {{ partition_by }} order by {{ order_by }}
            ) as rsi_row,
            {{ column }} - lag({{ column }}) over (
                partition by {{ partition_by }} order by {{ order_by }}
            ) as rsi_change
        from {{ relation }}
    ),

    changes as (
        select
            *,
            coalesce(greatest(rsi_change, 0), 0) as rsi_gain,
            coalesce(greatest(-rsi_change, 0), 0) as rsi_loss
        from ordered
    ),

    seeded as (
        select
            *,
            avg(rsi_gain) over (
                partition by {{ partition_by }} order by {{ order_by }}
                rows between {{ n - 1 }} preceding and current row
            ) as seed_gain,
            avg(rsi_loss) over (
                partition by {{ partition_by }} order by {{ order_by }}
                rows between {{ n - 1 }} preceding and current row
            ) as seed_loss
        from changes
    ),

    smoothed as (
        select
            {{ partition_by }} as rsi_partition,
            rsi_row,
            seed_gain as avg_gain,
            seed_loss as avg_loss
        from seeded
        where rsi_row = {{ n + 1 }}
        union all
        select
            seeded.{{ partition_by }},
            seeded.rsi_row,
            (smoothed.avg_gain * {{ n - 1 }} + seeded.rsi_gain) / {{ n }},
            (smoothed.avg_loss * {{ n - 1 }} + seeded.rsi_loss) / {{ n }}
        from smoothed
        inner join seeded
            on
                smoothed.rsi_partition = seeded.{{ partition_by }}
                and seeded.rsi_row = smoothed.rsi_row + 1
    )

    select
        ordered.* exclude (rsi_row, rsi_change),
        case
            when smoothed.avg_loss = 0 then 100.0
            else 100.0 - 100.0 / (1 + smoothed.avg_gain / smoothed.avg_loss)
        end as {{ column }}_rsi_{{ n }}
    from ordered
    left join smoothed
        on
            ordered.{{ partition_by }} = smoothed.rsi_partition
            and ordered.rsi_row = smoothed.rsi_row
{% endmacro %}
