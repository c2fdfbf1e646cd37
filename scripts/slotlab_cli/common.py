"""What every subcommand shares: paths, errors, running tools, building, progress."""
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_ROOT = os.path.join(ROOT, "build")
REPORTS = os.path.join(ROOT, "reports")


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit 2."""


class Failure(Exception):
    """Something ran and failed: one line on stderr, exit 1."""


def say(message):
    """Progress goes to stderr, so stdout stays clean for data (CSV, paths). A live
    progress line on the terminal is cleared first and redrawn below the message."""
    live = Progress.active if Progress.active is not None and Progress.active.tty else None
    if live:
        sys.stderr.write("\r\033[K")
    print(message, file=sys.stderr, flush=True)
    if live:
        live.draw()


def build_settings(cache=None):
    """CMake cache variables added to a preset: the caller's (e.g. fuzz --maps' lanes)
    and those of --with-map (slotlab_cli/user_maps.py)."""
    from slotlab_cli import user_maps
    return {**user_maps.cache_settings(), **(cache or {})}


def build_dir(preset, cache=None):
    """build/<preset>, or build/<preset>-custom-<key> when cache variables are added:
    each such configuration builds in a directory of its own, keyed by its settings."""
    settings = build_settings(cache)
    if not settings:
        return os.path.join(BUILD_ROOT, preset)
    import hashlib
    import json
    key = hashlib.sha1(json.dumps(sorted(settings.items())).encode()).hexdigest()[:10]
    return os.path.join(BUILD_ROOT, f"{preset}-custom-{key}")


# ---------------------------------------------------------------- time bounds
#
# Every tool the CLI waits on runs with a time bound derived from its expected
# work (the bound is documented where it is chosen); a tool that overruns it is
# a bug (a map whose growth loops forever, a fuzzer stuck in its final merge),
# and CI must not sit until its own limit: the tool's whole process group is
# stopped (SIGTERM, then SIGKILL), its log is kept, and the command fails with
# one line naming the command, its bound and its log. What was written before
# (logs, finished results, a run directory's files) stays.
#
# SLOTLAB_TIME_SCALE multiplies every bound: a machine slower than the 2-core VM
# the bounds were chosen on (or one much more loaded) sets e.g. 3; the tests set
# it below 1 to see a planted hang fail in seconds.

LOGS = os.path.join(BUILD_ROOT, "logs")
BUILD_SECONDS = 3600  # a cold build of a whole preset: ~10 min on 2 busy cores, 6x margin


class TimedOut(Failure):
    """A tool ran past its time bound (and was stopped)."""


def time_scale():
    text = os.environ.get("SLOTLAB_TIME_SCALE", "")
    if not text:
        return 1.0
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise UsageError(f"SLOTLAB_TIME_SCALE must be a positive number, got '{text}'")
    return value


def command_text(cmd):
    """The command on one line, paths inside the tree relative to it."""
    return " ".join(os.path.relpath(c, ROOT) if os.path.isabs(c) and c.startswith(ROOT + os.sep)
                    else c for c in map(str, cmd)).replace("\n", "\\n")


class BoundedProcess:
    """A Popen that may not outlive its bound: poll() and wait() raise TimedOut once
    it has, after stopping its process group. The child runs in its own session, so
    the group is the tool and everything it started (go build's compilers, a
    fuzzer's workers). stderr goes to `log` (stdout too unless given)."""

    def __init__(self, cmd, seconds, log, stdout=None, cwd=ROOT, env=None, scaled=True):
        self.cmd, self.log = list(map(str, cmd)), log
        self.bound = seconds * (time_scale() if scaled else 1.0)
        os.makedirs(os.path.dirname(log) or ".", exist_ok=True)
        with open(log, "w") as log_file:
            self.proc = subprocess.Popen(self.cmd, cwd=cwd, env=env, stderr=log_file,
                                         stdout=log_file if stdout is None else stdout,
                                         start_new_session=True)
        self.pid = self.proc.pid
        self.started = time.monotonic()
        self.deadline = self.started + self.bound

    @property
    def returncode(self):
        return self.proc.returncode

    def poll(self):
        code = self.proc.poll()
        if code is None and time.monotonic() > self.deadline:
            self.kill_group()
            raise TimedOut(f"'{command_text(self.cmd)}' did not finish within its time bound of "
                           f"{self.bound:g} s and was stopped; its log: {self.log}")
        return code

    def wait(self):
        while True:
            code = self.poll()
            if code is not None:
                return code
            Progress.tick()
            # Most tools finish in well under a second: look often at first.
            time.sleep(0.02 if time.monotonic() - self.started < 1 else 0.2)

    def terminate(self):
        """SIGTERM to the group, without waiting (a fuzzer prints its final stats on it)."""
        try:
            os.killpg(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    def kill_group(self, grace=5.0):
        """SIGTERM to the group, SIGKILL to whatever of it is left after `grace` seconds."""
        self.terminate()
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


@contextlib.contextmanager
def stopping(procs):
    """Whatever happens in the body (a finding, a timeout, Ctrl-C), no process of
    `procs` outlives it."""
    try:
        yield procs
    finally:
        for p in procs:
            if p.proc.poll() is None:
                p.kill_group(grace=2.0)


def run_bounded(cmd, seconds, log=None, *, capture=False, stdout=None, cwd=ROOT, env=None,
                scaled=True):
    """subprocess.run with a time bound of `seconds` (x SLOTLAB_TIME_SCALE unless not
    scaled); returns a CompletedProcess with returncode, stdout (text, when capture)
    and stderr (text, when no log is given). log: where stderr goes, and stdout
    unless captured or given; without one, stderr goes to a file under build/logs/
    that is kept only if the tool overruns, so the failure can name it."""
    own_log = log is None
    if own_log:
        try:
            os.makedirs(LOGS, exist_ok=True)
            log_dir = LOGS
        except OSError:  # a checkout this user cannot write (setup as non-root): /tmp
            log_dir = None
        fd, log = tempfile.mkstemp(prefix=os.path.basename(str(cmd[0])) + ".", suffix=".log",
                                   dir=log_dir)
        os.close(fd)
    out = tempfile.TemporaryFile("w+", errors="replace") if capture else stdout
    try:
        with stopping([BoundedProcess(cmd, seconds, log, stdout=out, cwd=cwd, env=env,
                                      scaled=scaled)]) as (proc,):
            code = proc.wait()
    except TimedOut:
        if capture:  # the tool's stdout so far joins its log: nothing it wrote is lost
            out.seek(0)
            with open(log, "a") as f:
                f.write("\n--- stdout ---\n" + out.read())
        raise
    except BaseException:
        if own_log:
            os.unlink(log)
        raise
    text = None
    if capture:
        out.seek(0)
        text = out.read()
        out.close()
    err = None
    if own_log:
        with open(log, errors="replace") as f:
            err = f.read()
        os.unlink(log)
    return subprocess.CompletedProcess(cmd, code, text, err)


def run_logged(cmd, log_path, cwd=ROOT, env=None, seconds=BUILD_SECONDS):
    """Runs cmd with its output in log_path, within `seconds` (default: a build's
    bound); on failure, shows the log's tail."""
    proc = run_bounded(cmd, seconds, log_path, cwd=cwd, env=env)
    if proc.returncode != 0:
        with open(log_path) as log:
            tail = log.readlines()[-40:]
        sys.stderr.write("".join(tail))
        raise Failure(f"'{' '.join(cmd)}' failed (exit {proc.returncode}); full log: {log_path}")


def cmake_build(preset, targets=None, cache=None):
    """Configures (once) and builds one CMake preset, in build_dir(preset, cache);
    build output goes to a log."""
    from slotlab_cli import setup, user_maps
    setup.ensure_packages()
    settings = build_settings(cache)
    directory = build_dir(preset, cache)
    name = os.path.basename(directory)
    if not os.path.exists(os.path.join(directory, "CMakeCache.txt")):
        say(f"slotlab: configuring the {name} build (log: build/{name}-configure.log)")
        run_logged(["cmake", "--preset", preset, "-B", directory] +
                   [f"-D{k}={v}" for k, v in sorted(settings.items())],
                   os.path.join(BUILD_ROOT, f"{name}-configure.log"))
    build = ["cmake", "--build", "--preset", preset] if not settings else \
        ["cmake", "--build", directory, "--parallel", "2"]
    if "SLOTLAB_EXTRA_STRATEGIES" in settings:
        # The user's headers first, alone: a broken one fails here in seconds.
        log = os.path.join(BUILD_ROOT, f"{name}-check.log")
        proc = run_bounded(build + ["--target", user_maps.CHECK_TARGET], BUILD_SECONDS, log)
        if proc.returncode != 0:
            user_maps.explain_check_failure(log)
    cmd = list(build)
    for t in targets or []:
        cmd += ["--target", t]
    log = os.path.join(BUILD_ROOT, f"{name}-build.log")
    run_logged(cmd, log)
    # Quiet when nothing was rebuilt, so an up-to-date tool's stderr is only its own.
    with open(log) as f:
        if "Building CXX object" in f.read():
            say(f"slotlab: built {name}" + (f" ({', '.join(targets)})" if targets else "")
                + f" (log: build/{name}-build.log)")


def tool(preset, relative):
    return os.path.join(build_dir(preset), relative)


TRACE_TOOL = "bench/trace/slotlab_trace"


def workload_seconds(n, ops, rows=1):
    """The time bound of one workload run (the trace tool, churnmap, a benchmark
    binary's loop): n keys filled, `ops` operations, `rows` checkpoints that walk
    the table. Measured on this 2-core VM: 0.15-0.5 us per op (every map, strong,
    weak and collide hashes, load up to 0.95; go at n=300,000 and 3M ops: 0.53 s);
    a checkpoint costs ~0.1 us per key. Bound: 30 s of start-up slack, 10 us per
    op and 1 us per key per checkpoint, 20x the slowest measured, so only a hang
    (a growth that loops forever) or a machine far slower than this one reaches it."""
    return 30 + 10e-6 * (n + ops) + 1e-6 * n * rows


def registered_maps():
    """The registry's names, asked of the built trace tool (one list, in C++)."""
    cmake_build("release", ["slotlab_trace"])
    proc = run_bounded([tool("release", TRACE_TOOL), "--list-maps"], 60, capture=True)
    if proc.returncode != 0:
        raise Failure(f"the trace tool cannot list its maps (exit {proc.returncode}): "
                      f"{proc.stderr.strip()}")
    return [line for line in proc.stdout.splitlines() if line]


def map_summaries():
    """{name: the registry's one-line summary}, for the report's maps of your own."""
    cmake_build("release", ["slotlab_trace"])
    proc = run_bounded([tool("release", TRACE_TOOL), "--describe-maps"], 60, capture=True)
    if proc.returncode != 0:
        raise Failure(f"{TRACE_TOOL} --describe-maps failed (exit {proc.returncode}): "
                      f"{(proc.stderr or '').strip()}")
    out = proc.stdout
    return dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)


# Run directories: reports/runs/<UTC stamp>/ holds one run's data (traces/, bench/,
# validation/, fuzz/, meta.json) and its index.html; reports/latest points at the
# newest. Generated, never committed.
RUNS = os.path.join(REPORTS, "runs")
LATEST = os.path.join(REPORTS, "latest")


def new_run_dir():
    import time
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    path = os.path.join(RUNS, stamp)
    n = 1
    while os.path.exists(path):
        n += 1
        path = os.path.join(RUNS, f"{stamp}-{n}")
    os.makedirs(path)
    tmp_link = LATEST + ".new"
    if os.path.lexists(tmp_link):
        os.unlink(tmp_link)
    os.symlink(os.path.relpath(path, REPORTS), tmp_link)
    os.replace(tmp_link, LATEST)
    return path


# ---------------------------------------------------------------- progress

def format_seconds(s):
    s = int(round(s))
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else (
        f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s")


class Progress:
    """One live line on stderr for a long command: step, done/total, elapsed, ETA.

    On a terminal the line is redrawn in place (carriage return, clear to end of
    line) at every update and, while a bounded tool runs, every second; say() clears
    it before a message and redraws it below. Without a terminal (CI, pipes, logs) a
    plain line is printed at every tenth of the work, after 30 s without one, and at
    the end. ETA = elapsed x remaining / done, unless the caller knows better (eta=;
    bound=True prints it as an upper bound)."""

    active = None
    HEARTBEAT = 30.0

    def __init__(self, command, total, unit, stream=None):
        self.command, self.total, self.unit = command, total, unit
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.done, self.label, self.eta_seconds, self.eta_bound = 0, "", None, False
        self.start = time.monotonic()
        self.logged_tenth, self.drawn_at = -1, 0.0
        Progress.active = self

    def line(self):
        elapsed = time.monotonic() - self.start
        eta, bound = self.eta_seconds, self.eta_bound
        if eta is None and 0 < self.done < self.total:
            eta, bound = elapsed * (self.total - self.done) / self.done, False
        if self.done >= self.total:
            eta, bound = 0, False
        width = 20
        filled = min(width, int(width * self.done / self.total)) if self.total else width
        return (f"{self.command} [{'#' * filled}{'.' * (width - filled)}] {self.done:g}/{self.total:g} "
                f"{self.unit}, {format_seconds(elapsed)} elapsed, ETA {'<= ' if bound else ''}"
                f"{format_seconds(eta) if eta is not None else '?'}"
                + (f"  {self.label}" if self.label else ""))

    def draw(self):
        self.drawn_at = time.monotonic()
        self.stream.write("\r\033[K" + self.line())
        self.stream.flush()

    def update(self, done=None, label=None, eta=None, bound=False):
        """done: work finished so far; label: what runs now; eta: seconds left, if known."""
        if done is not None:
            self.done = done
        if label is not None:
            self.label = label
        self.eta_seconds, self.eta_bound = eta, bound
        if self.tty:
            self.draw()
            return
        tenth = int(10 * self.done // self.total) if self.total else 10
        if tenth != self.logged_tenth or time.monotonic() - self.drawn_at >= self.HEARTBEAT:
            self.logged_tenth, self.drawn_at = tenth, time.monotonic()
            print(self.line(), file=self.stream, flush=True)

    def each(self, items, label=str):
        """Yields items, counting each one done once the caller asks for the next;
        label(item) names it on the line while it runs."""
        for item in items:
            self.update(label=label(item))
            yield item
            self.update(done=self.done + 1)

    @classmethod
    def tick(cls):
        """Redraws the live line once a second (its elapsed time moves)."""
        p = cls.active
        if p is not None and p.tty and time.monotonic() - p.drawn_at >= 1.0:
            p.draw()

    def close(self):
        """Leaves the last state on its own line."""
        if self.tty:
            self.draw()
            self.stream.write("\n")
            self.stream.flush()
        if Progress.active is self:
            Progress.active = None
