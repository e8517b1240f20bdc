// Placeholder replaced by CLI tests (issue 2).
