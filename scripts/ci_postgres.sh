#!/usr/bin/env bash
# Make a throwaway PostgreSQL reachable on 127.0.0.1 for the test suite (CI, Debian 12, root).
#
# Idempotent: does nothing when a server already answers. Otherwise installs the Debian
# package when missing, starts the default cluster on loopback only and lets user
# "postgres" connect over local TCP without a password ("trust" for 127.0.0.1/32 only).
# That is acceptable ONLY on a disposable test machine; never run this on a shared host.
# Creates no roles, databases or schemas: each test makes (and drops) its own schema.
# Last line printed: the export to use, e.g.
#   export PIPELINE_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres
set -euo pipefail

HOST=127.0.0.1
PORT="${PGPORT:-5432}"
URL="postgresql://postgres@${HOST}:${PORT}/postgres"

log() { echo "ci_postgres: $*" >&2; }

if pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; then
    log "a server already answers on ${HOST}:${PORT}"
else
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        log "installing postgresql"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y postgresql
    fi
    # Newest installed major version (Debian 12 ships 15).
    VERSION="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
    CONF_DIR="/etc/postgresql/${VERSION}/main"
    if [ ! -d "$CONF_DIR" ]; then
        log "creating cluster ${VERSION}/main"
        pg_createcluster "$VERSION" main --port "$PORT"
    fi
    HBA="${CONF_DIR}/pg_hba.conf"
    RULE="host    all    postgres    127.0.0.1/32    trust"
    if ! grep -qF "$RULE" "$HBA"; then
        log "trusting user postgres on 127.0.0.1/32 in ${HBA} (test machine only)"
        # pg_hba.conf is first-match: the trust rule must precede the scram rules.
        { echo "# added by scripts/ci_postgres.sh for tests (loopback only)"; echo "$RULE"; cat "$HBA"; } > "${HBA}.new"
        chown postgres:postgres "${HBA}.new"
        chmod 640 "${HBA}.new"
        mv "${HBA}.new" "$HBA"
    fi
    # Listen on loopback only.
    mkdir -p "${CONF_DIR}/conf.d"
    echo "listen_addresses = 'localhost'" > "${CONF_DIR}/conf.d/ci_loopback.conf"
    if pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
        pg_ctlcluster "$VERSION" main reload
    else
        log "starting cluster ${VERSION}/main"
        pg_ctlcluster "$VERSION" main start || service postgresql start
    fi
    for _ in $(seq 1 30); do
        pg_isready -q -h "$HOST" -p "$PORT" && break
        sleep 1
    done
    pg_isready -h "$HOST" -p "$PORT"
fi

echo "export PIPELINE_TEST_POSTGRES_URL=${URL}"
