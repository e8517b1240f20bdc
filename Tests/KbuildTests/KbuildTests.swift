// Placeholder replaced by the Kbuild tests (issue 4).
