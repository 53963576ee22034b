"""One markdown table writer, shared by the tour and the benchmark scripts."""


def markdown_table(header, rows):
    """Render a header and rows of cells as a GitHub markdown table.

    Parameters
    ----------
    header : sequence of str
        Column titles.
    rows : iterable of sequence
        One sequence of cells per row, as long as ``header``; each cell is
        written with ``str``, so format numbers before passing them.

    Returns
    -------
    table : str
        The table, one line per row, without a trailing newline.

    Raises
    ------
    ValueError
        If a row has more or fewer cells than ``header``.

    Examples
    --------
    >>> from sklweak.utils._markdown import markdown_table
    >>> print(markdown_table(["set", "accuracy"], [["pima", "0.750"]]))
    | set | accuracy |
    |---|---|
    | pima | 0.750 |
    """
    header = [str(title) for title in header]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for index, row in enumerate(rows):
        cells = [str(cell) for cell in row]
        if len(cells) != len(header):
            raise ValueError(
                f"rows[{index}] has {len(cells)} cells but the header has {len(header)} columns"
            )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
