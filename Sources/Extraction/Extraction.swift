// Placeholder replaced by extraction (issue 2).
