"""The feeds benchmark's short version, run in CI as a smoke test: it must finish and lose
nothing. Its timings are printed, never asserted (benchmarks measure; tests assert behaviour).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_feeds_benchmark_quick_run_turns_every_message_into_a_task(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SAFEROPTIONS_TESTING"}}
    # Its own throwaway SQLite database, never the developer's or the test run's.
    env.update({"SAFEROPTIONS_VAR_DIR": str(tmp_path), "BENCH_FEEDS_PORT": "8791"})
    run = subprocess.run(  # noqa: S603 - our own benchmark module, fixed arguments
        [sys.executable, "-m", "bench.feeds", "--quick"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    sustained = figures["sustained_50_per_s"]
    assert sustained["errors"] == 0
    assert sustained["sent"] == sustained["accepted_202"] == sustained["tasks"]


@pytest.mark.slow
def test_pages_benchmark_small_run_measures_pages_that_show_their_rows(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "SAFEROPTIONS_TESTING", "SAFEROPTIONS_SUITE_NOW"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/bench_pages.sqlite3"
    run = subprocess.run(  # noqa: S603 - our own benchmark module, fixed arguments
        [sys.executable, "-m", "bench.pages", "--children", "200", "--items", "60",
         "--requests", "5"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert set(figures["pages_ms"]) == {"triage_queue_hub", "team_inbox_member",
                                        "child_page_member"}


@pytest.mark.slow
def test_brokering_benchmark_quick_run_measures_find_support_and_the_report(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "SAFEROPTIONS_TESTING", "SAFEROPTIONS_SUITE_NOW"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/bench_brokering.sqlite3"
    run = subprocess.run(  # noqa: S603 - our own benchmark module, fixed arguments
        [sys.executable, "-m", "bench.brokering", "--children", "300", "--programmes", "30",
         "--referrals", "100", "--sessions", "300", "--requests", "5"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["benchmark"] == "brokering"
    assert figures["child_events"] > 600  # the busiest child: 600 of its own plus three
    assert figures["find_support_ms"]["eligible"] + figures["find_support_ms"]["not_eligible"] > 0
    assert figures["report"]["programme_referrals"] > 0
