#!/usr/bin/env python3
"""Run a CI recipe of examples/ci/ locally, as its CI would, for tests/interop/test_ci_recipes.sh.

    ci_run.py codebuild BUILDSPEC WORKDIR      phases install, pre_build, build, post_build in
                                               one bash (buildspec 0.2: variables persist);
                                               exported-variables written to WORKDIR/exported.env
    ci_run.py codepipeline TEMPLATE WORKDIR    the pipeline's stages in order (see codepipeline)
    ci_run.py github WORKFLOW JOB WORKDIR      each step in its own bash -eo pipefail, with
                                               workflow/job/step env, GITHUB_ENV and GITHUB_PATH
    ci_run.py gitlab GITLAB_CI JOB WORKDIR     default before_script + script in one bash -e;
                                               variables expanded; a dotenv report written to
                                               WORKDIR/dotenv.env (and read by later jobs)

The recipe is parsed with PyYAML (JSON is YAML). The job's environment is built from
scratch: PATH, HOME, TMPDIR, the sanitizer options, the CI's recorded variables (CI_RUN_ENV_*),
the recipe's own variables, and these explicit stand-ins for what only the real CI has:
  - CI_RUN_SET_<NAME>: replaces the recipe's variable NAME (the local registry for IMAGE_REPO)
  - CI_RUN_SECRET_<NAME>: the value of a secret (secrets-manager, parameter-store,
    ${{ secrets.NAME }}, GitLab CI/CD variables); a secret the recipe names but the test does
    not give is an error
  - MAPPED below: commands that belong to the CI's machine, replaced by their local
    equivalent; every other command runs as written, so a command or flag that does not
    exist fails the run.
"""
import os
import re
import subprocess
import sys

import yaml

# Commands of the CI machine and their local stand-ins (one line of a command each).
MAPPED = [
    # the machine ran scripts/setup.sh before the tests
    (re.compile(r"^bash scripts/setup\.sh$"), ": mapped: setup.sh already ran"),
    # the build under test is ctest's, linked at WORKDIR/build/release/cmd/vouch
    (re.compile(r"^cmake --preset release$"), ": mapped: configured by ctest"),
    (re.compile(r"^cmake --build --preset release( .*)?$"), ": mapped: built by ctest"),
    # no cluster: render what would be applied
    (re.compile(r"^kubectl apply -k deploy/$"), "kubectl kustomize deploy/ > deployed.yaml"),
]
# GitHub actions (uses:) and their stand-ins
USES = {
    "actions/checkout@v4": ": mapped: WORKDIR is the checked-out tree",
}
# `aws` for the recipes: ECR's login token only (a shim on PATH, see shim_dir)
AWS_SHIM = """#!/bin/sh
# stand-in for the AWS CLI in CI recipe tests: only `aws ecr get-login-password`
if [ "$1 $2" = "ecr get-login-password" ]; then echo local-ecr-token; exit 0; fi
echo "aws shim: '$*' has no local equivalent" >&2
exit 99
"""


def fail(msg):
    print("ci_run: " + msg, file=sys.stderr)
    sys.exit(2)


def map_lines(script):
    out = []
    for line in script.split("\n"):
        for pat, repl in MAPPED:
            if pat.match(line.strip()):
                line = repl
                break
        out.append(line)
    return "\n".join(out)


def base_env(workdir):
    shim = os.path.join(workdir, ".ci-shims")
    os.makedirs(shim, exist_ok=True)
    with open(os.path.join(shim, "aws"), "w") as f:
        f.write(AWS_SHIM)
    os.chmod(os.path.join(shim, "aws"), 0o755)
    env = {
        "PATH": shim + ":/usr/local/bin:/usr/bin:/bin",
        "HOME": os.path.join(workdir, ".home"),
        "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
        "LANG": "C.UTF-8",
    }
    os.makedirs(env["HOME"], exist_ok=True)
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "SOURCE_DATE_EPOCH"):
        if k in os.environ:
            env[k] = os.environ[k]
    for k, v in os.environ.items():
        if k.startswith("CI_RUN_ENV_"):
            env[k[len("CI_RUN_ENV_"):]] = v
    return env


def setvar(env, name, value):
    env[name] = os.environ.get("CI_RUN_SET_" + name, str(value))


def secret(name):
    v = os.environ.get("CI_RUN_SECRET_" + name)
    if v is None:
        fail("the recipe needs secret %s, which the test does not give" % name)
    return v


def bash(script, env, workdir, flags):
    print("--- ci_run: running\n" + script, file=sys.stderr)
    return subprocess.run(["bash", "--noprofile", "--norc"] + flags + ["-c", script],
                          cwd=workdir, env=env).returncode


