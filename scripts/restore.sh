#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty media folder.
#   scripts/restore.sh DIR
# DATABASE_URL and MEDIA_ROOT name where to restore (export them first). PostgreSQL: create the database
# first (createdb ssk_restored); SQLite: the file must not exist yet. Afterwards the manifest is checked:
# the same rows per table and the same media files (SHA-256), or the restore says what differs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_setup.sh
[ -x .venv/bin/python ] || die "No .venv: run scripts/run.sh (or scripts/test.sh) once first."
source_dir="${1:?give the backup folder: scripts/restore.sh backups/20261201-120000}"
[ -f "$source_dir/manifest.json" ] || die "$source_dir has no manifest.json: not a backup of scripts/backup.sh."
database_url="${DATABASE_URL:?export DATABASE_URL of the (empty) database to restore into}"
media_root="${MEDIA_ROOT:?export MEDIA_ROOT of the (empty) media folder to restore into}"
if [ -d "$media_root" ] && [ -n "$(ls -A "$media_root")" ]; then
  die "$media_root is not empty; restore into an empty media folder."
fi
case "$database_url" in
  postgres://*|postgresql://*)
    [ -f "$source_dir/database.dump" ] || die "$source_dir holds no PostgreSQL dump."
    tables=$(psql --dbname="$database_url" -Atc "select count(*) from pg_tables where schemaname = 'public'")
    [ "$tables" = 0 ] || die "The database has $tables tables already; restore into an empty one."
    pg_restore --no-owner --no-privileges --exit-on-error --dbname="$database_url" "$source_dir/database.dump" ;;
  sqlite:///*)
    [ -f "$source_dir/database.sqlite3" ] || die "$source_dir holds no SQLite copy."
    [ ! -e "${database_url#sqlite:///}" ] || die "${database_url#sqlite:///} exists; restore into a new file."
    cp "$source_dir/database.sqlite3" "${database_url#sqlite:///}" ;;
  *) die "DATABASE_URL must be postgres://… or sqlite:///…." ;;
esac
mkdir -p "$media_root"
if [ -f "$source_dir/media.tar.gz" ]; then
  tar -C "$media_root" -xzf "$source_dir/media.tar.gz"
else
  echo "$source_dir holds no media files: $(cat "$source_dir/media.txt" 2>/dev/null || echo 'no media.tar.gz')" >&2
fi
DATABASE_URL="$database_url" MEDIA_ROOT="$media_root" .venv/bin/python scripts/backup_manifest.py > "$source_dir/restored.json"
if ! cmp -s "$source_dir/manifest.json" "$source_dir/restored.json"; then
  diff <(.venv/bin/python -m json.tool "$source_dir/manifest.json") <(.venv/bin/python -m json.tool "$source_dir/restored.json") | head -40 >&2 || true
  die "The restored data differs from the backup's manifest (above)."
fi
echo "Restored $source_dir: the same rows and media files as the backup."
