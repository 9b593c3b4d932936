#!/usr/bin/env bash
# The main job: start the TDS test server, create a table and insert a few rows over TLS,
# bulk-load 200,000 generated rows from JS (progress, bad rows skipped and reported), then load
# a 200,000-row CSV file straight from disk: `sluice inspect` infers its types (kept as a template),
# `sluice load` creates the table and loads it,
# and read them back with typed results. Point SLUICE_CONNECTION at a real SQL Server or
# Azure SQL database to run the same load there instead of the test server.
set -euo pipefail
cd "$(dirname "$0")/.."

server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -z "${SLUICE_CONNECTION:-}" ]; then
  log=$(mktemp)
  node bin/sluice.js serve --port 0 --encrypt mandatory >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    grep -q '^listening on ' "$log" && break
    sleep 0.1
  done
  addr=$(sed -n 's/^listening on //p' "$log" | head -n1)
  [ -n "$addr" ] || { cat "$log"; echo "demo: the test server did not start" >&2; exit 1; }
  echo "demo: test server listening on $addr"
  export SLUICE_CONNECTION="Server=${addr%:*},${addr##*:};User ID=sa;Password=Sluice_Test_1;Encrypt=True;TrustServerCertificate=True"
fi

run() { echo "+ sluice query \"$1\""; node bin/sluice.js query "$1"; }
run "DROP TABLE IF EXISTS dbo.demo_sales"
run "CREATE TABLE dbo.demo_sales (id int NOT NULL, region nvarchar(40) NOT NULL, amount decimal(18,2) NULL, sold_on date NULL)"
run "INSERT INTO dbo.demo_sales (id, region, amount, sold_on) VALUES (1, N'Nord', 1250.50, '2026-01-15'), (2, N'Süd', 980.00, '2026-02-03'), (3, N'Ost', NULL, NULL)"
run "SELECT * FROM dbo.demo_sales"
run "SELECT COUNT(*) FROM dbo.demo_sales"
echo "+ node scripts/demo-bulk.js   (bulkCopy of 200,000 generated orders)"
node scripts/demo-bulk.js
run "SELECT COUNT(*) AS orders, SUM(amount) AS total, MIN(ordered_at) AS first_order, MAX(ordered_at) AS last_order FROM dbo.demo_orders"
run "SELECT TOP 3 * FROM dbo.demo_orders ORDER BY id"

tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
echo "+ node bench/files/make-csv.js --rows 200000 --out $tmp/orders.csv"
node bench/files/make-csv.js --rows 200000 --out "$tmp/orders.csv" >/dev/null
run "DROP TABLE IF EXISTS dbo.demo_file"
# Inspect first (types, with the evidence), keeping the mapping as a template: the load after it
# takes the inspection's types from the inference cache and reads the file once.
echo "+ sluice inspect $tmp/orders.csv --template $tmp/orders.sluice.json"
node bin/sluice.js inspect "$tmp/orders.csv" --template "$tmp/orders.sluice.json"
echo "+ sluice load $tmp/orders.csv --map $tmp/orders.sluice.json --table dbo.demo_file --create"
node bin/sluice.js load "$tmp/orders.csv" --map "$tmp/orders.sluice.json" --table dbo.demo_file --create
run "SELECT COUNT(*) AS orders, MIN(born) AS first_born, MAX(created) AS last_created FROM dbo.demo_file"
run "SELECT TOP 3 id, amount, flag, born, name FROM dbo.demo_file ORDER BY id"
