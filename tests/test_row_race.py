"""No write lands on the wrong row: a coordinator's sort, insert or delete between a run's
read and its write never puts one team's cells into another team's row."""
import pytest

from programme import Programme
from row_race import measure


@pytest.fixture
def programme(endpoint, tmp_path):
    return Programme.create(endpoint, tmp_path)


def test_no_faulted_interleaving_writes_a_team_into_another_teams_row(programme, capsys):
    figures = measure(programme, interleavings=6, seed=21)
    with capsys.disabled():
        print(f"\nrow race: {figures.line()}")
    assert figures.interleavings == 6
    assert figures.wrong == 0, figures.line()
