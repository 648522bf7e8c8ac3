#!/usr/bin/env bash
# Builds and installs pgvector for the machine's PostgreSQL from Debian's source package
# (the stable release has no pgvector for PostgreSQL 15). Skipped when already installed.
set -euo pipefail
PGVER=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
PGVER=${PGVER:-15}
if [ -f "/usr/share/postgresql/$PGVER/extension/vector.control" ]; then
  echo "pgvector already installed for PostgreSQL $PGVER"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
LIST=/etc/apt/sources.list.d/switchboard-trixie-src.list
echo "deb-src http://deb.debian.org/debian trixie main" > "$LIST"
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-$PGVER" build-essential dpkg-dev >/dev/null
WORK=$(mktemp -d)
( cd "$WORK" && apt-get source -qq pgvector >/dev/null 2>&1 || apt-get source pgvector )
rm -f "$LIST"
apt-get update -qq || true
SRC=$(find "$WORK" -maxdepth 1 -type d -name 'pgvector-*' | head -1)
make -C "$SRC" PG_CONFIG="/usr/lib/postgresql/$PGVER/bin/pg_config" OPTFLAGS="" -j2 >/dev/null
make -C "$SRC" PG_CONFIG="/usr/lib/postgresql/$PGVER/bin/pg_config" install >/dev/null
rm -rf "$WORK"
echo "pgvector installed for PostgreSQL $PGVER"
