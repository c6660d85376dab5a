/*
 * xlsx-baseline: the plain C program ttusage's XLSX renderer is measured against.
 *
 * It writes, with libxlsxwriter in constant_memory mode, the cells ttusage writes for a report without template
 * tables: a Summary sheet (a row per key and a totals row), a Daily sheet (a row per key per day: date, app_key,
 * user_id, label, used, remaining, status), a Charts sheet (daily totals and the five busiest keys, two line
 * charts) and a short About sheet. The synthetic data is the one `ttusage-bench` generates.
 *
 *     xlsx-baseline [--keys N] [--days N] [--out FILE]
 *
 * It prints the elapsed time and the peak resident set size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <xlsxwriter.h>

#define FIRST_DAY_SERIAL 45658.0 /* 2025-01-01 */

static int is_missing(int key, int day) { return (key * 31 + day * 17) % 97 == 0; }
static int quota_of(int key) { return key % 3 == 0 ? 50000 : 5000; }
static int used_of(int key, int day) {
    if ((key * 13 + day) % 211 == 0) return quota_of(key);
    int used = (int)(((int64_t)key * 7919 + (int64_t)day * 104729) % 5000);
    return key % 3 == 0 ? used * 10 : used;
}

static int check(lxw_error error, const char *what) {
    if (error != LXW_NO_ERROR) {
        fprintf(stderr, "xlsx-baseline: %s: %s\n", what, lxw_strerror(error));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    int keys = 1000, days = 365;
    const char *out = "baseline.xlsx";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--keys") == 0) keys = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--days") == 0) days = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--out") == 0) out = argv[i + 1];
    }
    if (keys < 1 || days < 1 || days > 1048575) {
        fprintf(stderr, "xlsx-baseline: bad --keys or --days\n");
        return 64;
    }

    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);

    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *workbook = workbook_new_opt(out, &options);
    if (!workbook) {
        fprintf(stderr, "xlsx-baseline: cannot create %s\n", out);
        return 73;
    }
    lxw_doc_properties properties = {.title = "TT API key usage", .subject = "baseline", .author = "xlsx-baseline"};
    workbook_set_properties(workbook, &properties);

    lxw_format *header = workbook_add_format(workbook);
    format_set_bold(header);
    format_set_bg_color(header, 0xD9E1F2);
    format_set_bottom(header, LXW_BORDER_THIN);
    lxw_format *integer = workbook_add_format(workbook);
    format_set_num_format(integer, "#,##0");
    lxw_format *decimal = workbook_add_format(workbook);
    format_set_num_format(decimal, "#,##0.00");
    lxw_format *percent = workbook_add_format(workbook);
    format_set_num_format(percent, "0.0%");
    lxw_format *date = workbook_add_format(workbook);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *flagged_integer = workbook_add_format(workbook);
    format_set_num_format(flagged_integer, "#,##0");
    format_set_bg_color(flagged_integer, 0xFCE4D6);
    lxw_format *total = workbook_add_format(workbook);
    format_set_bold(total);
    format_set_num_format(total, "#,##0");
    format_set_bg_color(total, 0xDDEBF7);

    char app_key[40], user_id[24], label[24];
    static const char *summary_header[] = {"label", "app_key", "user_id", "status", "days_ok", "days_missing",
        "total_used", "mean_per_day", "peak_date", "peak_used", "days_at_quota", "mean_utilisation",
        "peak_utilisation"};
    static const char *daily_header[] = {"date", "app_key", "user_id", "label", "used", "remaining", "status"};

    /* Summary. */
    lxw_worksheet *summary = workbook_add_worksheet(workbook, "Summary");
    for (int c = 0; c < 13; c++) worksheet_write_string(summary, 0, c, summary_header[c], header);
    worksheet_freeze_panes(summary, 1, 0);
    /* In constant_memory mode the filter must be set before the rows it covers are written. */
    worksheet_autofilter(summary, 0, 0, (lxw_row_t)keys, 12);
    int64_t grand_total = 0;
    int64_t *key_totals = calloc((size_t)keys, sizeof(int64_t));
    double *day_totals = calloc((size_t)days, sizeof(double));
    if (!key_totals || !day_totals) return 71;
    for (int k = 0; k < keys; k++) {
        int ok = 0, missing = 0, peak = -1, peak_day = 0, at_quota = 0;
        int64_t used_sum = 0;
        double utilisation_sum = 0, utilisation_peak = 0;
        for (int d = 0; d < days; d++) {
            if (is_missing(k, d)) { missing++; continue; }
            int used = used_of(k, d), quota = quota_of(k);
            int remaining = quota - used > 0 ? quota - used : 0;
            ok++;
            used_sum += used;
            day_totals[d] += used;
            if (used > peak) { peak = used; peak_day = d; }
            if (remaining == 0) at_quota++;
            double utilisation = (double)used / (double)(used + remaining);
            utilisation_sum += utilisation;
            if (utilisation > utilisation_peak) utilisation_peak = utilisation;
        }
        key_totals[k] = used_sum;
        grand_total += used_sum;
        snprintf(app_key, sizeof app_key, "%08X-0000-4000-8000-%012X", k, k);
        snprintf(user_id, sizeof user_id, "user%d", k % 200);
        snprintf(label, sizeof label, "Customer %d", k % 50);
        int flagged = at_quota > 0 || utilisation_peak >= 0.9;
        lxw_row_t row = (lxw_row_t)k + 1;
        worksheet_write_string(summary, row, 0, label, NULL);
        worksheet_write_string(summary, row, 1, app_key, NULL);
        worksheet_write_string(summary, row, 2, user_id, NULL);
        worksheet_write_string(summary, row, 3, missing ? "incomplete" : "complete", NULL);
        worksheet_write_number(summary, row, 4, ok, flagged ? flagged_integer : integer);
        worksheet_write_number(summary, row, 5, missing, flagged ? flagged_integer : integer);
        worksheet_write_number(summary, row, 6, (double)used_sum, flagged ? flagged_integer : integer);
        worksheet_write_number(summary, row, 7, ok ? (double)used_sum / ok : 0, decimal);
        worksheet_write_number(summary, row, 8, FIRST_DAY_SERIAL + peak_day, date);
        worksheet_write_number(summary, row, 9, peak, integer);
        worksheet_write_number(summary, row, 10, at_quota, integer);
        worksheet_write_number(summary, row, 11, ok ? utilisation_sum / ok : 0, percent);
        worksheet_write_number(summary, row, 12, utilisation_peak, percent);
    }
    worksheet_write_string(summary, (lxw_row_t)keys + 1, 0, "Total", total);
    worksheet_write_number(summary, (lxw_row_t)keys + 1, 6, (double)grand_total, total);

    /* Daily. */
    lxw_worksheet *daily = workbook_add_worksheet(workbook, "Daily");
    worksheet_set_column(daily, 0, 0, 11.5, NULL);
    worksheet_set_column(daily, 1, 1, 38, NULL);
    for (int c = 0; c < 7; c++) worksheet_write_string(daily, 0, c, daily_header[c], header);
    worksheet_freeze_panes(daily, 1, 0);
    worksheet_autofilter(daily, 0, 0, (lxw_row_t)keys * (lxw_row_t)days, 6);
    lxw_row_t row = 1;
    for (int k = 0; k < keys; k++) {
        snprintf(app_key, sizeof app_key, "%08X-0000-4000-8000-%012X", k, k);
        snprintf(user_id, sizeof user_id, "user%d", k % 200);
        snprintf(label, sizeof label, "Customer %d", k % 50);
        for (int d = 0; d < days; d++, row++) {
            worksheet_write_number(daily, row, 0, FIRST_DAY_SERIAL + d, date);
            worksheet_write_string(daily, row, 1, app_key, NULL);
            worksheet_write_string(daily, row, 2, user_id, NULL);
            worksheet_write_string(daily, row, 3, label, NULL);
            if (is_missing(k, d)) {
                worksheet_write_string(daily, row, 6, "missing", NULL);
                continue;
            }
            int used = used_of(k, d), quota = quota_of(k);
            worksheet_write_number(daily, row, 4, used, integer);
            worksheet_write_number(daily, row, 5, quota - used > 0 ? quota - used : 0, integer);
            worksheet_write_string(daily, row, 6, "ok", NULL);
        }
    }

    /* Charts: daily totals and the five busiest keys. */
    int top[5], top_count = keys < 5 ? keys : 5;
    for (int t = 0; t < top_count; t++) {
        int best = -1;
        for (int k = 0; k < keys; k++) {
            int taken = 0;
            for (int u = 0; u < t; u++) taken |= top[u] == k;
            if (!taken && (best < 0 || key_totals[k] > key_totals[best])) best = k;
        }
        top[t] = best;
    }
    lxw_worksheet *charts = workbook_add_worksheet(workbook, "Charts");
    worksheet_write_string(charts, 0, 0, "date", header);
    worksheet_write_string(charts, 0, 1, "all_keys", header);
    for (int t = 0; t < top_count; t++) {
        snprintf(label, sizeof label, "Customer %d", top[t] % 50);
        worksheet_write_string(charts, 0, 2 + t, label, header);
    }
    for (int d = 0; d < days; d++) {
        worksheet_write_number(charts, d + 1, 0, FIRST_DAY_SERIAL + d, date);
        worksheet_write_number(charts, d + 1, 1, day_totals[d], integer);
        for (int t = 0; t < top_count; t++)
            if (!is_missing(top[t], d)) worksheet_write_number(charts, d + 1, 2 + t, used_of(top[t], d), integer);
    }
    lxw_chart *all = workbook_add_chart(workbook, LXW_CHART_LINE);
    lxw_chart_series *series = chart_add_series(all, NULL, NULL);
    chart_series_set_categories(series, "Charts", 1, 0, days, 0);
    chart_series_set_values(series, "Charts", 1, 1, days, 1);
    chart_series_set_name_range(series, "Charts", 0, 1);
    chart_title_set_name(all, "Calls per day, all keys");
    worksheet_insert_chart(charts, 1, 3 + top_count, all);
    lxw_chart *busiest = workbook_add_chart(workbook, LXW_CHART_LINE);
    for (int t = 0; t < top_count; t++) {
        series = chart_add_series(busiest, NULL, NULL);
        chart_series_set_categories(series, "Charts", 1, 0, days, 0);
        chart_series_set_values(series, "Charts", 1, 2 + t, days, 2 + t);
        chart_series_set_name_range(series, "Charts", 0, 2 + t);
    }
    chart_title_set_name(busiest, "Busiest keys, calls per day");
    worksheet_insert_chart(charts, 21, 3 + top_count, busiest);

    /* About. */
    lxw_worksheet *about = workbook_add_worksheet(workbook, "About");
    worksheet_write_string(about, 0, 0, "TT API key usage report", header);
    worksheet_write_string(about, 2, 0, "environment", header);
    worksheet_write_string(about, 2, 1, "ext_prod_live", NULL);
    worksheet_write_string(about, 3, 0, "generated_by", header);
    worksheet_write_string(about, 3, 1, "xlsx-baseline", NULL);

    int failed = check(workbook_close(workbook), "workbook_close");
    clock_gettime(CLOCK_MONOTONIC, &end);
    free(key_totals);
    free(day_totals);
    if (failed) return 73;

    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("xlsx-baseline: %d keys x %d days: %.3f s, peak RSS %.1f MB\n", keys, days, seconds,
           (double)usage.ru_maxrss / 1024.0);
    return 0;
}
