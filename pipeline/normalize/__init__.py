"""Stage 5: normalizers, one module per kind of thing the articles talk about."""
