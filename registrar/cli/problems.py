"""A file's problems told so the fix shows: grouped by column and rule with each value's count, then a screenful."""

import re

DETAIL_LINES = 10
VALUES_SHOWN = 15
_LINE = re.compile(r"line (\d+): ")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def problem_lines(problems: list[str]) -> list[str]:
    """The problems as lines for stderr: all of them when few, else grouped and then the first screenful."""
    if len(problems) <= DETAIL_LINES:
        return problems
    groups: dict[str, dict[str, list[int]]] = {}
    for problem in problems:
        found = _LINE.match(problem)
        text = problem[found.end() :] if found else problem
        quoted = _QUOTED.search(text)
        shape = f"{text[: quoted.start()]}…{text[quoted.end() :]}" if quoted else text
        groups.setdefault(shape, {}).setdefault(quoted.group(0) if quoted else "", []).append(
            int(found.group(1)) if found else 0
        )
    lines = [f"{len(problems)} problems of {len(groups)} kinds, by column and rule:"]
    for shape, values in sorted(groups.items(), key=lambda group: -sum(map(len, group[1].values()))):
        rows = sum(map(len, values.values()))
        distinct = [value for value in values if value]
        many = f"{len(distinct)} distinct value{'s' if len(distinct) > 1 else ''}"
        lines.append(f"{rows} row(s): {shape}" + (f" ({many})" if distinct else ""))
        for value in sorted(distinct, key=lambda value: -len(values[value]))[:VALUES_SHOWN]:
            first = ", ".join(str(line) for line in values[value][:3])
            lines.append(f"    {value} in {len(values[value])} row(s), first on line {first}")
        if len(distinct) > VALUES_SHOWN:
            lines.append(f"    … and {len(distinct) - VALUES_SHOWN} more values")
    lines.append(f"the first {DETAIL_LINES} line by line (every one with --problems FILE):")
    return lines + problems[:DETAIL_LINES]
