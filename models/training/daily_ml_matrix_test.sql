-- The test split of features.daily_ml_matrix (see chronological_split).

{{ chronological_split(ref('daily_ml_matrix'), 'test') }}
