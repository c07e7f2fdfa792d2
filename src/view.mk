# view model: replay of NDJSON recordings, events log, per-object series (owned by the view engineer)
