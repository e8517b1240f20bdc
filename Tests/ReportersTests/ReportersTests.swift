// Placeholder replaced by reporter tests (issue 7).
