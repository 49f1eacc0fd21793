"""QA 15: the attendance page mixed hour formats (3.0000 next to 166.64 next to 0). Every hours cell of the page and
of its CSV and Excel exports has two decimals, as the settlement statement's hours (settlement/workbook.two)."""

from __future__ import annotations

import csv
import io
import re

import openpyxl

from tests.conftest import REDIS_URL

from .test_schedule_pages import _ids, attendance_day  # noqa: F401 (a fixture)

TWO_DECIMALS = re.compile(r"^\d+\.\d{2}$")
DAY_HOURS = slice(1, 8)  # Scheduled … Outside the shift
MONTH_HOURS = slice(1, 6)  # Scheduled … Above the standard month


def _cells(html: str, testid: str) -> list[list[str]]:
    table = html.split(f'data-testid="{testid}"')[1].split("</table>")[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in table.split("</tr>") if "<td>" in row]


def test_every_hours_cell_has_two_decimals_on_the_page_and_in_the_exports(app, api_as, world,
                                                                          attendance_day) -> None:  # noqa: F811
    app.config["HOTLINE_REDIS_URL"] = REDIS_URL
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    query = f"day={attendance_day['day']}&interval=60&month=2026-02"
    html = supervisor.get(f"/schedules/attendance?{query}").get_data(as_text=True)
    day_rows, month_rows = _cells(html, "day-table"), _cells(html, "month-table")
    assert day_rows and month_rows
    hours = [c for r in day_rows for c in r[DAY_HOURS]] + [c for r in month_rows for c in r[MONTH_HOURS]]
    assert all(TWO_DECIMALS.match(c) for c in hours), hours
    assert "3.00" in day_rows[-1] and "166.64" in month_rows[-1] and "0.00" in month_rows[-1]
    for what, hours_of in (("day", DAY_HOURS), ("month", MONTH_HOURS)):
        text = supervisor.get(f"/schedules/attendance/export?what={what}&format=csv&{query}").data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))[1:]
        assert rows and all(TWO_DECIMALS.match(c) for r in rows for c in r[hours_of]), rows
        sheet = openpyxl.load_workbook(io.BytesIO(supervisor.get(
            f"/schedules/attendance/export?what={what}&format=xlsx&{query}").data)).active
        values = [str(c) for r in list(sheet.iter_rows(values_only=True))[1:] for c in r[hours_of]]
        assert values and all(TWO_DECIMALS.match(v) for v in values), values
