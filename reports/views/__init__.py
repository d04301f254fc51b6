"""The Laporan pages, one module per feature: jobs (request, status, download, exports),
schedules (the Jadwal laporan section: create, pause, resume, delete)."""
