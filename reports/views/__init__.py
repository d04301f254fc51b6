"""The Laporan pages, one module per feature: jobs (request, status, download, exports), deliveries
(send a report upward, acknowledge it, who has delivered per year)."""
