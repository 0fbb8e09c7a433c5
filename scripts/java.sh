#!/usr/bin/env bash
# Java 17 and Maven for the local Solr launcher (solr/launcher), from Debian packages when missing.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v mvn >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
  echo "installing Java 17 and Maven from Debian packages…"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi
java -version 2>&1 | head -1
