#!/usr/bin/env python3
"""Python's XlsxWriter writing the workbook Benchmarks/Sources/xlsx-baseline/main.c writes (the workbook of
`ttusage-bench xlsx --template none`: the same sheets, cells, formats, column widths, page setup, footers, defined
names, charts and document properties, with the same calls in the same order), in constant_memory mode: a second
yardstick for the XLSX renderer. A measurement, not a test.

    python3 .ci/bench-xlsxwriter.py [--keys 1000] [--days 365] [--out FILE] [--tool-version V]

Needs `pip install xlsxwriter`. Prints the elapsed time and the peak resident set size.
"""
import argparse
import datetime
import resource
import time

import xlsxwriter

# What `ttusage-bench` writes: ttusage's version, the dataset's generatedAt and its first day, 2025-01-01.
TOOL_VERSION = "0.1.0"  # --tool-version sets it (.ci/bench passes `ttusage --version`)
GENERATED_AT = datetime.datetime(2026, 1, 1, 0, 0, 0)
GENERATED_AT_TEXT = "2026-01-01T00:00:00Z"
FIRST_DAY = datetime.date(2025, 1, 1)
FIRST_DAY_SERIAL = 45658  # Excel's serial of 2025-01-01
ENVIRONMENT = "ext_prod_live"
ROW_LIMIT = 1048576  # a worksheet's rows, header included
MAX_TEXT = 32767  # a cell's longest text
NEAR_QUOTA = 0.9  # the Summary highlights a key at its quota or whose peak utilisation reaches this
SHARE_BASE = 50000  # both daily quotas divide this


def is_missing(k, d): return (k * 31 + d * 17) % 97 == 0
def quota_of(k): return 50000 if k % 3 == 0 else 5000


def used_of(k, d):
    if (k * 13 + d) % 211 == 0:
        return quota_of(k)
    used = (k * 7919 + d * 104729) % 5000
    return used * 10 if k % 3 == 0 else used


def day_text(offset): return (FIRST_DAY + datetime.timedelta(days=offset)).isoformat()
def serial_of(offset): return FIRST_DAY_SERIAL + offset


