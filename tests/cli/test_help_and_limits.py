"""Command-line conventions: -h for help, and a listing cut at its limit says so on stderr."""

from helpers import run_on


def test_help_with_h_and_a_listing_cut_at_its_limit_says_so(store):
    assert run_on(store.path, "-h").exit_code == 0
    assert "Usage:" in run_on(store.path, "queue", "-h").stdout
    result = run_on(store.path, "log", "--limit", "2", "--csv")
    assert result.exit_code == 0 and result.stdout.count("\n") == 3
    assert "showing the first 2" in result.stderr
    assert "showing the first" not in run_on(store.path, "log", "--limit", "100000").stderr
