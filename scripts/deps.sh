#!/usr/bin/env bash
# What exportwatch needs on a machine, checked and installed by name.
#
#   scripts/deps.sh doctor        print each need, present or missing (exit 1 if any is missing)
#   scripts/deps.sh install run   make sure what `make run` needs is there
#   scripts/deps.sh install test  make sure what `make test` needs is there
#
# Go cannot be installed here (Debian's is older than the go.mod asks);
# everything else is a Debian package. As root, install runs apt-get for
# what is missing; otherwise it prints the exact command and stops, so
# nothing is left half set up. DEPS_INSTALL=print or =apt chooses either
# way whoever runs it, and APT_GET names the apt-get to run (the set-up
# test gives it a stand-in).
set -euo pipefail

APT_GET=${APT_GET:-apt-get}
PYTHON=${PYTHON:-/usr/bin/python3}

# Each need: name, who needs it (run, test), how to check it, the Debian
# package that brings it. A check is a command name, or dpkg:PACKAGE for a
# library or headers that put nothing on PATH.
needs=(
  "git|run test|git|git"
  "make|run test|make|make"
  "java 17 or later (the bundled Neo4j)|run test|java17|JDK"
  "javac (compiles the Neo4j launcher once)|run test|javac|JDK"
  "mvn (resolves Neo4j from Maven Central once)|run test|mvn|maven"
  "npm (builds the embedded web assets)|run test|npm|npm"
  "curl (the set-up test asks make run for a page)|test|curl|curl"
  "chromium (the browser tests drive it)|test|chromium|chromium"
  "pdftotext (brief tests read the PDF)|test|pdftotext|poppler-utils"
  "pdftoppm (brief tests draw the PDF)|test|pdftoppm|poppler-utils"
  "python3 (export tests read formats back)|test|$PYTHON|python3"
  "pip (installs the Python parsers)|test|pip|python3-pip"
  "python3-dev (PyICU, for followthemoney)|test|dpkg:python3-dev|python3-dev"
  "libicu-dev (PyICU)|test|dpkg:libicu-dev|libicu-dev"
  "pkg-config (PyICU)|test|pkg-config|pkg-config"
  "g++ (PyICU)|test|g++|g++"
)

have() {
  local check=$1
  case $check in
    dpkg:*) dpkg-query -W -f='${Status}' "${check#dpkg:}" 2>/dev/null | grep -q 'ok installed' ;;
    pip) "$PYTHON" -m pip --version >/dev/null 2>&1 ;;
    java17)
      # The launcher is compiled for Java 17: an older java will not do.
      local v
      v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
      [ -n "$v" ] && [ "${v%%.*}" -ge 17 ] 2>/dev/null
      ;;
    *) command -v "$check" >/dev/null 2>&1 ;;
  esac
}

# jdk is the Debian package of a JDK 17 or later: 17 where the release has
# it (Debian 12), else the release's default JDK (Debian 13 ships 21).
jdk() {
  if apt-cache show openjdk-17-jdk-headless >/dev/null 2>&1; then
    echo openjdk-17-jdk-headless
  else
    echo default-jdk-headless
  fi
}

# external says whether make run uses an external Neo4j: NEO4J_URI set in
# the environment or in .env, as exportwatch itself reads it.
external() {
  [ -n "${NEO4J_URI:-}" ] && return 0
  [ -z "${NEO4J_URI+set}" ] && [ -f .env ] && grep -Eq '^[[:space:]]*NEO4J_URI=[^[:space:]#]' .env
}

go_ok() {
  command -v go >/dev/null 2>&1 || return 1
  local want have
  want=$(sed -n 's/^go \([0-9.]*\).*/\1/p' go.mod)
  have=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
  # sort -V puts the older first: the installed one must not be older.
  [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -1)" = "$want" ]
}

go_line() {
  echo "go $(sed -n 's/^go \([0-9.]*\).*/\1/p' go.mod) or later (install from https://go.dev/dl/; Debian's package is too old)"
}

# debian_names prints the Debian package of each need's package, the
# JDK's chosen for this release.
debian_names() {
  local p
  for p in "$@"; do
    [ "$p" != JDK ] || p=$(jdk)
    printf '%s\n' "$p"
  done
}

