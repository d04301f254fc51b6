"""The Laporan pages, one module per feature: jobs (request, status, download, exports)."""
