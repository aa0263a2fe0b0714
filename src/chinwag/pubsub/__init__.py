"""Bus backends: memory (one process) now; Redis joins for many processes."""
