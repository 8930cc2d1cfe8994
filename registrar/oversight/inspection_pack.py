"""The inspection pack: the oversight report as one self-contained, printable HTML document with inline SVG charts."""

from dataclasses import dataclass
from html import escape
from zoneinfo import ZoneInfo

from registrar.access.identity import Actor
from registrar.base.clock import FORCE_TIMEZONE, parse
from registrar.base.text import safe_text
from registrar.base.vocabulary import RECORDING_VERDICTS
from registrar.storage.ledger import Head

CSS = """
body { font: 10.5pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1.5pt solid #111; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p, tr, svg, .key div, figure { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
tbody tr:first-child, tbody tr:nth-child(2) { break-before: avoid; page-break-before: avoid; }
.appendix { break-before: page; page-break-before: always; }
.appendix.next { break-before: auto; page-break-before: auto; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { border: 0.5pt solid #888; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta td:first-child { width: 45mm; font-weight: bold; }
.key { display: flex; flex-wrap: wrap; gap: 3mm; margin: 3mm 0; }
.key div { border: 1pt solid #111; padding: 2mm 3mm; min-width: 38mm; }
.key b { display: block; font-size: 15pt; }
.key i { display: block; font-size: 8pt; font-style: normal; color: #444; }
.note { color: #444; font-size: 9pt; }
.when { font-weight: normal; font-size: 9pt; color: #444; }
code { font-size: 9pt; word-break: break-all; }
figure { margin: 1mm 0 3mm; }
figcaption { font-size: 9pt; font-weight: bold; margin-bottom: 1mm; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 8pt "DejaVu Sans", Arial, sans-serif; fill: #111; }
.appendix table { font-size: 8.5pt; line-height: 1.2; }
.appendix th, .appendix td { padding: 0.4mm 1.5mm; }
.empty { color: #444; font-style: italic; }
"""


@dataclass(frozen=True)
class PackHeader:
    """Who the pack is for and from: the force, the producer, when, and the ledger head it was read at."""

    force_code: str
    force_name: str
    produced_by: Actor
    produced_at: str
    head: Head


PAGE_MARGINS = "20mm 14mm 16mm"
HEADER_FORCE = 70  # characters of the force's name in the running header (one line beside the period)
IN_PERIOD = "in the period"
NOW_ANY_DATE = "now, from any date"
LISTED_IN_SECTION = 10
LISTED_IN_APPENDIX = 1000
LABEL_LINE = 30
CHART_ROWS = 30  # a chart of more rows is drawn in parts, each of which fits a page
# Widths in chart units of DejaVu Sans at 8pt, a little over the font's own, so a label never reaches the edge.
WIDE_PX = 10.6  # M W m w
CAPITAL_PX = 8.0
DIGIT_PX = 6.8
LETTER_PX = 6.4
SPACE_PX = 3.4


def _css_string(text: str) -> str:
    """Text as a quoted CSS string: every character but plain letters, digits and spaces escaped, so no text can end
    the string, the rule or the style element."""
    return '"' + "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):x} " for ch in text) + '"'


def page_css(header: "PackHeader", period: dict) -> str:
    """The printed page: A4, and on every page the force, the period, the ledger head and "page N of M"."""
    force = f"{header.force_name} ({header.force_code})" if header.force_code else header.force_name
    force = safe_text(force) if len(force) <= HEADER_FORCE else safe_text(force)[: HEADER_FORCE - 1] + "…"
    top = f"{force}, {_day(period['from'])} to {_day(period['to'])}"
    head = f"ledger head {header.head.seq}:{header.head.hash}"
    margin = "font: 7.5pt 'DejaVu Sans', Arial, sans-serif; color: #333;"
    return (
        f"@page {{ size: A4; margin: {PAGE_MARGINS};"
        f" @top-left {{ content: {_css_string(top)}; {margin} vertical-align: bottom; }}"
        f" @bottom-left {{ content: {_css_string(head)}; {margin} font-size: 6.5pt; vertical-align: top; }}"
        f' @bottom-right {{ content: "page " counter(page) " of " counter(pages); {margin} vertical-align: top; }} }}'
    )


def _day(stamp: str) -> str:
    """A store time as the force's local date and time, short."""
    return f"{_moment(stamp):%d %b %Y %H:%M}"


def _moment(stamp: str):
    """A store time in the force's time zone."""
    return parse(stamp).astimezone(ZoneInfo(FORCE_TIMEZONE))


