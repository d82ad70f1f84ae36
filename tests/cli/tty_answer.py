#!/usr/bin/python3
"""Run a command on a fresh pseudo-terminal and answer its password prompts.

usage: tty_answer.py ANSWER[,ANSWER...] -- CMD ARGS...

Each time the terminal shows a prompt ending in ": ", the next answer and a newline
are typed. Everything the terminal displayed is printed to stdout afterwards (so a test
can check the password was not echoed); the exit code is the command's.
"""
import os
import pty
import select
import sys


def main():
    answers = sys.argv[1].split(",")
    cmd = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(cmd[0], cmd)
    shown = b""
    pending = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 120)
        if not ready:
            os.kill(pid, 9)
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
        pending += chunk
        if pending.endswith(b": ") and answers:
            os.write(fd, answers.pop(0).encode() + b"\n")
            pending = b""
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(shown.decode(errors="replace").replace("\r", ""))
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
