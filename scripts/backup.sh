#!/usr/bin/env bash
# Back up SSK Tracker: the database and the media files (evidence, SSK documents, reports), together.
#   scripts/backup.sh [DIR]        DIR defaults to backups/<date-time>; it must not exist yet.
# Reads DATABASE_URL and MEDIA_ROOT as the tracker does (.env is not read: export them first).
# PostgreSQL: pg_dump in its custom format (restore with scripts/restore.sh, or pg_restore by hand);
# SQLite: an online copy through SQLite's backup API, safe while the tracker runs.
# The manifest (rows per table, SHA-256 of every media file) is what scripts/restore.sh checks against.
# With object storage (STORAGE_BACKEND=s3 or S3_BUCKET set) the files are not copied: the object store
# is backed up by its own means, and the backup says so (media.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_setup.sh
[ -x .venv/bin/python ] || die "No .venv: run scripts/run.sh (or scripts/test.sh) once first."
target="${1:-backups/$(date +%Y%m%d-%H%M%S)}"
[ ! -e "$target" ] || die "$target exists already; give a new folder."
database_url="${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}"
media_root="${MEDIA_ROOT:-$(pwd)/media}"
mkdir -p "$target"
case "$database_url" in
  postgres://*|postgresql://*)
    pg_dump --format=custom --no-owner --no-privileges --dbname="$database_url" --file="$target/database.dump" ;;
  sqlite:///*)
    .venv/bin/python - "${database_url#sqlite:///}" "$target/database.sqlite3" <<'PY'
import sqlite3, sys
source, copy = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(copy)
copy.close(); source.close()
PY
    ;;
  *) die "DATABASE_URL must be postgres://… or sqlite:///… (not ${database_url%%:*})." ;;
esac
storage_kind=$(.venv/bin/python -c 'import os; from ssk_tracker.storage_settings import storage_kind; print(storage_kind(os.environ))')
if [ "$storage_kind" = s3 ]; then
  # The stored files live in the shared object store: it is backed up by its own means (bucket
  # versioning and replication, or a scheduled `aws s3 sync` / `mc mirror` of the bucket), not by this
  # script, which would have to download every object. The manifest names the bucket instead of files.
  note="Stored files are in the object store (bucket ${S3_BUCKET:-${AWS_STORAGE_BUCKET_NAME:-}}): back it up by its own means (versioning, replication or a bucket sync); this backup holds the database only."
  echo "$note" > "$target/media.txt"
  echo "$note" >&2
elif [ -d "$media_root" ]; then
  tar -C "$media_root" -czf "$target/media.tar.gz" .
else
  tar -czf "$target/media.tar.gz" -T /dev/null
fi
DATABASE_URL="$database_url" MEDIA_ROOT="$media_root" .venv/bin/python scripts/backup_manifest.py > "$target/manifest.json"
echo "Backup written to $target"