def _when(which: str) -> str:
    """A heading's note of which figures these are: the period's, or those open now."""
    return f' <span class="when">({escape(which)})</span>'


def _pct(value: float | None) -> str:
    """A share as a percentage with one decimal, or '-'."""
    return "-" if value is None else f"{value * 100:.1f}%"


def _local(stamp: str) -> str:
    """A store time in the force's local time, labelled."""
    moment = _moment(stamp)
    return f"{moment:%d %B %Y, %H:%M} ({moment.tzname()})"


def _shown(value: object) -> str:
    """Text from the store as the pack shows it: escaped for HTML, with controls and bidi overrides made visible
    (so no stored name can reorder or hide what an inspector reads)."""
    return escape(safe_text(str(value)))


def _table(
    headings: list[str],
    rows: list[list[object]],
    numeric: frozenset[int] | set[int] = frozenset(),
    empty: str = "None in this period.",
) -> str:
    """An HTML table; text escaped, the numeric columns right-aligned; `empty` said when there are no rows."""
    if not rows:
        return f'<p class="empty">{escape(empty)}</p>'
    head = "".join(f"<th{' class=n' if i in numeric else ''}>{escape(h)}</th>" for i, h in enumerate(headings))
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if i in numeric else ''}>{_shown(v)}</td>" for i, v in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def label_lines(label: str) -> list[str]:
    """A chart label as at most two lines of whole words (a longer one ends in an ellipsis, never cut silently)."""
    lines: list[str] = []
    for word in safe_text(str(label)).split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_LINE:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if not lines:
        return [""]
    shown = [line if len(line) <= LABEL_LINE else line[: LABEL_LINE - 1] + "…" for line in lines[:2]]
    if len(lines) > 2:
        shown[1] = (shown[1][: LABEL_LINE - 1]).rstrip() + "…"
    return shown


def text_width(line: str) -> float:
    """A line's width in chart units, measured letter by letter (capitals and wide letters take more room)."""

    def width(ch: str) -> float:
        """One character's width."""
        if ch in "MWmw":
            return WIDE_PX
        if ch.isupper():
            return CAPITAL_PX
        if ch.isdigit():
            return DIGIT_PX
        return SPACE_PX if ch == " " else LETTER_PX

    return sum(width(ch) for ch in line)


def _label_width(items: list) -> int:
    """Room for the widest label line, so none is clipped at the chart's left edge."""
    widest = max((text_width(line) for item in items for line in label_lines(item[0])), default=10.0)
    return max(60, int(widest) + 12)


