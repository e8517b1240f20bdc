// Placeholder replaced by the pipeline (issue 2).