# wanted says whether make TARGET needs a need of WHO with package PKG:
# make run with an external Neo4j needs no JDK or Maven.
wanted() {
  local target=$1 who=$2 pkg=$3
  case " $who " in *" $target "*) ;; *) return 1 ;; esac
  ! { [ "$target" = run ] && external && [[ $pkg == JDK || $pkg == maven ]]; }
}

doctor() {
  local missing=0 line name who check pkg
  if go_ok; then
    printf 'present  %-48s %s\n' "go" "$(go env GOVERSION)"
  else
    printf 'MISSING  %s\n' "$(go_line)"
    missing=1
  fi
  for line in "${needs[@]}"; do
    IFS='|' read -r name who check pkg <<<"$line"
    if have "$check"; then
      printf 'present  %-48s for %s\n' "$name" "$who"
    else
      pkg=$(debian_names "$pkg")
      printf 'MISSING  %-48s for %s: Debian package %s\n' "$name" "$who" "$pkg"
      missing=1
    fi
  done
  if external; then
    echo "NEO4J_URI is set: make run uses that Neo4j and needs no JDK or Maven (the tests still start their own)"
  fi
  if [ -f .cache/python/.installed ]; then
    echo "present  Python parsers in .cache/python (make pydeps)"
  else
    echo "later    Python parsers: make test installs them into .cache/python (make pydeps)"
  fi
  if [ -f .cache/nlp/.installed ]; then
    echo "present  spaCy and its English pipeline in .cache/nlp (make nlpdeps)"
  else
    echo "later    spaCy and its English pipeline: make test installs them into .cache/nlp (make nlpdeps)"
  fi
  if [ $missing -ne 0 ]; then
    echo "something is missing: 'make deps' installs it (as root) or prints the command to run"
  fi
  return $missing
}

install() {
  local target=$1 line name who check pkg
  if ! go_ok; then
    echo "missing: $(go_line)" >&2
    exit 1
  fi
  local pkgs=()
  for line in "${needs[@]}"; do
    IFS='|' read -r name who check pkg <<<"$line"
    wanted "$target" "$who" "$pkg" || continue
    if ! have "$check"; then
      case " ${pkgs[*]-} " in *" $pkg "*) ;; *) pkgs+=("$pkg") ;; esac
    fi
  done
  if [ ${#pkgs[@]} -eq 0 ]; then
    return 0
  fi
  local named
  mapfile -t named < <(debian_names "${pkgs[@]}")
  local cmd="apt-get install -y --no-install-recommends ${named[*]}"
  local mode=${DEPS_INSTALL:-auto}
  if [ "$mode" = auto ]; then
    mode=print
    [ "$(id -u)" -ne 0 ] || mode=apt
  fi
  if [ "$mode" = print ]; then
    {
      echo "make $target needs these Debian packages, which are missing: ${named[*]}"
      echo "install them with:"
      echo "  sudo apt-get update && sudo $cmd"
      echo "then run make $target again ('make doctor' lists every need)."
    } >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive "$APT_GET" update -qq
  # The JDK's package is known for sure once apt's lists are.
  mapfile -t named < <(debian_names "${pkgs[@]}")
  echo "installing for make $target: ${named[*]}"
  DEBIAN_FRONTEND=noninteractive "$APT_GET" install -y -qq --no-install-recommends "${named[@]}"
  local still=()
  for line in "${needs[@]}"; do
    IFS='|' read -r name who check pkg <<<"$line"
    wanted "$target" "$who" "$pkg" || continue
    have "$check" || still+=("$name")
  done
  if [ ${#still[@]} -gt 0 ]; then
    printf 'still missing after apt-get install: %s\n' "${still[*]}" >&2
    exit 1
  fi
}

cd "$(dirname "$0")/.."
case ${1:-} in
  doctor) doctor ;;
  install)
    case ${2:-} in
      run | test) install "$2" ;;
      *) echo "usage: $0 install run|test" >&2; exit 2 ;;
    esac
    ;;
  *) echo "usage: $0 doctor | install run|test" >&2; exit 2 ;;
esac
