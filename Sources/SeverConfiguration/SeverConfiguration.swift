// Placeholder replaced by configuration, suppressions and baselines (issue 7).
