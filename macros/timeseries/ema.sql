{#-
    Exponential smoothing without recursion. `ts_ewms_by` evaluates, for
    each entry of `smoothings`,

        e_1 = x_1,  e_t = alpha * x_t + (1 - alpha) * e_{t-1}

    over the non-NULL values of the entry's `column` as a closed-form
    weighted sum, e_t = sum_i w_i * (1 - alpha)^(t - i) * x_i with w_1 = 1
    and w_i = alpha after it. The values are numbered t = 1, 2, ... and cut
    into blocks of L values. L is ceil(53 ln 2 / alpha) for the smallest
    alpha of the entries that share a block index (see `count_column`), so
    (1 - alpha)^L <= exp(-alpha L) <= 2^-53 for each of them. Inside a
    block a cumulative sum of x_i * (1 - alpha)^-q (q is the position in
    the block, at most L) is at most L * (1 - alpha)^-L * max |x|; the
    macro raises a compiler error when (1 - alpha)^-L exceeds 1e180 for
    any entry, far below double overflow. A row adds the whole previous
    block, decayed, and drops everything before it. The dropped part
    weighs at most (1 - alpha)^L <= 2^-53 of the EMA L values back, which
    is below double rounding when the series' level does not change by
    orders of magnitude.

    Each call costs one window sort for the row numbers and counts, one per
    block index for the block sums, and one small aggregate and join per
    block index, whatever the number of entries. Pass a relation of only the
    partition, order and smoothed columns: every column of `relation` goes
    through each sort and join.

    With `seed_values` k > 1 the smoothing starts at the k-th value with
    the mean of the first k values, e_k = (x_1 + ... + x_k) / k, and
    follows the recursion after it (Wilder's seed). In the weighted sum the
    first k values take weight 1 / k at the position of value k, which
    needs k <= L.

    A relation macro: returns every column of `relation` plus each entry's
    `name`. Entry keys: `column`, `alpha` in (0, 1], `name`,
    `warmup_rows` (default 1), `warmup_values` (default 1),
    `seed_values` (default 1; 1 when alpha is 1) and
    `count_column` (default `column`). Entries with the same
    `count_column` share one block index, so that column must be NULL on
    exactly the rows where each of their columns is NULL. A row whose
    `column` is NULL repeats the previous row's value. The result is NULL
    before the first non-NULL value, for the first `warmup_rows - 1` rows
    of the partition and until `warmup_values` and `seed_values` non-NULL
    values have been seen.

    The counts and row numbers cost a window sort of their own. A caller
    whose relation already has them passes `row_column` (row_number() over
    the partition and order) and `count_columns`, a mapping from each
    count_column to a column with its running count of non-NULL values,
    current row included. The macro then reads them and sorts only for the
    block sums.
-#}
{% macro ts_ewms_by(
    relation, partition_by, order_by, smoothings, row_column=none, count_columns=none
) %}
    {%- if smoothings | length == 0 -%}
        {{ exceptions.raise_compiler_error("ts_ewms_by: smoothings is empty") }}
    {%- endif -%}
    {#- groups: count_column -> {'specs': [...], 'block': L}, in first-seen order #}
    {%- set groups = {} -%}
    {%- set group_order = [] -%}
    {%- for entry in smoothings -%}
        {%- set alpha = entry['alpha'] -%}
        {%- if not (alpha > 0 and alpha <= 1) -%}
            {{ exceptions.raise_compiler_error(
                "ts_ewms_by: alpha must be in (0, 1], got " ~ alpha
                ~ " for " ~ entry['name']
            ) }}
        {%- endif -%}
        {%- if entry.get('seed_values', 1) < 1
            or (entry.get('seed_values', 1) > 1 and alpha == 1) -%}
            {{ exceptions.raise_compiler_error(
                "ts_ewms_by: seed_values must be at least 1, and 1 when alpha is 1,"
                ~ " got " ~ entry.get('seed_values') ~ " for " ~ entry['name']
            ) }}
        {%- endif -%}
        {%- set count_column = entry.get('count_column', entry['column']) -%}
        {%- if count_column not in groups -%}
            {%- do groups.update({count_column: {'specs': [], 'block': 1}}) -%}
            {%- do group_order.append(count_column) -%}
        {%- endif -%}
        {%- do groups[count_column]['specs'].append(entry) -%}
    {%- endfor -%}
    {%- for count_column in group_order -%}
        {%- set group = groups[count_column] -%}
        {%- set decaying = group['specs'] | selectattr('alpha', 'lt', 1) | list -%}
        {%- if decaying | length > 0 -%}
            {%- set smallest = decaying | map(attribute='alpha') | min -%}
            {%- set block = ((36.7368005696771 / smallest) | round(0, 'ceil')) | int -%}
            {%- do group.update({'block': block}) -%}
            {%- for entry in decaying -%}
                {%- if entry.get('seed_values', 1) > block -%}
                    {{ exceptions.raise_compiler_error(
                        "ts_ewms_by: seed_values " ~ entry['seed_values'] ~ " of "
                        ~ entry['name'] ~ " exceeds the block of " ~ block ~ " values"
                    ) }}
                {%- endif -%}
                {%- if (1 - entry['alpha']) ** block < 1e-180 -%}
                    {{ exceptions.raise_compiler_error(
                        "ts_ewms_by: alpha " ~ entry['alpha'] ~ " of " ~ entry['name']
                        ~ " shares a block of " ~ block ~ " values with alpha "
                        ~ smallest ~ ", which scales values past 1e180; smooth"
                        ~ " them in separate calls"
                    ) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if (row_column is none) != (count_columns is none) -%}
        {{ exceptions.raise_compiler_error(
            "ts_ewms_by: pass both row_column and count_columns or neither, got"
            ~ " row_column=" ~ row_column ~ ", count_columns=" ~ count_columns
        ) }}
    {%- endif -%}
    {%- if count_columns is not none and count_columns is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "ts_ewms_by: count_columns must be a mapping from count_column to the"
            ~ " column with its running count, got " ~ count_columns
        ) }}
    {%- endif -%}
    {%- if count_columns is not none -%}
        {%- for count_column in group_order -%}
            {%- if count_column not in count_columns -%}
                {{ exceptions.raise_compiler_error(
                    "ts_ewms_by: count_columns has no running count for " ~ count_column
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {#- One flat list of entries with their group number and column suffix. #}
    {%- set entries = [] -%}
    {%- for count_column in group_order -%}
        {%- set g = loop.index -%}
        {%- for entry in groups[count_column]['specs'] -%}
            {%- do entries.append({
                'entry': entry, 'group': g, 'suffix': g ~ '_' ~ loop.index,
                'block': groups[count_column]['block'],
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set window = ts_over(partition_by, order_by) -%}
    {%- set helpers = ['ts_ewm_partition', 'ts_ewm_row'] -%}
    {%- for count_column in group_order -%}
        {%- do helpers.extend([
            'ts_ewm_count_' ~ loop.index, 'ts_ewm_block_' ~ loop.index,
            'ts_ewm_position_' ~ loop.index,
        ]) -%}
    {%- endfor -%}
    {%- for item in entries -%}
        {%- do helpers.extend(['ts_ewm_term_' ~ item.suffix, 'ts_ewm_sum_' ~ item.suffix]) -%}
    {%- endfor -%}
    with

    ts_ewm_indexed as (
        select
            *,
            {{ partition_by if partition_by is not none else 'null' }}
                as ts_ewm_partition,
            {%- if row_column is not none %}
            {%- for count_column in group_order %}
            cast({{ count_columns[count_column] }} as bigint) as ts_ewm_count_{{ loop.index }},
            {%- endfor %}
            {{ row_column }} as ts_ewm_row
            {%- else %}
            {%- for count_column in group_order %}
            {{ ts_running_count(count_column, partition_by, order_by) }}
                as ts_ewm_count_{{ loop.index }},
            {%- endfor %}
            row_number() {{ window }} as ts_ewm_row
            {%- endif %}
        from {{ relation }}
    ),

    ts_ewm_terms as (
        select
            *,
            {%- for count_column in group_order %}
            {%- set block = groups[count_column]['block'] %}
            (ts_ewm_count_{{ loop.index }} - 1) // {{ block }} as ts_ewm_block_{{ loop.index }},
            (ts_ewm_count_{{ loop.index }} - 1) % {{ block }} + 1
                as ts_ewm_position_{{ loop.index }},
            {%- endfor %}
            {%- for item in entries %}
            {%- set count = 'ts_ewm_count_' ~ item.group %}
            {%- if item.entry['alpha'] == 1 %}
            cast({{ item.entry['column'] }} as double)
            {%- else %}
            {%- set seed = item.entry.get('seed_values', 1) %}
            {#- The first `seed` values all sit at the position of value `seed`,
                each with weight 1 / seed, so they add up to the seed mean. #}
            case
                when {{ item.entry['column'] }} is not null
                    then
                        case
                            when {{ count }} <= {{ seed }} then {{ 1.0 / seed }}
                            else {{ item.entry['alpha'] }}
                        end
                        * cast({{ item.entry['column'] }} as double)
                        * pow(
                            {{ 1 - item.entry['alpha'] }},
                            -((greatest({{ count }}, {{ seed }}) - 1) % {{ item.block }} + 1)
                        )
            end
            {%- endif %} as ts_ewm_term_{{ item.suffix }}{{ ',' if not loop.last }}
            {%- endfor %}
        from ts_ewm_indexed
    ),

    ts_ewm_block_sums as (
        select
            *,
            {%- for item in entries %}
            {%- if item.entry['alpha'] == 1 %}
            {#- alpha = 1 keeps no memory: the result is the last non-NULL value. #}
            last_value(ts_ewm_term_{{ item.suffix }} ignore nulls) over (
                partition by ts_ewm_partition
                order by {{ order_by }}
                rows between unbounded preceding and current row
            )
            {%- else %}
            sum(ts_ewm_term_{{ item.suffix }}) over (
                partition by ts_ewm_partition, ts_ewm_block_{{ item.group }}
                order by {{ order_by }}
                rows between unbounded preceding and current row
            )
            {%- endif %} as ts_ewm_sum_{{ item.suffix }}{{ ',' if not loop.last }}
            {%- endfor %}
        from ts_ewm_terms
    )
    {%- for count_column in group_order %}
    {%- set g = loop.index %}
    {%- set decaying = entries | selectattr('group', 'eq', g)
        | rejectattr('entry.alpha', 'eq', 1) | list %}
    {%- if decaying | length > 0 %},

    ts_ewm_block_totals_{{ g }} as (
        select
            ts_ewm_partition,
            ts_ewm_block_{{ g }} as ts_ewm_block,
            {%- for item in decaying %}
            sum(ts_ewm_term_{{ item.suffix }})
                as ts_ewm_total_{{ item.suffix }}{{ ',' if not loop.last }}
            {%- endfor %}
        from ts_ewm_terms
        group by ts_ewm_partition, ts_ewm_block_{{ g }}
    )
    {%- endif %}
    {%- endfor %}

    select
        ts_ewm_block_sums.* exclude ({{ helpers | join(', ') }}),
        {%- for item in entries %}
        {%- set g = item.group %}
        {%- set decay = 1 - item.entry['alpha'] %}
        case
            when
                ts_ewm_block_sums.ts_ewm_count_{{ g }}
                >= greatest(
                    {{ item.entry.get('warmup_values', 1) }},
                    {{ item.entry.get('seed_values', 1) }},
                    1
                )
                and ts_ewm_block_sums.ts_ewm_row >= {{ item.entry.get('warmup_rows', 1) }}
                {%- if item.entry['alpha'] == 1 %}
                then ts_ewm_block_sums.ts_ewm_sum_{{ item.suffix }}
                {%- else %}
                then pow({{ decay }}, ts_ewm_block_sums.ts_ewm_position_{{ g }}) * (
                    ts_ewm_block_sums.ts_ewm_sum_{{ item.suffix }}
                    + coalesce(
                        pow({{ decay }}, {{ item.block }})
                        * ts_ewm_previous_{{ g }}.ts_ewm_total_{{ item.suffix }},
                        0
                    )
                )
                {%- endif %}
        end as {{ item.entry['name'] }}{{ ',' if not loop.last }}
        {%- endfor %}
    from ts_ewm_block_sums
    {%- for count_column in group_order %}
    {%- set g = loop.index %}
    {%- if entries | selectattr('group', 'eq', g)
        | rejectattr('entry.alpha', 'eq', 1) | list | length > 0 %}
    left join ts_ewm_block_totals_{{ g }} as ts_ewm_previous_{{ g }}
        on
            ts_ewm_block_sums.ts_ewm_partition
            is not distinct from ts_ewm_previous_{{ g }}.ts_ewm_partition
            and ts_ewm_previous_{{ g }}.ts_ewm_block
            = ts_ewm_block_sums.ts_ewm_block_{{ g }} - 1
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#-
    One exponential smoothing; see ts_ewms_by, which it calls with a single
    entry. A relation macro: returns every column of `relation` plus `name`.
    `row_column` and `count_column` (the running count of non-NULL
    `column` values) name columns that already hold the row numbers and
    counts; pass both or neither.
-#}
{% macro ts_ewm_by(
    relation, partition_by, order_by, column, alpha, name,
    warmup_rows=1, warmup_values=1, row_column=none, count_column=none
) %}
    {%- if not (alpha > 0 and alpha <= 1) -%}
        {{ exceptions.raise_compiler_error(
            "ts_ewm_by: alpha must be in (0, 1], got " ~ alpha
        ) }}
    {%- endif -%}
    {{ ts_check_index_pair('ts_ewm_by', row_column, count_column) }}
    {{ ts_ewms_by(relation, partition_by, order_by, [{
        'column': column, 'alpha': alpha, 'name': name,
        'warmup_rows': warmup_rows, 'warmup_values': warmup_values,
    }], row_column, ts_count_mapping(column, count_column)) }}
{% endmacro %}

{#- Raise unless row_column and count_column are both given or both none. -#}
{% macro ts_check_index_pair(macro_name, row_column, count_column) -%}
    {%- if (row_column is none) != (count_column is none) -%}
        {{ exceptions.raise_compiler_error(
            macro_name ~ ": pass both row_column and count_column or neither, got"
            ~ " row_column=" ~ row_column ~ ", count_column=" ~ count_column
        ) }}
    {%- endif -%}
{%- endmacro %}

{#- {column: count_column}, or none when count_column is none. -#}
{% macro ts_count_mapping(column, count_column) -%}
    {%- if count_column is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({column: count_column}) }}
{%- endmacro %}

{#-
    Exponential moving average, alpha = 2 / (span + 1), seeded with the
    first value: ema_1 = x_1, ema_t = alpha * x_t + (1 - alpha) * ema_{t-1}.

    A relation macro: returns every column of `relation` plus
    `<column>_ema_<span>` for each span. `span` is one span or a list of
    spans, computed in one ts_ewms_by pass. Frame: all earlier rows of the
    partition, in `order_by` order. NULL rule: a NULL input carries the
    previous EMA forward; the output is NULL for the first `span - 1` rows
    (warm-up). Computed by ts_ewms_by without recursion, it matches the
    recursion to double rounding (see ts_ewms_by for the bound).
    `row_column` and `count_column` work as in ts_ewm_by.
-#}
{% macro ts_ema_by(
    relation, partition_by, order_by, column, span, row_column=none, count_column=none
) %}
    {%- set spans = span if span is iterable else [span] -%}
    {%- set smoothings = [] -%}
    {%- for one_span in spans -%}
        {%- if one_span < 1 -%}
            {{ exceptions.raise_compiler_error(
                "ts_ema_by: span must be at least 1, got " ~ one_span
            ) }}
        {%- endif -%}
        {%- do smoothings.append({
            'column': column, 'alpha': 2.0 / (one_span + 1),
            'name': column ~ '_ema_' ~ one_span, 'warmup_rows': one_span,
        }) -%}
    {%- endfor -%}
    {{ ts_check_index_pair('ts_ema_by', row_column, count_column) }}
    {{ ts_ewms_by(
        relation, partition_by, order_by, smoothings,
        row_column, ts_count_mapping(column, count_column)
    ) }}
{% endmacro %}
