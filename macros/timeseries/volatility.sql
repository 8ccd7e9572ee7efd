{#-
    Range-based realized volatility over the trailing `n` rows, annualized
    with sqrt(periods_per_year). NULL rule: NULL unless all `n` rows have
    positive high, low (and open, close for Garman-Klass) prices. The term
    of each row is NULL otherwise, and ts_nan_sum gives the window's sum
    and its NULL check in one aggregate.
-#}

{#-
    Parkinson (1980): sqrt(sum(ln(high / low)^2) / (4 n ln 2)).
-#}
{% macro ts_parkinson_vol(
    high, low, n, partition_by=none, order_by='trade_date', periods_per_year=252
) -%}
    {%- set term = "case when " ~ low ~ " > 0 and " ~ high ~ " > 0 then "
        ~ "power(ln(" ~ high ~ " / " ~ low ~ "), 2) end" -%}
    case
        when {{ ts_window_full(n, partition_by, order_by) }}
            then sqrt(
                nullif(
                    {{ ts_nan_sum(term, n, partition_by, order_by) }},
                    cast('nan' as double)
                )
                / (4 * {{ n }} * ln(2))
            ) * sqrt({{ periods_per_year }})
    end
{%- endmacro %}

{#-
    Garman-Klass (1980): sqrt(mean(0.5 ln(high / low)^2
    - (2 ln 2 - 1) ln(close / open)^2)). A bar whose close or open lies
    outside its high-low range can make a term, and so the mean, negative;
    the mean is floored at 0 before the square root, so such a window gives
    0 rather than an error.
-#}
{% macro ts_garman_klass_vol(
    open, high, low, close, n, partition_by=none, order_by='trade_date',
    periods_per_year=252
) -%}
    {%- set term = "case when " ~ low ~ " > 0 and " ~ high ~ " > 0 and "
        ~ open ~ " > 0 and " ~ close ~ " > 0 then "
        ~ "0.5 * power(ln(" ~ high ~ " / " ~ low ~ "), 2) - (2 * ln(2) - 1) * "
        ~ "power(ln(" ~ close ~ " / " ~ open ~ "), 2) end" -%}
    case
        when {{ ts_window_complete(term, n, partition_by, order_by) }}
            then sqrt(greatest(
                {{ ts_nan_sum(term, n, partition_by, order_by) }} / {{ n }},
                0
            )) * sqrt({{ periods_per_year }})
    end
{%- endmacro %}
