-- WASDE soybean, soybean oil and soybean meal balance sheet cells, one row
-- per report month and cell, with the instant the report became public.
--
-- Release rule: the file's ReleaseDate at its ReleaseTime (12:00 as a
-- rule) in America/New_York. A corrected file for a month replaces the
-- original's cells in raw. Cells the correction no longer has keep the
-- older release date, so this model drops them.

with

cells as (
    select * from {{ source('raw_usda', 'usda_wasde') }}
),

latest_releases as (
    select
        report_month,
        max(release_date) as release_date
    from cells
    group by report_month
),

final as (
    select
        cells.report_month,
        cells.wasde_number,
        cells.report_title,
        cells.commodity,
        cells.region,
        cells.attribute,
        cells.market_year,
        cells.proj_est_flag,
        cells.annual_quarter_flag,
        cells.reliability_projection,
        cells.value,
        cells.unit,
        cells.value_raw,
        cells.release_date,
        {{ local_to_utc(
            "cells.release_date + cast(coalesce(cells.release_time, '12:00:00') as time)",
            "'America/New_York'"
        ) }} as available_at
    from cells
    inner join latest_releases
        on
            cells.report_month = latest_releases.report_month
            and cells.release_date = latest_releases.release_date
)

select * from final
