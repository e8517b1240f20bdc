// Placeholder replaced by core tests (issue 2).
