#!/usr/bin/env python3
"""Python's XlsxWriter writing the cells Sources/xlsx-baseline/main.c writes (same data, formats, sheets, charts),
in constant_memory mode: a second yardstick for the XLSX renderer. A measurement, not a test.

    python3 .ci/bench-xlsxwriter.py [--keys 1000] [--days 365] [--out FILE]

Needs `pip install xlsxwriter`. Prints the elapsed time and the peak resident set size.
"""
import argparse, resource, time
import xlsxwriter

FIRST_DAY_SERIAL = 45658.0  # 2025-01-01

def is_missing(k, d): return (k * 31 + d * 17) % 97 == 0
def quota_of(k): return 50000 if k % 3 == 0 else 5000
def used_of(k, d):
    if (k * 13 + d) % 211 == 0: return quota_of(k)
    used = (k * 7919 + d * 104729) % 5000
    return used * 10 if k % 3 == 0 else used

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--out", default="xlsxwriter.xlsx")
    a = parser.parse_args()
    keys, days = a.keys, a.days
    start = time.monotonic()
    wb = xlsxwriter.Workbook(a.out, {"constant_memory": True})
    wb.set_properties({"title": "TT API key usage", "subject": "baseline", "author": "bench-xlsxwriter"})
    header = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "bottom": 1})
    integer = wb.add_format({"num_format": "#,##0"})
    decimal = wb.add_format({"num_format": "#,##0.00"})
    percent = wb.add_format({"num_format": "0.0%"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    flagged_integer = wb.add_format({"num_format": "#,##0", "bg_color": "#FCE4D6"})
    total = wb.add_format({"bold": True, "num_format": "#,##0", "bg_color": "#DDEBF7"})
    summary_header = ["label", "app_key", "user_id", "status", "days_ok", "days_missing", "total_used",
                      "mean_per_day", "peak_date", "peak_used", "days_at_quota", "mean_utilisation", "peak_utilisation"]
    daily_header = ["date", "app_key", "user_id", "label", "used", "remaining", "status"]

    summary = wb.add_worksheet("Summary")
    for c, name in enumerate(summary_header): summary.write_string(0, c, name, header)
    summary.freeze_panes(1, 0)
    summary.autofilter(0, 0, keys, 12)
    key_totals = [0] * keys
    day_totals = [0.0] * days
    grand = 0
    for k in range(keys):
        ok = missing = at_quota = 0; peak = -1; peak_day = 0; used_sum = 0; u_sum = 0.0; u_peak = 0.0
        for d in range(days):
            if is_missing(k, d): missing += 1; continue
            used = used_of(k, d); quota = quota_of(k); remaining = max(quota - used, 0)
            ok += 1; used_sum += used; day_totals[d] += used
            if used > peak: peak, peak_day = used, d
            if remaining == 0: at_quota += 1
            u = used / (used + remaining); u_sum += u; u_peak = max(u_peak, u)
        key_totals[k] = used_sum; grand += used_sum
        app_key = "%08X-0000-4000-8000-%012X" % (k, k)
        flagged = at_quota > 0 or u_peak >= 0.9
        f = flagged_integer if flagged else integer
        r = k + 1
        summary.write_string(r, 0, "Customer %d" % (k % 50)); summary.write_string(r, 1, app_key)
        summary.write_string(r, 2, "user%d" % (k % 200)); summary.write_string(r, 3, "incomplete" if missing else "complete")
        summary.write_number(r, 4, ok, f); summary.write_number(r, 5, missing, f); summary.write_number(r, 6, used_sum, f)
        summary.write_number(r, 7, used_sum / ok if ok else 0, decimal)
        summary.write_number(r, 8, FIRST_DAY_SERIAL + peak_day, date); summary.write_number(r, 9, peak, integer)
        summary.write_number(r, 10, at_quota, integer)
        summary.write_number(r, 11, u_sum / ok if ok else 0, percent); summary.write_number(r, 12, u_peak, percent)
    summary.write_string(keys + 1, 0, "Total", total); summary.write_number(keys + 1, 6, grand, total)

    daily = wb.add_worksheet("Daily")
    daily.set_column(0, 0, 11.5); daily.set_column(1, 1, 38)
    for c, name in enumerate(daily_header): daily.write_string(0, c, name, header)
    daily.freeze_panes(1, 0)
    daily.autofilter(0, 0, keys * days, 6)
    row = 1
    for k in range(keys):
        app_key = "%08X-0000-4000-8000-%012X" % (k, k); user = "user%d" % (k % 200); label = "Customer %d" % (k % 50)
        for d in range(days):
            daily.write_number(row, 0, FIRST_DAY_SERIAL + d, date)
            daily.write_string(row, 1, app_key); daily.write_string(row, 2, user); daily.write_string(row, 3, label)
            if is_missing(k, d):
                daily.write_string(row, 6, "missing")
            else:
                used = used_of(k, d)
                daily.write_number(row, 4, used, integer)
                daily.write_number(row, 5, max(quota_of(k) - used, 0), integer)
                daily.write_string(row, 6, "ok")
            row += 1

    top = sorted(range(keys), key=lambda k: (-key_totals[k], k))[:min(5, keys)]
    charts = wb.add_worksheet("Charts")
    charts.write_string(0, 0, "date", header); charts.write_string(0, 1, "all_keys", header)
    for t, k in enumerate(top): charts.write_string(0, 2 + t, "Customer %d" % (k % 50), header)
    for d in range(days):
        charts.write_number(d + 1, 0, FIRST_DAY_SERIAL + d, date); charts.write_number(d + 1, 1, day_totals[d], integer)
        for t, k in enumerate(top):
            if not is_missing(k, d): charts.write_number(d + 1, 2 + t, used_of(k, d), integer)
    every = wb.add_chart({"type": "line"})
    every.add_series({"categories": ["Charts", 1, 0, days, 0], "values": ["Charts", 1, 1, days, 1], "name": ["Charts", 0, 1]})
    every.set_title({"name": "Calls per day, all keys"})
    charts.insert_chart(1, 3 + len(top), every)
    busiest = wb.add_chart({"type": "line"})
    for t in range(len(top)):
        busiest.add_series({"categories": ["Charts", 1, 0, days, 0], "values": ["Charts", 1, 2 + t, days, 2 + t],
                            "name": ["Charts", 0, 2 + t]})
    busiest.set_title({"name": "Busiest keys, calls per day"})
    charts.insert_chart(21, 3 + len(top), busiest)

    about = wb.add_worksheet("About")
    about.write_string(0, 0, "TT API key usage report", header)
    about.write_string(2, 0, "environment", header); about.write_string(2, 1, "ext_prod_live")
    about.write_string(3, 0, "generated_by", header); about.write_string(3, 1, "bench-xlsxwriter")
    wb.close()
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("bench-xlsxwriter: %d keys x %d days: %.3f s, peak RSS %.1f MB" % (keys, days, seconds, peak))

if __name__ == "__main__":
    main()
