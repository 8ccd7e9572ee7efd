"""Schedules for the loaders and builds: `zl scheduler` and `zl schedule export`.

`schedules.yml` at the project root lists every job with its cron
expression, time zone, retries and maximum backoff. `service` runs the jobs
with APScheduler in one long-running process, `jobs` holds what each kind
of job does (load a source and build its staging models, build features,
build the matrix), and `export` writes the same schedule as a crontab, a
GitHub Actions workflow or Cloud Scheduler jobs.

This package defines no `SOURCE`, so the source registry skips it. It
imports nothing at package level because the registry imports every
package under `ingest/`.
"""
