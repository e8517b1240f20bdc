// Placeholder replaced by extraction tests (issue 2).
