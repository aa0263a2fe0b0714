"""The /api/v1 sections, one module each."""

V1 = "/api/v1"