def codebuild(path, workdir, overrides=None):
    spec = yaml.safe_load(open(path)) if isinstance(path, str) else path
    path = path if isinstance(path, str) else "inline buildspec"
    if str(spec.get("version")) != "0.2":
        fail("%s: buildspec version %r, want 0.2" % (path, spec.get("version")))
    e = spec.get("env", {})
    if e.get("shell", "bash") != "bash":
        fail("%s: env.shell must be bash" % path)
    env = base_env(workdir)
    for k, v in (e.get("variables") or {}).items():
        setvar(env, k, v)
    for store in ("secrets-manager", "parameter-store"):
        for k in (e.get(store) or {}):
            env[k] = secret(k)
    for k, v in (overrides or {}).items():  # the pipeline action's EnvironmentVariables
        setvar(env, k, v)
    phases = spec.get("phases") or {}
    order = ["install", "pre_build", "build", "post_build"]
    unknown = [p for p in phases if p not in order]
    if unknown:
        fail("%s: unknown phases %s" % (path, unknown))
    lines = []
    for p in order:
        ph = phases.get(p)
        if ph is None:
            continue
        if set(ph) - {"commands", "on-failure", "finally", "run-as"}:
            fail("%s: phase %s has unknown keys %s" % (path, p, sorted(ph)))
        for c in ph.get("commands") or []:
            lines.append(map_lines(c.rstrip("\n")))
    exported = e.get("exported-variables") or []
    out = os.path.join(workdir, "exported.env")
    dump = "".join('printf "%s=%%s\\n" "${%s-}" >> %s\n' % (v, v, out) for v in exported)
    if os.path.exists(out):
        os.remove(out)
    return bash("\n".join(lines) + "\n" + dump, env, workdir, ["-e", "-o", "pipefail"])


PIPE_VAR = re.compile(r"#\{(\w+)\.(\w+)\}")


def codepipeline(path, workdir):
    """The stages in order: Source is WORKDIR; a Manual approval is given when
    CI_RUN_APPROVE=yes (else the run stops there, exit 3); each CodeBuild action runs its
    project's buildspec (a file of WORKDIR, or inline) with the action's
    EnvironmentVariables, #{Namespace.VAR} resolved from earlier actions' exported
    variables. A failed action stops the pipeline with its exit code."""
    import json
    tpl = json.load(open(path))
    res = tpl["Resources"]
    pipe = [r for r in res.values() if r["Type"] == "AWS::CodePipeline::Pipeline"]
    if len(pipe) != 1:
        fail("%s: want one AWS::CodePipeline::Pipeline" % path)
    ns = {}
    for stage in pipe[0]["Properties"]["Stages"]:
        for a in stage["Actions"]:
            t = a["ActionTypeId"]
            kind = (t["Category"], t["Provider"])
            print("--- ci_run: stage %s, action %s %s" % (stage["Name"], a["Name"], kind), file=sys.stderr)
            if kind == ("Source", "CodeStarSourceConnection"):
                continue
            if kind == ("Approval", "Manual"):
                if os.environ.get("CI_RUN_APPROVE") != "yes":
                    print("ci_run: waiting for approval at %s" % stage["Name"], file=sys.stderr)
                    return 3
                continue
            if kind != ("Build", "CodeBuild"):
                fail("%s: action %s: %s has no local stand-in" % (path, a["Name"], kind))
            ref = a["Configuration"]["ProjectName"]
            proj = res[ref["Ref"]] if isinstance(ref, dict) else None
            if proj is None or proj["Type"] != "AWS::CodeBuild::Project":
                fail("%s: action %s names no CodeBuild project of the template" % (path, a["Name"]))
            spec = proj["Properties"]["Source"]["BuildSpec"]
            spec = os.path.join(workdir, spec) if "\n" not in spec else yaml.safe_load(spec)
            over = {}
            for v in json.loads(a["Configuration"].get("EnvironmentVariables", "[]")):
                def sub(m):
                    if (m.group(1), m.group(2)) not in ns:
                        fail("%s: #{%s.%s} is not exported by an earlier action" % (path, m.group(1), m.group(2)))
                    return ns[(m.group(1), m.group(2))]
                over[v["name"]] = PIPE_VAR.sub(sub, v["value"])
            rc = codebuild(spec, workdir, over)
            if rc != 0:
                print("ci_run: action %s failed (exit %d)" % (a["Name"], rc), file=sys.stderr)
                return rc
            if "Namespace" in a:
                exported = os.path.join(workdir, "exported.env")
                for k, v in gh_file_env(exported).items():
                    ns[(a["Namespace"], k)] = v
                os.replace(exported, os.path.join(workdir, "exported-%s.env" % a["Namespace"]))
    return 0


GH_EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def gh_value(v):
    def sub(m):
        expr = m.group(1)
        if expr.startswith("secrets."):
            return secret(expr[len("secrets."):])
        fail("expression ${{ %s }} has no local value" % expr)
    return GH_EXPR.sub(sub, str(v))