def rounded(num, den, places):
    """num / den rounded half away from zero to `places` places (num >= 0, den > 0), as the nearest double."""
    scale = 100 if places == 2 else 10000
    return ((num * scale * 2 + den) // (den * 2)) / scale


def key_texts(k):
    """A key's app_key, user_id and label."""
    return "%08X-0000-4000-8000-%012X" % (k, k), "user%d" % (k % 200), "Customer %d" % (k % 50)


class Figures:
    """A key's figures over its days (a Summary row), or the total's."""

    def __init__(self):
        self.ok = self.missing = self.at_quota = 0
        self.peak_used, self.peak_day = -1, 0  # the first day with the most calls; -1: no day reported
        self.share_used, self.share_limit = 0, 0  # the day with the highest share of its quota (0: none)
        self.used = 0
        self.share_sum = 0  # sum of used / quota over the days with a quota, in SHARE_BASE-ths
        self.share_days = 0
        self.peak_utilisation = 0.0

    def add_day(self, used, quota, day):
        remaining = max(quota - used, 0)
        limit = used + remaining
        self.ok += 1
        self.used += used
        if used > self.peak_used:
            self.peak_used, self.peak_day = used, day
        if remaining == 0:
            self.at_quota += 1
        if limit > 0:
            if self.share_limit == 0 or self.share_used * limit < used * self.share_limit:
                self.share_used, self.share_limit = used, limit
            self.share_sum += used * (SHARE_BASE // limit)
            self.share_days += 1
            self.peak_utilisation = max(self.peak_utilisation, used / limit)

    def merge(self, other):
        """Adds `other`'s days (the total row): ties of the peak go to the earlier day."""
        self.ok += other.ok
        self.missing += other.missing
        self.at_quota += other.at_quota
        self.used += other.used
        self.share_sum += other.share_sum
        self.share_days += other.share_days
        if other.peak_used >= 0 and (self.peak_used < 0 or other.peak_used > self.peak_used or
                                     (other.peak_used == self.peak_used and other.peak_day < self.peak_day)):
            self.peak_used, self.peak_day = other.peak_used, other.peak_day
        if other.share_limit > 0 and (self.share_limit == 0 or
                                      self.share_used * other.share_limit < other.share_used * self.share_limit):
            self.share_used, self.share_limit = other.share_used, other.share_limit
        self.peak_utilisation = max(self.peak_utilisation, other.peak_utilisation)

    def status(self): return "incomplete" if self.missing else "complete"


TEXT, INTEGER, DECIMAL, PERCENT, DATE = range(5)
PLAIN, HEADER, FLAGGED, TOTAL, TITLE = range(5)
NUM_FORMATS = {INTEGER: "#,##0", DECIMAL: "#,##0.00", PERCENT: "0.0%", DATE: "yyyy-mm-dd"}


class Report:
    def __init__(self, keys, days):
        self.keys, self.days = keys, days
        self.formats = {}
        # Each key's figures and each day's total (None when no key reported the day).
        self.figures = []
        self.day_totals = [None] * days
        for k in range(keys):
            f = Figures()
            for d in range(days):
                if is_missing(k, d):
                    f.missing += 1
                    continue
                used = used_of(k, d)
                f.add_day(used, quota_of(k), d)
                self.day_totals[d] = (self.day_totals[d] or 0) + used
            self.figures.append(f)

    def format_of(self, kind, tone):
        """The format of a cell of `kind` on a row of `tone`, made on first use."""
        if (kind, tone) not in self.formats:
            properties = {}
            if kind in NUM_FORMATS: properties["num_format"] = NUM_FORMATS[kind]
            if tone in (HEADER, TOTAL, TITLE): properties["bold"] = True
            if tone == TITLE: properties["font_size"] = 13
            if tone == HEADER: properties["bg_color"] = "#D9E1F2"
            if tone == FLAGGED: properties["bg_color"] = "#FCE4D6"
            if tone == TOTAL: properties["bg_color"] = "#DDEBF7"
            if tone == TOTAL: properties["top"] = 1  # thin
            if tone == HEADER: properties["bottom"] = 1  # thin
            if tone == TOTAL: properties["bottom"] = 6  # double
            self.formats[kind, tone] = self.workbook.add_format(properties)
        return self.formats[kind, tone]

    def set_up_page(self, sheet, widths, rows, header, bordered):
        """How a sheet prints: A4, one page wide, the footer; landscape when wider than long."""
        if sum(widths) * 7 + 5 > max(rows, 1) * 20:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        if header and rows > 0:
            sheet.repeat_rows(0, 0)
        sheet.set_footer(self.footer)
        sheet.hide_gridlines(2 if bordered else 1)  # 2: on screen too; 1: printed only

    def write(self, out):
        first, last = day_text(0), day_text(self.days - 1)
        period = "%s to %s" % (first, last)
        self.footer = "&LTT API key usage, %s&RPage &P of &N" % period
        # ZIP64 only when the file could pass 4 GB.
        self.workbook = xlsxwriter.Workbook(out, {"constant_memory": True,
                                                  "use_zip64": self.keys * self.days > 8000000})
        self.workbook.set_properties({
            "title": "TT API key usage, %s" % period,
            "subject": "Daily usage of TT REST API 2.0 application keys (%s), %s" % (ENVIRONMENT, period),
            "author": "ttusage " + TOOL_VERSION,
            "keywords": "ttusage, TT REST API, key usage, none",
            "comments": "Made by ttusage " + TOOL_VERSION + " with the none template",
            "created": GENERATED_AT,
        })
        self.workbook.set_custom_property("ttusage version", TOOL_VERSION)
        self.write_summary()
        self.write_daily()
        self.write_charts()
        self.write_about()
        self.workbook.close()

    # --- Summary ---

    SUMMARY_HEADER = ["label", "app_key", "user_id", "status", "days_ok", "days_missing", "total_used",
                      "mean_per_day", "peak_date", "peak_used", "days_at_quota", "mean_utilisation",
                      "peak_utilisation"]
    SUMMARY_TYPES = [TEXT, TEXT, TEXT, TEXT, INTEGER, INTEGER, INTEGER, DECIMAL, DATE, INTEGER, INTEGER, PERCENT,
                     PERCENT]

    def write_summary_row(self, sheet, row, key, f, formats, plain):
        """A key's row (key >= 0) or the total's; an empty cell is a formatted blank on a highlighted or total
        row only."""
        if key >= 0:
            app_key, user_id, label = key_texts(key)
            for c, text in enumerate([label, app_key, user_id, f.status()]):
                sheet.write_string(row, c, text, formats[c])
        else:
            sheet.write_string(row, 0, "Total", formats[0])
            for c in range(1, 4):
                sheet.write_blank(row, c, None, formats[c])
        values = [None] * 13
        values[4] = f.ok
        values[5] = f.missing
        if f.ok > 0:
            values[6] = f.used
            values[7] = rounded(f.used, f.ok, 2)
        if f.peak_used >= 0:
            values[8] = serial_of(f.peak_day)
            values[9] = f.peak_used
        values[10] = f.at_quota
        if f.share_limit > 0:
            values[11] = rounded(f.share_sum, SHARE_BASE * f.share_days, 4)
            values[12] = rounded(f.share_used, f.share_limit, 4)
        for c in range(4, 13):
            if values[c] is not None:
                sheet.write_number(row, c, values[c], formats[c])
            elif not plain:
                sheet.write_blank(row, c, None, formats[c])

    def write_summary(self):
        header = self.format_of(TEXT, HEADER)
        # Column widths: the header's length + 3, and the longest text of the first 2,000 rows + 2 (at most 60).
        widths = []
        for c, kind in enumerate(self.SUMMARY_TYPES):
            header_width = len(self.SUMMARY_HEADER[c]) + 3
            if kind == DATE: widths.append(max(header_width, 11.5))
            elif kind == INTEGER: widths.append(max(header_width, 10))
            elif kind in (DECIMAL, PERCENT): widths.append(max(header_width, 11))
            else:
                longest = 0
                for k in range(min(self.keys, 2000)):
                    app_key, user_id, label = key_texts(k)
                    longest = max(longest, len([label, app_key, user_id, self.figures[k].status()][c]))
                widths.append(min(max(longest + 2, header_width, 8), 60))
        total = Figures()
        for f in self.figures:
            total.merge(f)

        all_rows = self.keys + 1  # the keys, then the total row
        row_formats = {}
        index, part = 0, 1
        while True:
            sheet = self.workbook.add_worksheet("Summary" if part == 1 else "Summary (%d)" % part)
            for c in range(13):
                sheet.set_column(c, c, widths[c])
            for c in range(13):
                sheet.write_string(0, c, self.SUMMARY_HEADER[c], header)
            sheet.freeze_panes(1, 0)
            # In constant_memory mode the filter must be set before the rows it covers are written.
            end = min(all_rows, index + ROW_LIMIT - 1)
            data_rows = max(min(end, self.keys) - index, 0)
            sheet.autofilter(0, 0, data_rows, 12)
            self.set_up_page(sheet, widths, 1 + end - index, True, False)
            row = 1
            while index < end:
                f = self.figures[index] if index < self.keys else total
                if index == self.keys: tone = TOTAL
                elif f.at_quota > 0 or f.peak_utilisation >= NEAR_QUOTA: tone = FLAGGED
                else: tone = PLAIN
                if tone not in row_formats:
                    row_formats[tone] = [None if kind == TEXT and tone == PLAIN else self.format_of(kind, tone)
                                         for kind in self.SUMMARY_TYPES]
                self.write_summary_row(sheet, row, index if index < self.keys else -1, f, row_formats[tone],
                                       tone == PLAIN)
                row += 1
                index += 1
            part += 1
            if index >= all_rows:
                break

    # --- Daily ---

    DAILY_HEADER = ["date", "app_key", "user_id", "label", "used", "remaining", "status"]

    def start_daily(self, part, rows, widths):
        header = self.format_of(TEXT, HEADER)
        sheet = self.workbook.add_worksheet("Daily" if part == 1 else "Daily (%d)" % part)
        for c in range(7):
            sheet.set_column(c, c, widths[c])
        for c in range(7):
            sheet.write_string(0, c, self.DAILY_HEADER[c], header)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, rows, 6)
        self.set_up_page(sheet, widths, rows + 1, True, False)
        return sheet

    def write_daily(self):
        self.format_of(TEXT, HEADER)
        date = self.format_of(DATE, PLAIN)
        count = self.format_of(INTEGER, PLAIN)
        key_width = user_width = label_width = 8
        for k in range(self.keys):
            app_key, user_id, label = key_texts(k)
            key_width = max(key_width, len(app_key))
            user_width = max(user_width, len(user_id))
            label_width = max(label_width, len(label))
        widths = [11.5, key_width + 2, user_width + 2, min(label_width + 2, 60), 10, 11, 12]

        left = self.keys * self.days
        part = 1
        sheet = self.start_daily(part, min(left, ROW_LIMIT - 1), widths)
        row = 1
        for k in range(self.keys):
            app_key, user_id, label = key_texts(k)
            quota = quota_of(k)
            for d in range(self.days):
                if row >= ROW_LIMIT:
                    part += 1
                    sheet = self.start_daily(part, min(left, ROW_LIMIT - 1), widths)
                    row = 1
                sheet.write_number(row, 0, serial_of(d), date)
                sheet.write_string(row, 1, app_key)
                sheet.write_string(row, 2, user_id)
                sheet.write_string(row, 3, label)
                if is_missing(k, d):
                    sheet.write_string(row, 6, "missing")
                else:
                    used = used_of(k, d)
                    sheet.write_number(row, 4, used, count)
                    sheet.write_number(row, 5, max(quota - used, 0), count)
                    sheet.write_string(row, 6, "ok")
                row += 1
                left -= 1

    # --- Charts ---

    @staticmethod
    def chart_titles(chart, title):
        chart.set_title({"name": title})
        chart.set_x_axis({"name": "Day (UTC)", "num_format": "yyyy-mm-dd"})
        chart.set_y_axis({"name": "Calls", "num_format": "#,##0"})
        chart.show_blanks_as("gap")

    @staticmethod
    def add_series(chart, sheet, days, column):
        chart.add_series({"categories": [sheet, 1, 0, days, 0], "values": [sheet, 1, column, days, column],
                          "name": [sheet, 0, column]})

    def write_charts(self):
        name = "Charts"
        sheet = self.workbook.add_worksheet(name)
        header = self.format_of(TEXT, HEADER)
        date = self.format_of(DATE, PLAIN)
        count = self.format_of(INTEGER, PLAIN)
        days = min(self.days, ROW_LIMIT - 1)
        # The five busiest keys with calls: the most calls first, then the first key.
        busy = [k for k in range(self.keys) if self.figures[k].used > 0]
        top = sorted(busy, key=lambda k: (-self.figures[k].used, k))[:5]

        sheet.set_column(0, 0, 11.5)
        sheet.set_column(1, 1 + len(top), 14)
        sheet.write_string(0, 0, "date", header)
        sheet.write_string(0, 1, "all_keys", header)
        for t, k in enumerate(top):
            app_key, _, label = key_texts(k)
            sheet.write_string(0, 2 + t, "%s (%s)" % (label, app_key[:8]), header)
        sheet.freeze_panes(1, 0)
        for d in range(days):
            sheet.write_number(d + 1, 0, serial_of(d), date)
            if self.day_totals[d] is not None:
                sheet.write_number(d + 1, 1, self.day_totals[d], count)
            for t, k in enumerate(top):
                if not is_missing(k, d):
                    sheet.write_number(d + 1, 2 + t, used_of(k, d), count)

        chart_column = 3 + len(top)
        every = self.workbook.add_chart({"type": "line"})
        self.add_series(every, name, days, 1)
        self.chart_titles(every, "Calls per day, all keys")
        every.set_legend({"none": True})
        sheet.insert_chart(1, chart_column, every, {"x_scale": 1.6, "y_scale": 1.2})
        if top:
            busiest = self.workbook.add_chart({"type": "line"})
            for t in range(len(top)):
                self.add_series(busiest, name, days, 2 + t)
            self.chart_titles(busiest, "Busiest keys, calls per day")
            busiest.set_legend({"position": "bottom"})
            sheet.insert_chart(21, chart_column, busiest, {"x_scale": 1.6, "y_scale": 1.4})
        # What prints is the two charts, on one landscape page.
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 1)
        sheet.print_area(0, chart_column, 42 if top else 19, chart_column + 12)
        sheet.set_footer(self.footer)
        sheet.hide_gridlines(2)

    # --- About ---

    def missing_spans(self, k):
        """A key's missing days as spans, `2025-01-01 to 2025-01-03, 2025-03-03`, cut to what a cell holds."""
        spans, start, end = [], None, None
        for d in range(self.days):
            if not is_missing(k, d):
                continue
            if start is not None and d == end + 1:
                end = d
                continue
            if start is not None:
                spans.append((start, end))
            start = end = d
        if start is not None:
            spans.append((start, end))
        texts = [day_text(s) if s == e else "%s to %s" % (day_text(s), day_text(e)) for s, e in spans]
        return ", ".join(texts)[:MAX_TEXT]

    def write_about(self):
        sheet = self.workbook.add_worksheet("About")
        title = self.format_of(TEXT, TITLE)
        header = self.format_of(TEXT, HEADER)
        date = self.format_of(DATE, PLAIN)
        count = self.format_of(INTEGER, PLAIN)
        widths = [24, 40, 16, 24, 60]
        for c in range(5):
            sheet.set_column(c, c, widths[c])
        incomplete = sum(1 for f in self.figures if f.missing)
        complete = self.keys - incomplete

        row = 0

        def item(label, value, fmt=None):
            nonlocal row
            sheet.write_string(row, 0, label, header)
            if isinstance(value, str):
                sheet.write_string(row, 1, value)
            else:
                sheet.write_number(row, 1, value, fmt)
            row += 1

        def heading(text):
            nonlocal row
            sheet.write_string(row, 0, text, title)
            row += 1

        heading("TT API key usage report")
        row += 1
        item("environment", ENVIRONMENT)
        from_row = row
        item("from", serial_of(0), date)
        to_row = row
        item("to", serial_of(self.days - 1), date)
        item("days", self.days, count)
        item("generated_at", GENERATED_AT_TEXT)
        item("generated_by", "ttusage " + TOOL_VERSION)
        item("template", "none (none)")
        item("keys", self.keys, count)
        item("keys_complete", complete, count)
        item("keys_incomplete", incomplete, count)
        item("keys_failed", 0, count)

        row += 1
        heading("Options")
        item("keys", "synthetic")
        item("concurrency", "4")

        row += 1
        heading("Failures")
        sheet.write_string(row, 0, "none")
        row += 1

        row += 1
        heading("Missing days")
        if incomplete == 0:
            sheet.write_string(row, 0, "none")
            row += 1
        else:
            for c, text in enumerate(["app_key", "user_id", "label", "days_missing", "dates"]):
                sheet.write_string(row, c, text, header)
            row += 1
            for k in range(self.keys):
                if not self.figures[k].missing:
                    continue
                app_key, user_id, label = key_texts(k)
                sheet.write_string(row, 0, app_key)
                sheet.write_string(row, 1, user_id)
                sheet.write_string(row, 2, label)
                sheet.write_number(row, 3, self.figures[k].missing, count)
                sheet.write_string(row, 4, self.missing_spans(k))
                row += 1
        self.set_up_page(sheet, widths, row, False, True)

        self.workbook.define_name("ReportFrom", "='About'!$B$%d" % (from_row + 1))
        self.workbook.define_name("ReportTo", "='About'!$B$%d" % (to_row + 1))


def main():
    global TOOL_VERSION
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--out", default="xlsxwriter.xlsx")
    parser.add_argument("--tool-version", default=TOOL_VERSION)
    a = parser.parse_args()
    if a.keys < 1 or a.days < 1 or a.days > ROW_LIMIT - 1:
        parser.error("bad --keys or --days")
    start = time.monotonic()
    # Each key's figures and each day's total, then the workbook, as the C program times them.
    TOOL_VERSION = a.tool_version
    Report(a.keys, a.days).write(a.out)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("bench-xlsxwriter: %d keys x %d days: %.3f s, peak RSS %.1f MB" % (a.keys, a.days, seconds, peak))


if __name__ == "__main__":
    main()
