#!/usr/bin/env bash
# Starts a disposable OpenLDAP server for the LDAP backend tests.
#
#   scripts/start-slapd.sh DIR PORT
#   TLS_DIR=CERTS scripts/start-slapd.sh DIR PORT LDAPS_PORT
#
# Everything lives in DIR: the cn=config tree (built offline with slapadd -n0), the mdb data, the
# log and the pid file DIR/slapd.fg.pid. The server listens on ldap://127.0.0.1:PORT only.
#
# With TLS_DIR, the server also offers StartTLS on PORT and listens on ldaps://127.0.0.1:LDAPS_PORT,
# with the certificate CERTS/server.pem, its key CERTS/server-key.pem and the CA CERTS/ca.pem.
# TLS_DIR only counts on the first run on DIR, which writes the config; restarts pass the port again.
#
# Fixture under dc=example,dc=com (service account cn=admin,dc=example,dc=com / adminpw):
#   ou=people: alice (alicepw), bob (bobpw), twin (twinpw) and the group cn=devs;
#   ou=staff:  a second twin, so that a search for uid=twin finds two entries;
#   ou=managed: empty, where the tests create and delete users.
# olcAllows: bind_anon_dn makes the server accept a DN with an empty password as an anonymous
# bind, as Active Directory does (RFC 4513 5.1.2); the backend has to refuse such logins itself.
set -euo pipefail

DIR=${1:?usage: start-slapd.sh DIR PORT}
PORT=${2:?usage: start-slapd.sh DIR PORT}
LDAPS_PORT=${3:-}
TLS_DIR=${TLS_DIR:-}
ADMIN_PW=${ADMIN_PW:-adminpw}
SUFFIX=dc=example,dc=com
PATH=$PATH:/usr/sbin

for tool in slapd slapadd slappasswd ldapadd ldapsearch; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "start-slapd.sh: $tool is not installed; run scripts/setup.sh" >&2
    exit 2
  }
done

if [ -n "$TLS_DIR" ]; then
  [ -n "$LDAPS_PORT" ] || {
    echo "start-slapd.sh: TLS_DIR needs the ldaps port as a third argument" >&2
    exit 2
  }
  for file in server.pem server-key.pem ca.pem; do
    [ -r "$TLS_DIR/$file" ] || {
      echo "start-slapd.sh: $TLS_DIR/$file is missing" >&2
      exit 2
    }
  done
fi

hash() { slappasswd -h '{SSHA}' -s "$1"; }

# the cn=config lines that point slapd at its certificate, key and CA, each after a newline, so
# that without TLS_DIR the entry gets no blank line (which would end it)
tls_config() {
  [ -n "$TLS_DIR" ] || return 0
  printf '\nolcTLSCertificateFile: %s' "$TLS_DIR/server.pem"
  printf '\nolcTLSCertificateKeyFile: %s' "$TLS_DIR/server-key.pem"
  printf '\nolcTLSCACertificateFile: %s' "$TLS_DIR/ca.pem"
}

# a first run builds the config and data; a restart on the same DIR reuses both
if [ ! -d "$DIR/slapd.d" ]; then
  mkdir -p "$DIR/slapd.d" "$DIR/data"
  cat >"$DIR/config.ldif" <<LDIF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $DIR/slapd.pid
olcArgsFile: $DIR/slapd.args
olcAllows: bind_anon_dn
olcLogLevel: stats$(tls_config)

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif
include: file:///etc/ldap/schema/nis.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcPasswordHash: {SSHA}

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $SUFFIX
olcRootDN: cn=admin,$SUFFIX
olcRootPW: $(hash "$ADMIN_PW")
olcDbDirectory: $DIR/data
olcDbMaxSize: 104857600
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by * read
LDIF
  slapadd -n0 -F "$DIR/slapd.d" -l "$DIR/config.ldif" >/dev/null

  person() { # uid, ou, password
    cat <<LDIF
dn: uid=$1,ou=$2,$SUFFIX
objectClass: inetOrgPerson
uid: $1
cn: $1
sn: $1
mail: $1@example.com
userPassword: $(hash "$3")

LDIF
  }
  {
    printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n' "$SUFFIX"
    for ou in people staff managed; do
      printf 'dn: ou=%s,%s\nobjectClass: organizationalUnit\nou: %s\n\n' "$ou" "$SUFFIX" "$ou"
    done
    person alice people alicepw
    person bob people bobpw
    person twin people twinpw
    person twin staff twinpw
    printf 'dn: cn=devs,ou=people,%s\nobjectClass: groupOfNames\ncn: devs\n' "$SUFFIX"
    printf 'member: uid=alice,ou=people,%s\nmember: uid=bob,ou=people,%s\n\n' "$SUFFIX" "$SUFFIX"
  } >"$DIR/data.ldif"
  fresh=1
else
  fresh=0
fi

# -d with a level keeps slapd in the foreground, so $! is slapd itself, and sends the stats lines
# (one per BIND and SRCH) to the log file the tests read
urls="ldap://127.0.0.1:$PORT/"
[ -z "$LDAPS_PORT" ] || urls="$urls ldaps://127.0.0.1:$LDAPS_PORT/"
slapd -F "$DIR/slapd.d" -h "$urls" -d stats >>"$DIR/slapd.log" 2>&1 &
pid=$!
echo "$pid" >"$DIR/slapd.fg.pid"

for _ in $(seq 1 100); do
  ldapsearch -x -H "ldap://127.0.0.1:$PORT" -b "" -s base namingContexts >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || {
    echo "start-slapd.sh: slapd exited; see $DIR/slapd.log" >&2
    exit 1
  }
  sleep 0.1
done

if [ "$fresh" = 1 ]; then
  ldapadd -x -H "ldap://127.0.0.1:$PORT" -D "cn=admin,$SUFFIX" -w "$ADMIN_PW" \
    -f "$DIR/data.ldif" >/dev/null
fi
echo "slapd pid $pid port $PORT${LDAPS_PORT:+ ldaps port $LDAPS_PORT} dir $DIR"
