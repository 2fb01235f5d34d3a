#!/bin/sh
# Development certificates (make certs): a CA and one server certificate it signs, valid for the
# names the services and the edge are reached by in compose, in Kubernetes and on this host.
# Never for production: the CA key sits next to the certificates.
#   certs/ca.pem, certs/ca.key         the CA (clients trust ca.pem: TLS_TRUST_FILE, curl --cacert)
#   certs/server.pem, certs/server.key the server certificate and its PKCS#8 key
#                                      (TLS_CERT_FILE, TLS_KEY_FILE, Envoy's HTTPS listener)
# Existing files are kept; delete certs/ to make new ones.
set -eu
dir=${1:-certs}
mkdir -p "$dir"
if [ -f "$dir/server.pem" ] && [ -f "$dir/server.key" ] && [ -f "$dir/ca.pem" ]; then
  echo "$dir/ already has certificates (delete it to make new ones)"
  exit 0
fi
umask 077
names="DNS:localhost,IP:127.0.0.1,DNS:envoy,DNS:auth,DNS:author,DNS:category,DNS:book"
for service in auth author category book envoy; do
  names="$names,DNS:$service.library.svc,DNS:$service.library.svc.cluster.local"
done
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 -days 825 \
  -subj "/CN=library development CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 \
  -subj "/CN=library" -keyout "$dir/server.key.tmp" -out "$dir/server.csr" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' "$names" > "$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -days 825 -sha256 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
# gRPC (Netty) and Envoy both read PKCS#8 PEM.
openssl pkcs8 -topk8 -nocrypt -in "$dir/server.key.tmp" -out "$dir/server.key"
rm -f "$dir/server.key.tmp" "$dir/server.csr" "$dir/server.ext" "$dir/ca.srl"
# The containers run as another user: the key must be readable by it (the directory stays the
# owner's; do not commit it).
chmod 644 "$dir/server.pem" "$dir/ca.pem" "$dir/server.key"
echo "wrote $dir/ca.pem, $dir/server.pem, $dir/server.key (development only)"
