"""The one markdown table writer that the tour and the benchmark scripts share."""

import pytest

from sklweak._tour import COLUMNS, format_markdown
from sklweak.utils._markdown import markdown_table


def test_rows_are_written_under_a_separator_line():
    table = markdown_table(["a", "b"], [[1, "x"], [2.5, None]])
    assert table.splitlines() == ["| a | b |", "|---|---|", "| 1 | x |", "| 2.5 | None |"]


def test_a_row_of_the_wrong_length_names_the_row():
    with pytest.raises(ValueError, match=r"rows\[1\] has 1 cells but the header has 2"):
        markdown_table(["a", "b"], [["1", "2"], ["3"]])


def test_the_tour_writes_its_table_with_it():
    row = dict.fromkeys(COLUMNS, 0.5)
    expected = markdown_table(COLUMNS, [["0.500"] * len(COLUMNS)])
    assert format_markdown([row]) == expected
