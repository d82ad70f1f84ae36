#!/usr/bin/env python3
"""The vouch command lines of README.md and docs/*.md, checked against the binary.

Fenced blocks are read as follows:
  ```sh blocks hold examples: each `vouch ...` line (continuations joined, comments, pipes and
  redirections dropped) must parse: run with VOUCH_PARSE_ONLY=1 it exits 0, so an unknown
  command, option or option value fails. A line with `[`, `...` or `|` inside brackets is a
  synopsis instead.
  Bare ``` blocks hold synopses: every option a `vouch CMD ...` line names must be listed by
  `vouch CMD --help`.
  A ```sh block right after the line `<!-- doctest: run -->` is also run for real, in a
  fresh folder, by tests/cli/test_doc_examples.sh (which gives it $REG, a local registry).

usage: doc_examples.py check VOUCH SRC        print one ok/FAIL line per command line
       doc_examples.py runblocks SRC OUTDIR   write each run block to OUTDIR/NN.sh
"""
import glob
import os
import re
import shlex
import subprocess
import sys

MARK = "<!-- doctest: run -->"


def doc_files(src):
    return [os.path.join(src, "README.md")] + sorted(glob.glob(os.path.join(src, "docs", "*.md")))


def blocks(path):
    """(path, first line number, language, marked for running, lines) per fenced block."""
    lang, start, body, prev = None, 0, [], ""
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("```"):
                if lang is None:
                    lang, start, body, marked = line[3:].strip(), no + 1, [], prev.strip() == MARK
                else:
                    yield path, start, lang, marked, body
                    lang = None
                continue
            if lang is not None:
                body.append(line)
            elif line.strip():
                prev = line


def commands(body, start):
    """(line number, joined text) of each line of body starting with `vouch `."""
    i = 0
    while i < len(body):
        no, text = start + i, body[i].strip()
        while text.endswith("\\") and i + 1 < len(body):
            i += 1
            text = text[:-1] + " " + body[i].strip()
        i += 1
        if text.startswith("vouch "):
            yield no, text


def is_synopsis(text):
    return "..." in text or "…" in text or re.search(r"\[[^\]]*\]", text) is not None


def argv_of(text):
    """The words of an example up to a pipe, redirection or comment (no expansion)."""
    lex = shlex.shlex(text, posix=True, punctuation_chars="|&;<>")
    lex.whitespace_split = True
    lex.commenters = "#"
    words = []
    for w in lex:
        if w and set(w) <= set("|&;<>"):
            break
        words.append(w)
    return words


def help_text(vouch, words):
    """`vouch W... --help` for the longest leading run of command words that has help."""
    names = []
    for w in words[1:]:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", w):
            break
        names.append(w)
    for k in range(len(names), 0, -1):
        p = subprocess.run([vouch] + names[:k] + ["--help"], capture_output=True, text=True)
        if p.returncode == 0:
            return " ".join(names[:k]), p.stdout + p.stderr
    return None, None


def check(vouch, src):
    env = dict(os.environ, VOUCH_PARSE_ONLY="1")
    for path in doc_files(src):
        rel = os.path.relpath(path, src)
        for _, start, lang, _, body in blocks(path):
            if lang not in ("", "sh"):
                continue
            for no, text in commands(body, start):
                where = f"{rel}:{no}"
                if lang == "" or is_synopsis(" ".join(argv_of(text))):
                    cmd, text_help = help_text(vouch, text.split())
                    if cmd is None:
                        print(f"FAIL - {where}: no such command: {text[:60]}")
                        continue
                    flags = re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])", text)
                    missing = [f for f in flags
                               if not re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])",
                                                text_help)]
                    if missing:
                        print(f"FAIL - {where}: vouch {cmd} has no {' '.join(missing)}")
                    else:
                        print(f"ok   - {where}: synopsis of vouch {cmd} ({len(flags)} options)")
                    continue
                words = argv_of(text)
                p = subprocess.run([vouch] + words[1:], capture_output=True, text=True, env=env,
                                   stdin=subprocess.DEVNULL, timeout=60)
                if p.returncode == 0:
                    print(f"ok   - {where}: parses: {' '.join(words[:3])}")
                else:
                    err = (p.stderr.strip().splitlines() or [""])[0]
                    print(f"FAIL - {where}: exit {p.returncode}: {err}")


def runblocks(src, out):
    n = 0
    for path in doc_files(src):
        for _, start, lang, marked, body in blocks(path):
            if marked and lang == "sh":
                n += 1
                rel = os.path.relpath(path, src)
                with open(os.path.join(out, f"{n:02d}.sh"), "w", encoding="utf-8") as f:
                    f.write(f"# {rel}:{start}\n" + "\n".join(body) + "\n")
    print(n)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "runblocks":
        runblocks(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
