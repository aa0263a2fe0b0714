"""The /api/v1 sections, one module each."""