def _label(x: float, y: float, label: str) -> str:
    """A label ending at x, its lines centred on y."""
    lines = label_lines(label)
    first = y - 5 * (len(lines) - 1)
    return "".join(
        f'<text x="{x:.1f}" y="{first + 10 * i + 3.5:.1f}" text-anchor="end">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )


def _rows_at(items: list) -> list[tuple[float, float]]:
    """Each item's centre and height: a row of 16 units, 26 for a label of two lines."""
    placed: list[tuple[float, float]] = []
    y = 3.0
    for item in items:
        height = 16.0 if len(label_lines(item[0])) == 1 else 26.0
        placed.append((y + height / 2, height))
        y += height
    return placed


def _figure(title: str, svg: str) -> str:
    """A chart with its title above it."""
    return f"<figure><figcaption>{escape(title)}</figcaption>{svg}</figure>"


def _in_parts(title: str, items: list, draw) -> str:
    """A chart with its title, in parts of at most CHART_ROWS rows (one label width for all), so no part is taller
    than a page."""
    label_width = _label_width(items)
    if len(items) <= CHART_ROWS:
        return _figure(title, draw(items, label_width))
    return "".join(
        _figure(
            f"{title} ({start + 1}–{min(start + CHART_ROWS, len(items))} of {len(items)})",
            draw(items[start : start + CHART_ROWS], label_width),
        )
        for start in range(0, len(items), CHART_ROWS)
    )


def bar_chart(title: str, items: list[tuple[str, int]]) -> str:
    """Horizontal bars, each labelled with its name and count (no colour needed to read it)."""
    if not items or not any(n for _, n in items):
        return ""
    top = max(n for _, n in items)

    return _in_parts(title, items, lambda part, label_width: _bars(title, part, label_width, top))


def _bars(title: str, items: list[tuple[str, int]], label_width: int, top: int) -> str:
    """An SVG of labelled bars scaled to `top`."""
    bar_width = 330
    placed = _rows_at(items)
    height = int(sum(h for _, h in placed) + 6)
    width = label_width + bar_width + 60
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for (label, count), (middle, _) in zip(items, placed, strict=True):
        length = bar_width * count / top if top else 0
        parts.append(_label(label_width - 6, middle, label))
        parts.append(
            f'<rect x="{label_width}" y="{middle - 5.5:.1f}" width="{length:.1f}" height="11" fill="#555" stroke="#111"/>'
        )
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{middle + 3.5:.1f}">{count:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def interval_chart(title: str, items: list[tuple[str, float | None, float, float, int]]) -> str:
    """Each share as a dot on a 0–100% axis with its 95% interval as a whisker, and n beside it."""
    shown = [item for item in items if item[1] is not None]
    if not shown:
        return ""
    return _in_parts(title, shown, lambda part, label_width: _whiskers(title, part, label_width))


def _whiskers(title: str, shown: list[tuple[str, float | None, float, float, int]], label_width: int) -> str:
    """An SVG of shares on a 0–100% axis, each with its interval."""
    axis_width = 300
    placed = _rows_at(shown)
    rows_height = sum(h for _, h in placed) + 3
    height = int(rows_height + 20)
    width = label_width + axis_width + 110

    def x(share: float) -> float:
        """The share's position on the axis."""
        return label_width + axis_width * share

    parts = [
        f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="0" x2="{x(tick):.1f}" y2="{rows_height + 4:.1f}" stroke="#bbb" '
            'stroke-dasharray="2,2"/>'
        )
        parts.append(f'<text x="{x(tick):.1f}" y="{height - 3}" text-anchor="middle">{tick * 100:.0f}%</text>')
    for (label, share, low, high, n), (y, _) in zip(shown, placed, strict=True):
        parts.append(_label(label_width - 6, y, str(label)))
        parts.append(f'<line x1="{x(low):.1f}" y1="{y}" x2="{x(high):.1f}" y2="{y}" stroke="#111" stroke-width="1.5"/>')
        for end in (low, high):
            parts.append(f'<line x1="{x(end):.1f}" y1="{y - 4}" x2="{x(end):.1f}" y2="{y + 4}" stroke="#111"/>')
        parts.append(f'<circle cx="{x(share or 0):.1f}" cy="{y}" r="3.5" fill="#111"/>')
        parts.append(f'<text x="{label_width + axis_width + 8}" y="{y + 4}">{_pct(share)} (n={n})</text>')
    parts.append("</svg>")
    return "".join(parts)


def _share_rows(rows: list[dict], name: str, numerator: str, denominator: str) -> list[list[object]]:
    """Table rows for shares with intervals."""
    return [
        [row[name], row[numerator], row[denominator], _pct(row["rate"]), f"{_pct(row['low'])} to {_pct(row['high'])}"]
        for row in rows
    ]


def _share_items(rows: list[dict], name: str, denominator: str) -> list[tuple[str, float | None, float, float, int]]:
    """Chart items for shares with intervals."""
    return [(str(row[name]), row["rate"], row["low"], row["high"], row[denominator]) for row in rows]


def _compliance(figures: dict) -> str:
    """Dip-sample compliance per decision maker, kind and offence group."""
    c = figures["compliance"]
    parts = [
        "<section><h2>1. Compliance of designated decision makers' decisions (dip-sample audits)"
        + _when(IN_PERIOD)
        + "</h2>"
    ]
    overall = c["overall"]
    parts.append(
        f"<p>Overall the audit agreed with {overall['agreed']} of {overall['sampled']} sampled decisions: "
        f"{_pct(overall['rate'])} (95% interval {_pct(overall['low'])} to {_pct(overall['high'])}).</p>"
    )
    for section, column, title in (
        ("by_maker", "maker", "By decision maker"),
        ("by_kind", "kind", "By kind of request"),
        ("by_offence_group", "offence_group", "By offence group"),
    ):
        rows = c[section]
        parts.append(f"<h3>{title}</h3>")
        parts.append(
            _table(
                [column.replace("_", " ").capitalize(), "Agreed", "Sampled", "Rate", "95% interval"],
                _share_rows(rows, column, "agreed", "sampled"),
                {1, 2, 3},
            )
        )
        parts.append(interval_chart(f"Compliance {title.lower()}", _share_items(rows, column, "sampled")))
    parts.append("</section>")
    return "".join(parts)


def _recording(figures: dict) -> str:
    """Crime-recording accuracy from the recording audits, N100s and reports of rape."""
    r = figures["recording"]
    v = r["verdicts"]
    parts = ["<section><h2>2. Crime-recording accuracy (recording audits of incidents)" + _when(IN_PERIOD) + "</h2>"]
    parts.append(
        f"<p>{r['incidents']['reported']:,} incidents were reported in the period, {r['incidents']['with_crime']:,} "
        f"with a crime recorded. {r['audited']} were audited: {v['recorded-correctly']} rightly recorded, "
        f"{v['not-a-crime']} rightly not crimes, {v['record-now']} missed (their crimes recorded late by the audit) and "
        f"{v['n100']} N100s. {r['pending']['items']} audited incidents from any date await a verdict now.</p>"
    )
    overall = r["accuracy"]
    parts.append(
        f"<p><b>Recording accuracy: {_pct(overall['rate'])}</b> ({overall['recorded']} of "
        f"{overall['should_have_been']} incidents that should have been crimes were recorded; 95% interval "
        f"{_pct(overall['low'])} to {_pct(overall['high'])}). Recorded within 24 hours of the report: "
        f"{_pct(r['within_24h']['rate'])} ({r['within_24h']['recorded']} of {r['within_24h']['should_have_been']}).</p>"
    )
    for key, title in (("by_offence_group", "By offence group"), ("by_area", "By local policing area")):
        parts.append(f"<h3>{title}</h3>")
        parts.append(
            _table(
                [title.split()[-1].capitalize(), "Recorded", "Should have been", "Accuracy", "95% interval"],
                _share_rows(r[key], "name", "recorded", "should_have_been"),
                {1, 2, 3},
            )
        )
        parts.append(
            interval_chart(f"Recording accuracy {title.lower()}", _share_items(r[key], "name", "should_have_been"))
        )
    rape = r["rape_reports"]
    parts.append("<h3>Reports of rape and N100s</h3>")
    parts.append(f"<p>{rape['reviewed']} reports of rape were reviewed by the FCR, deputy or crime manager.</p>")
    outcomes = [[RECORDING_VERDICTS[k].label if k in RECORDING_VERDICTS else k, n] for k, n in rape["outcomes"].items()]
    parts.append(_table(["Outcome", "Count"], outcomes, {1}))
    parts.append(f"<p>{r['n100']['count']} N100 records.</p>")
    parts.append(_table(["N100 reason", "Count"], [[k, n] for k, n in r["n100"]["by_reason"].items()], {1}))
    parts.append("</section>")
    return "".join(parts)


def _timeliness(figures: dict) -> str:
    """Referral clock, decision times, overdue work and transfers waiting."""
    t = figures["timeliness"]
    parts = ["<section><h2>3. Timeliness</h2>"]
    low, high = t["referrals_within_clock_interval"]
    parts.append(
        "<p>In the period: referral crime-recording decisions within {t['referral_clock_hours']:.0f} hours of receipt: "
        f"{t['referrals_within_clock']} of {t['referrals_decided']} ({_pct(t['referrals_within_clock_share'])}; "
        f"95% interval {_pct(low)} to {_pct(high)}).</p>"
    )
    parts.append("<h3>Decision times by queue" + _when(IN_PERIOD) + "</h3>")
    parts.append(
        _table(
            ["Queue", "Decided", "Median hours", "90th percentile hours"],
            [
                [
                    row["kind"],
                    row["decided"],
                    "-" if row["median_hours"] is None else f"{row['median_hours']:.1f}",
                    "-" if row["p90_hours"] is None else f"{row['p90_hours']:.1f}",
                ]
                for row in t["decision_times"]
            ],
            {1, 2, 3},
        )
    )
    parts.append("<h3>Open requests past their due time" + _when(NOW_ANY_DATE) + "</h3>")
    parts.append(
        _table(
            ["Queue", "State", "Overdue"],
            [[r["kind"], r["state"], r["overdue"]] for r in t["overdue_open"]],
            {2},
            "None now.",
        )
    )
    waiting = t["transfers_waiting"]
    parts.append("<h3>Transfers waiting on another force" + _when(NOW_ANY_DATE) + "</h3>")
    if len(waiting) > LISTED_IN_SECTION:
        parts.append(
            f"<p>{len(waiting)} transfers wait on another force, the longest for {waiting[0]['waiting_days']} days. "
            f"The {LISTED_IN_SECTION} waiting longest are listed; Appendix B lists them all.</p>"
        )
    parts.append(_waiting_table(waiting[:LISTED_IN_SECTION]))
    parts.append("</section>")
    return "".join(parts)


def _waiting_table(waiting: list[dict]) -> str:
    """Transfers waiting on another force, longest first."""
    return _table(
        ["Request", "State", "Force", "Days waiting"],
        [[w["id"], w["state"], w["other_force"], w["waiting_days"]] for w in waiting],
        {0, 3},
        "None now.",
    )


def _downgrades(d: dict) -> str:
    """Decisions that left a crime less serious, by the seriousness order: count, who decided, largest drops."""
    parts = [
        "<h3>Downgrades by seriousness</h3>",
        f"<p>{d['count']} decision(s) left a crime less serious than it was, or than the code it came with "
        "(weights in Crime Severity Score points at the time of the decision).</p>",
        _table(
            ["Decided by", "Role", "Downgrades"], [[r["actor"], r["role"], r["count"]] for r in d["by_decider"]], {2}
        ),
    ]
    if d["largest"]:
        parts.append("<h4>The largest drops</h4>")
        parts.append(
            _table(
                ["Crime", "Request", "From", "To", "Drop", "Decided by", "When"],
                [
                    [
                        r["crime_reference"] or "-",
                        r["request_id"],
                        f"{r['from_code']} ({r['from_weight']})",
                        f"{r['to_code']} ({r['to_weight']})",
                        "-" if r["drop"] is None else r["drop"],
                        r["actor"],
                        r["at"],
                    ]
                    for r in d["largest"]
                ],
                {1, 4},
            )
        )
    return "".join(parts)


def _counts(figures: dict) -> str:
    """Cancellations by ground, reclassifications by direction, transfers by force, referrals by agency."""
    c = figures["counts"]
    referrals = figures["recording"]["referrals"]
    grounds = list(c["cancellations_by_ground"].items())
    directions = list(c["reclassifications_by_direction"].items())
    parts = [
        "<section><h2>4. Cancellations by ground" + _when(IN_PERIOD) + "</h2>",
        _table(["Ground", "Crimes cancelled"], grounds, {1}),
    ]
    parts.append(bar_chart("Cancellations by ground", grounds))
    parts.append("</section><section><h2>5. Reclassifications by direction" + _when(IN_PERIOD) + "</h2>")
    parts.append(_table(["Direction", "Reclassified"], directions, {1}))
    parts.append(bar_chart("Reclassifications by direction", directions))
    parts.append(_downgrades(figures["downgrades"]))
    parts.append("</section><section><h2>6. Transfers between forces" + _when(IN_PERIOD) + "</h2>")
    for key, title, actions in (
        ("transfers_out_by_force", "Out to other forces", ("send", "accepted", "disputed", "withdraw")),
        ("transfers_in_by_force", "In from other forces", ("accept", "dispute")),
    ):
        parts.append(f"<h3>{title}</h3>")
        rows = [[force, *(counts.get(a, 0) for a in actions)] for force, counts in c[key].items()]
        parts.append(_table(["Force", *actions], rows, set(range(1, len(actions) + 1))))
    parts.append("</section><section><h2>7. MASH and third-party referrals" + _when(IN_PERIOD) + "</h2>")
    overall = referrals["overall"]
    parts.append(
        f"<p>Of {referrals['decided']} referrals decided, {overall['should_have_been']} should have been crimes and "
        f"{overall['recorded']} were recorded: {_pct(overall['rate'])} (95% interval {_pct(overall['low'])} to "
        f"{_pct(overall['high'])}).</p>"
    )
    parts.append(
        _table(
            ["Agency", "Recorded", "Should have been", "Rate", "95% interval"],
            _share_rows(referrals["by_agency"], "name", "recorded", "should_have_been"),
            {1, 2, 3},
        )
    )
    outcomes = sorted({state for counts in c["referrals_by_agency_and_outcome"].values() for state in counts})
    parts.append("<h3>Decisions by agency and outcome</h3>")
    parts.append(
        _table(
            ["Agency", *outcomes],
            [
                [agency, *(counts.get(o, 0) for o in outcomes)]
                for agency, counts in c["referrals_by_agency_and_outcome"].items()
            ],
            set(range(1, len(outcomes) + 1)),
        )
    )
    parts.append("</section>")
    return "".join(parts)


def _victims_table(items: list[dict]) -> str:
    """Crimes whose victim has no 'told' record, oldest first."""
    rows = [
        [i["crime_reference"], i["kind"], _local(i["created_at"]), "yes" if i["in_period"] else "no", i["age_days"]]
        for i in items
    ]
    return _table(["Crime", "Kind", "Decided", "In the period", "Days waiting"], rows, {4}, "None now.")


def _victims(figures: dict) -> str:
    """Cancellations and transfers whose victim has no 'told' record: the period's, and all outstanding now."""
    v = figures["victims"]
    more = (
        f" The {LISTED_IN_SECTION} waiting longest are listed; Appendix A lists them all."
        if v["untold"] > LISTED_IN_SECTION
        else ""
    )
    return (
        "<section><h2>8. Victims not told</h2>"
        f"<p>In the period: {v['untold_from_period']} crimes cancelled or transferred in the period have no record "
        "that the victim was told.</p>"
        f"<p>Now, from any date: {v['untold']} cancelled or transferred crimes have no such record "
        f"({v['over_2_days']} for over two days).{more}</p>"
        + _victims_table(v["items"][:LISTED_IN_SECTION])
        + "</section>"
    )


def _appendices(figures: dict) -> str:
    """The long lists, after the figures: every victim not told and every transfer waiting, when too many to list."""
    v = figures["victims"]
    waiting = figures["timeliness"]["transfers_waiting"]
    parts = []
    if v["untold"] > LISTED_IN_SECTION:
        shown = v["items"][:LISTED_IN_APPENDIX]
        cut = (
            f' <p class="note">The first {LISTED_IN_APPENDIX} of {v["untold"]} are listed.</p>'
            if v["untold"] > len(shown)
            else ""
        )
        parts.append(
            '<section class="appendix"><h2>Appendix A. Victims not told'
            + _when(NOW_ANY_DATE)
            + "</h2>"
            + _victims_table(shown)
            + cut
            + "</section>"
        )
    if len(waiting) > LISTED_IN_SECTION:
        parts.append(
            f'<section class="appendix{" next" if parts else ""}"><h2>Appendix B. Transfers waiting on another force'
            + _when(NOW_ANY_DATE)
            + "</h2>"
            + _waiting_table(waiting)
            + "</section>"
        )
    return "".join(parts)


def render_pack(figures: dict, header: PackHeader) -> str:
    """The whole pack as one HTML document: no scripts, no links out, readable printed in black and white."""
    period = figures["period"]
    actor = header.produced_by
    r = figures["recording"]
    t = figures["timeliness"]
    key = [
        ("Recording accuracy", _pct(r["accuracy"]["rate"]), IN_PERIOD),
        ("Recorded within 24 h", _pct(r["within_24h"]["rate"]), IN_PERIOD),
        ("Referrals decided in 24 h", _pct(t["referrals_within_clock_share"]), IN_PERIOD),
        ("Audit compliance", _pct(figures["compliance"]["overall"]["rate"]), IN_PERIOD),
        ("Victims not told", f"{figures['victims']['untold_from_period']:,}", IN_PERIOD),
        ("Victims not told", f"{figures['victims']['untold']:,}", NOW_ANY_DATE),
    ]
    meta = [
        ["Force", f"{header.force_name} ({header.force_code})" if header.force_code else header.force_name],
        ["Period", f"{_local(period['from'])} to {_local(period['to'])} (UTC {period['from']} to {period['to']})"],
        ["Produced by", f"{actor.display_name} ({actor.username}, {actor.role})"],
        ["Produced at", f"{_local(header.produced_at)}"],
        ["Ledger head", f"{header.head.seq}:{header.head.hash}"],
    ]
    meta_rows = "".join(
        f"<tr><td>{escape(k)}</td><td>{'<code>' + escape(v) + '</code>' if k == 'Ledger head' else _shown(v)}</td></tr>"
        for k, v in meta
    )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Crime recording inspection pack: {escape(header.force_name)}</title>"
        f"<style>{page_css(header, period)}{CSS}</style></head><body>"
        f"<h1>Crime recording inspection pack</h1><table class=meta>{meta_rows}</table>"
        '<p class="note">Check this pack against the store: <code>registrar log verify --anchor '
        f"{escape(str(header.head.seq))}:{escape(header.head.hash)}</code> verifies that every entry up to this head is "
        "unchanged. Intervals are 95% Wilson score intervals.</p>"
        '<div class="key">'
        + "".join(
            f"<div>{escape(label)}<b>{escape(value)}</b><i>{escape(when)}</i></div>" for label, value, when in key
        )
        + "</div>"
        + _compliance(figures)
        + _recording(figures)
        + _timeliness(figures)
        + _counts(figures)
        + _victims(figures)
        + _appendices(figures)
        + f'<p class="note">Produced by registrar, {escape(_local(header.produced_at))}.</p></body></html>'
    )
