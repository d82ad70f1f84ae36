#!/usr/bin/env bash
# Style gate (STYLE.md): clang-format clean, no banned functions, no oversized files.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
fail=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null; git ls-files --others --exclude-standard '*.c' '*.h' 2>/dev/null)
existing=()
for f in $files; do [ -f "$f" ] && existing+=("$f"); done
# one clang-format process for the whole tree; name the offenders only on failure
if command -v clang-format >/dev/null && [ ${#existing[@]} -gt 0 ] &&
    ! clang-format --dry-run -Werror "${existing[@]}" >/dev/null 2>&1; then
    for f in "${existing[@]}"; do
        clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || { echo "not clang-formatted: $f"; fail=1; }
    done
fi
for f in "${existing[@]}"; do
    if grep -nE '\b(strcpy|strcat|sprintf|strtok|atoi|system|popen|gets)\s*\(' "$f" \
        | grep -vE '^\S+:\s*(/\*|\*)' | grep -v 'style-ok' | grep -q .; then
        case "$f" in tests/*) ;; *)
            echo "banned function in $f:"; grep -nE '\b(strcpy|strcat|sprintf|strtok|atoi|system|popen|gets)\s*\(' "$f"; fail=1;;
        esac
    fi
    n=$(wc -l <"$f")
    if [ "$n" -gt 600 ]; then echo "$f has $n lines (split before 600)"; fail=1; fi
done
# layering (docs/ARCHITECTURE.md): a quoted include names a public header ("vouch/…", "sign/…",
# "sbom/…", "slsa/…") or a private one of the including file's own folder, never another
# folder's ("oci/…", "../…"): the build's include paths cannot stop a path relative to the file
for f in "${existing[@]}"; do
    case "$f" in lib*/src/*) ;; *) continue;; esac
    if grep -nE '^#\s*include\s+"[^"]*/' "$f" | grep -vE '"(vouch|sign|sbom|slsa)/[^/"]+\.h"' | grep -q .; then
        echo "include across layers in $f:"; grep -nE '^#\s*include\s+"[^"]*/' "$f" | grep -vE '"(vouch|sign|sbom|slsa)/[^/"]+\.h"'; fail=1
    fi
done
if [ $fail -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $fail
