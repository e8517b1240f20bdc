// Placeholder replaced by the model's tests (issue 3).
