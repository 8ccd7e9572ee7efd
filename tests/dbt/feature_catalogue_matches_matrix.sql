-- Every column of features.daily_ml_matrix has exactly one catalogue row at
-- the same position, and the catalogue lists no column the matrix lacks.
-- Returns the mismatches.

with

matrix_columns as (
    select
        column_name,
        cast(ordinal_position as integer) as column_position
    from information_schema.columns
    where
        table_catalog = '{{ ref("daily_ml_matrix").database }}'
        and table_schema = '{{ ref("daily_ml_matrix").schema }}'
        and table_name = '{{ ref("daily_ml_matrix").identifier }}'
),

catalogue as (
    select
        column_name,
        column_position
    from {{ ref('feature_catalogue') }}
)

select
    coalesce(matrix_columns.column_name, catalogue.column_name) as column_name,
    matrix_columns.column_position as matrix_position,
    catalogue.column_position as catalogue_position
from matrix_columns
full outer join catalogue
    on matrix_columns.column_name = catalogue.column_name
where
    matrix_columns.column_position is distinct from catalogue.column_position
