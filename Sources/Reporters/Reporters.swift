// Placeholder replaced by the reporters (issue 7).
