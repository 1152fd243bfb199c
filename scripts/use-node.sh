# Puts the Node.js this repository is developed and tested with (the version in .nvmrc) first on
# PATH, for machines whose system Node is older. Source it, don't run it:
#
#   source scripts/use-node.sh        # then: node --version  →  v22.x
#
# The binary comes from the npm registry's node-<os>-<arch> package (the one npm's `node` package
# installs), so nothing but the registry is needed; it is unpacked once into a cache outside the
# repository ($SVCGEN_CACHE, default ~/.cache/svcgen) and reused.

svcgen_use_node() {
  local root version os arch cache dir download tarball
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  version="$(tr -d '[:space:]v' <"$root/.nvmrc")"
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "use-node: unsupported system $(uname -s)" >&2 && return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "use-node: unsupported machine $(uname -m)" >&2 && return 1 ;;
  esac
  cache="${SVCGEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/svcgen}"
  dir="$cache/node-$os-$arch-$version"
  if [ ! -x "$dir/bin/node" ]; then
    mkdir -p "$cache" || return 1
    download="$(mktemp -d "$cache/download-XXXXXX")" || return 1
    if ! tarball="$(cd "$download" && npm pack "node-$os-$arch@$version" --silent)" ||
      ! mkdir "$download/unpacked" ||
      ! tar xzf "$download/$tarball" -C "$download/unpacked" ||
      ! rm -rf "$dir" ||
      ! mv "$download/unpacked/package" "$dir"; then
      echo "use-node: could not install node-$os-$arch@$version from the npm registry" >&2
      rm -rf "$download"
      return 1
    fi
    rm -rf "$download"
  fi
  # A Node binary from the registry trusts only the CAs compiled into it; machines behind a TLS
  # proxy put theirs in the system store (Debian's bundle), which the system Node reads. Add it.
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt && export NODE_EXTRA_CA_CERTS
  fi
  case ":$PATH:" in
    *":$dir/bin:"*) ;;
    *) PATH="$dir/bin:$PATH" && export PATH ;;
  esac
  hash -r
  if [ "$(node --version)" != "v$version" ]; then
    echo "use-node: expected node v$version first on PATH, got $(node --version)" >&2
    return 1
  fi
}

svcgen_use_node
