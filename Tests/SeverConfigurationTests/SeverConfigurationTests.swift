// Placeholder replaced by configuration tests (issue 7).