def gh_file_env(path):
    """KEY=VALUE lines and KEY<<EOF heredocs of a GITHUB_ENV file."""
    res, lines = {}, open(path).read().split("\n") if os.path.exists(path) else []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if "<<" in ln and ("=" not in ln or ln.index("<<") < ln.index("=")):
            k, delim = ln.split("<<", 1)
            val = []
            i += 1
            while i < len(lines) and lines[i] != delim:
                val.append(lines[i])
                i += 1
            res[k] = "\n".join(val)
        elif "=" in ln:
            k, v = ln.split("=", 1)
            res[k] = v
        i += 1
    return res


def github(path, job, workdir):
    wf = yaml.safe_load(open(path))
    j = (wf.get("jobs") or {}).get(job)
    if j is None:
        fail("%s: no job %s" % (path, job))
    shell = ((wf.get("defaults") or {}).get("run") or {}).get("shell", "bash")
    if shell != "bash":
        fail("%s: defaults.run.shell must be bash" % path)
    env = base_env(workdir)
    env["GITHUB_WORKSPACE"] = workdir
    for scope in (wf.get("env") or {}, j.get("env") or {}):
        for k, v in scope.items():
            setvar(env, k, gh_value(v))
    extra_path = []
    for n, step in enumerate(j.get("steps") or []):
        if "uses" in step:
            if step["uses"] not in USES:
                fail("%s: step %d uses %s, which has no local stand-in" % (path, n, step["uses"]))
            print("--- ci_run: %s" % USES[step["uses"]], file=sys.stderr)
            continue
        if "run" not in step:
            fail("%s: step %d has neither run nor uses" % (path, n))
        senv = dict(env)
        for k, v in (step.get("env") or {}).items():
            senv[k] = gh_value(v)
        ghenv = os.path.join(workdir, ".github_env")
        ghpath = os.path.join(workdir, ".github_path")
        open(ghenv, "w").close()
        open(ghpath, "w").close()
        senv["GITHUB_ENV"], senv["GITHUB_PATH"] = ghenv, ghpath
        senv["PATH"] = ":".join(extra_path + [senv["PATH"]])
        rc = bash(map_lines(gh_value(step["run"])), senv, workdir, ["-e", "-o", "pipefail"])
        if rc != 0:
            print("ci_run: step %r failed (exit %d)" % (step.get("name", n), rc), file=sys.stderr)
            return rc
        env.update(gh_file_env(ghenv))
        extra_path = [p for p in open(ghpath).read().split("\n") if p][::-1] + extra_path
    return 0


GL_VAR = re.compile(r"\$(\w+)|\$\{(\w+)\}")


def gl_expand(v, env):
    return GL_VAR.sub(lambda m: env.get(m.group(1) or m.group(2), ""), str(v))


def gitlab(path, job, workdir):
    ci = yaml.safe_load(open(path))
    j = ci.get(job)
    if not isinstance(j, dict) or "script" not in j:
        fail("%s: no job %s" % (path, job))
    if j.get("stage") not in (ci.get("stages") or []):
        fail("%s: job %s's stage %r is not in stages" % (path, job, j.get("stage")))
    env = base_env(workdir)
    for k in ("COSIGN_PRIVATE_KEY", "COSIGN_PASSWORD", "COSIGN_PUBLIC_KEY"):
        if "CI_RUN_SECRET_" + k in os.environ:
            env[k] = os.environ["CI_RUN_SECRET_" + k]
    dotenv = os.path.join(workdir, "dotenv.env")
    if os.path.exists(dotenv):  # an earlier stage's dotenv report
        env.update(gh_file_env(dotenv))
    for scope in (ci.get("variables") or {}, j.get("variables") or {}):
        for k, v in scope.items():
            setvar(env, k, gl_expand(v, env))
    default = ci.get("default") or {}
    before = j.get("before_script", default.get("before_script", []))
    lines = [map_lines(c.rstrip("\n")) for c in list(before) + list(j["script"])]
    rc = bash("\n".join(lines), env, workdir, ["-e", "-o", "pipefail"])
    report = ((j.get("artifacts") or {}).get("reports") or {}).get("dotenv")
    if rc == 0 and report:
        with open(os.path.join(workdir, report)) as f, open(dotenv, "a") as out:
            out.write(f.read())
    return rc


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "codebuild":
        sys.exit(codebuild(sys.argv[2], sys.argv[3]))
    if len(sys.argv) >= 4 and sys.argv[1] == "codepipeline":
        sys.exit(codepipeline(sys.argv[2], sys.argv[3]))
    if len(sys.argv) >= 5 and sys.argv[1] == "github":
        sys.exit(github(sys.argv[2], sys.argv[3], sys.argv[4]))
    if len(sys.argv) >= 5 and sys.argv[1] == "gitlab":
        sys.exit(gitlab(sys.argv[2], sys.argv[3], sys.argv[4]))
    fail("usage: ci_run.py codebuild SPEC DIR | github WF JOB DIR | gitlab CI JOB DIR")


main()
