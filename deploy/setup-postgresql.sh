#!/bin/sh
# Sets up PostgreSQL for Gongkai on Debian 12, as root: installs Debian's postgresql if missing,
# starts its cluster, makes a role and a database owned by it, and prints the gongkai.store.url
# line for /etc/gongkai/gongkai.properties. Running it again changes nothing that is in place.
#
#   deploy/setup-postgresql.sh [--role NAME] [--database NAME] [--password] [--cluster VER/NAME]
#
# Authentication. By default the role is the system user the service runs as (`gongkai`, from
# deploy/gongkai.sysusers) and connects over the cluster's Unix socket with peer authentication,
# which Debian's pg_hba.conf already allows (`local all all peer`): the kernel vouches for the
# connecting user, so there is no password to generate, store, rotate or leak, and the URL names
# none. That is what a PostgreSQL operator expects for a service on the database host; the admin
# commands then run as that user too (`sudo -u gongkai gongkai backup ...`).
# --password is for servers on other hosts: the role gets a generated password (scram-sha-256),
# kept in a root-only file (/etc/gongkai/postgresql-ROLE.password, mode 0600) and reused on the
# next run; connect over TCP, and allow the servers' addresses in pg_hba.conf yourself. Put the
# password in the URL of a gongkai.properties readable only by root and the service
# (chmod 0640, chgrp gongkai), or leave it out of the URL and give libpq PGPASSWORD or ~/.pgpass.
set -eu

role=gongkai
database=gongkai
password=no
cluster=

usage() {
  echo "usage: $0 [--role NAME] [--database NAME] [--password] [--cluster VERSION/NAME]" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --role) [ $# -ge 2 ] || usage; role=$2; shift 2 ;;
    --database) [ $# -ge 2 ] || usage; database=$2; shift 2 ;;
    --password) password=yes; shift ;;
    --cluster) [ $# -ge 2 ] || usage; cluster=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done

# Plain names only: they go into SQL and into the URL unquoted.
for name in "$role" "$database"; do
  if ! printf '%s' "$name" | grep -Eq '^[a-z_][a-z0-9_]{0,62}$'; then
    echo "not a plain PostgreSQL name (lower-case letters, digits, _): $name" >&2
    exit 2
  fi
done
if [ "$(id -u)" -ne 0 ]; then
  echo "run as root (it installs packages and acts as the postgres user)" >&2
  exit 2
fi

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
fi
# The package makes and starts a cluster `main`; a machine may have several: take the one asked
# for, else the newest.
if [ -z "$cluster" ]; then
  cluster=$(pg_lsclusters -h | sort -k1,1V | tail -n 1 | awk '{print $1 "/" $2}')
fi
version=${cluster%%/*}
name=${cluster#*/}
line=$(pg_lsclusters -h | awk -v v="$version" -v n="$name" '$1 == v && $2 == n')
if [ -z "$line" ]; then
  echo "no PostgreSQL cluster $cluster (pg_lsclusters lists the clusters)" >&2
  exit 1
fi
port=$(echo "$line" | awk '{print $3}')
case "$(echo "$line" | awk '{print $4}')" in
  online*) ;;
  *) pg_ctlcluster "$version" "$name" start ;;
esac

sql() {
  runuser -u postgres -- psql --cluster "$cluster" -X -q -v ON_ERROR_STOP=1 -tA -c "$1"
}

if [ "$(sql "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
  sql "CREATE ROLE $role LOGIN"
fi
if [ "$(sql "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  runuser -u postgres -- createdb --cluster "$cluster" --owner "$role" --encoding UTF8 \
    --template template0 "$database"
fi

if [ "$password" = yes ]; then
  file=/etc/gongkai/postgresql-$role.password
  install -d -m 0755 /etc/gongkai
  if [ ! -s "$file" ]; then
    (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file.new" &&
      mv "$file.new" "$file")
  fi
  chmod 0600 "$file"
  # Set every run, so the role and the file always agree. The secret goes in on standard input
  # (not in the command line `ps` shows), and SET password_encryption makes it a SCRAM verifier.
  secret=$(cat "$file")
  printf "SET password_encryption = 'scram-sha-256';\nALTER ROLE %s PASSWORD '%s';\n" \
    "$role" "$secret" | runuser -u postgres -- psql --cluster "$cluster" -X -q -v ON_ERROR_STOP=1
  echo "password of role $role: $file (root only)"
  echo "add to /etc/gongkai/gongkai.properties (chmod 0640, chgrp gongkai):"
  echo "gongkai.store.url = postgresql://$role:$secret@127.0.0.1:$port/$database"
else
  echo "role $role (peer authentication: run gongkai-server as the system user $role)"
  echo "add to /etc/gongkai/gongkai.properties:"
  echo "gongkai.store.url = postgresql://$role@/$database?host=/var/run/postgresql&port=$port"
fi
