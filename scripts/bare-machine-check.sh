#!/usr/bin/env bash
# A newcomer's first two commands on a bare machine: clones the committed HEAD into a fresh temp
# dir and, in a mount namespace that hides the system Chromium, the system fonts and pdftoppm,
# runs `npm install --no-audit --no-fund && npm test`; then fails if the clone's tree is dirty.
#
#   sudo scripts/bare-machine-check.sh                # the full check (15+ minutes on 2 cores)
#   sudo scripts/bare-machine-check.sh 'ls -A /usr/share/fonts; command -v pdftoppm'
#                                                     # any other command in the same namespace
#
# Root is needed for `unshare -m` and the bind mounts; they vanish with the namespace. Set
# KEEP=1 to keep the clone afterwards (it is kept anyway when the check fails).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "Run as root: the mount namespace (unshare -m) and its bind mounts need it." >&2
  exit 1
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
command_in_namespace="${1:-npm install --no-audit --no-fund && npm test}"
work="$(mktemp -d "${TMPDIR:-/tmp}/linli-bare.XXXXXX")"
clone="$work/linli"
start=$SECONDS

head="$(git -C "$repo" rev-parse HEAD)"
git clone --quiet --no-hardlinks "$repo" "$clone"
git -C "$clone" checkout --quiet --detach "$head"
echo "Clone of $head in $clone"

# Hidden by bind-mounting an empty dir over a dir, an empty unreadable file over a file.
mkdir "$work/empty-dir"
touch "$work/empty-file"
chmod 000 "$work/empty-file"
hide=(/usr/bin/chromium /usr/lib/chromium /usr/share/fonts /usr/local/share/fonts /etc/fonts)
pdftoppm_path="$(command -v pdftoppm || true)"
[ -n "$pdftoppm_path" ] && hide+=("$pdftoppm_path")

# `unshare -m` makes mount propagation private: nothing mounted inside is seen outside.
set +e
HIDE="${hide[*]}" WORK="$work" CLONE="$clone" RUN="$command_in_namespace" \
  unshare --mount --propagation private -- env -u LINLI_CHROMIUM bash -euo pipefail -c '
    for path in $HIDE; do
      if [ -d "$path" ]; then mount --bind "$WORK/empty-dir" "$path"; echo "hidden: $path/";
      elif [ -e "$path" ]; then mount --bind "$WORK/empty-file" "$path"; echo "hidden: $path"; fi
    done
    cd "$CLONE"
    bash -euo pipefail -c "$RUN"
  '
status=$?
set -e
elapsed=$((SECONDS - start))
printf 'Took %dm%02ds\n' $((elapsed / 60)) $((elapsed % 60))

if [ $status -ne 0 ]; then
  echo "FAILED: \`$command_in_namespace\` exited $status (clone kept in $clone)" >&2
  exit $status
fi
dirty="$(git -C "$clone" status --porcelain)"
if [ -n "$dirty" ]; then
  echo "FAILED: the tree is not clean afterwards (clone kept in $clone):" >&2
  echo "$dirty" >&2
  exit 1
fi
echo "OK: passed on a bare machine and left the tree clean"
[ "${KEEP:-}" = 1 ] && echo "Clone kept in $clone" || rm -rf "$work"
