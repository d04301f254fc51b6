"""The Laporan pages, one module per feature: jobs (request, status, download, exports),
schedules (the Jadwal laporan section: create, pause, resume, delete), verification (is a report genuine?),
deliveries (send a report upward, acknowledge it, who has delivered per year)."""
