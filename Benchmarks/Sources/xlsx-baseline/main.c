/*
 * xlsx-baseline: the plain C program ttusage's XLSX renderer is measured against.
 *
 * It writes, with libxlsxwriter in constant_memory mode, the workbook `ttusage-bench xlsx --template none` writes
 * when it streams one (past 600,000 cells, as at the default 1,000 keys x 365 days; a smaller report ttusage holds
 * in memory and gives Excel tables, which this program does not), with the same libxlsxwriter calls in the same
 * order as Sources/UsageReports (XLSXReportWriter and its sheet writers) and Sources/XLSXKit make them:
 *
 *   - the document properties (title, subject, author, keywords, comments, created = the dataset's generatedAt)
 *     and the custom property "ttusage version";
 *   - Summary: a row per key (label, app_key, user_id, status, days_ok, days_missing, total_used, mean_per_day,
 *     peak_date, peak_used, days_at_quota, mean_utilisation, peak_utilisation; means and shares rounded half away
 *     from zero to 2 and 4 places, exactly, as ttusage's decimals), rows near their quota highlighted, and a total
 *     row; column widths from the texts, header frozen, an autofilter;
 *   - Daily (going on in `Daily (2)`, ... past the row limit): a row per key per day (date, app_key, user_id,
 *     label, used, remaining, status), header frozen, an autofilter;
 *   - Charts: daily totals and the five busiest keys' calls per day, and two line charts of them (axis titles,
 *     number formats, legend below the second only), printing the charts on one landscape page;
 *   - About: the period (the cells of the defined names ReportFrom and ReportTo), how and when the report was made
 *     (as ttusage of `--tool-version` with the template `none`), the options, the failures (none) and a row per key with missing
 *     days, with those days as spans;
 *   - ttusage's page setup: every sheet on A4 with the footer (the period, `Page N of M`); Summary, Daily and About
 *     portrait or landscape by their shape and one page wide, the header row repeated on Summary and Daily; no
 *     gridlines on screen on Charts and About.
 *
 * Every value is computed here from the synthetic formulas `ttusage-bench` generates its dataset with
 * (Benchmarks/Sources/ttusage-bench/main.swift). `.ci/bench` checks that this workbook and ttusage's hold the
 * same cells.
 *
 *     xlsx-baseline [--keys N] [--days N] [--out FILE] [--tool-version V]
 *
 * `--tool-version` is the ttusage version the workbook names (`.ci/bench` passes `ttusage --version`).
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

/* What `ttusage-bench` writes: the dataset's generatedAt (2026-01-01T00:00:00Z) and its first day, 2025-01-01
 * (days since 1970-01-01; its Excel serial is this + 25,569). The maker is "ttusage " and --tool-version. */
static const char *tool_version = "0.1.0";
static char maker[64];
#define GENERATED_AT 1767225600
#define GENERATED_AT_TEXT "2026-01-01T00:00:00Z"
#define FIRST_DAY 20089
#define ENVIRONMENT "ext_prod_live"
/* A worksheet's rows (header included) and a cell's longest text. */
#define ROW_LIMIT 1048576
#define MAX_TEXT 32767
/* The Summary highlights a key at its quota or whose peak utilisation reaches this (the template's near-quota). */
#define NEAR_QUOTA 0.9
/* Both daily quotas divide this: a day's share used/quota is (used * (SHARE_BASE / quota)) / SHARE_BASE. */
#define SHARE_BASE 50000

static int is_missing(int key, int day) { return (key * 31 + day * 17) % 97 == 0; }
static int quota_of(int key) { return key % 3 == 0 ? 50000 : 5000; }
static int used_of(int key, int day) {
    if ((key * 13 + day) % 211 == 0) return quota_of(key);
    int used = (int)(((int64_t)key * 7919 + (int64_t)day * 104729) % 5000);
    return key % 3 == 0 ? used * 10 : used;
}

/* --- Days ---------------------------------------------------------------------------------------------------- */

/* `YYYY-MM-DD` of the day `offset` days after the first (proleptic Gregorian; H. Hinnant's civil_from_days). */
static void day_text(int offset, char text[32]) {
    int64_t z = (int64_t)FIRST_DAY + offset + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);
    snprintf(text, 32, "%04d-%02d-%02d", (int)year, (int)month, (int)day);
}

static double serial_of(int offset) { return (double)(FIRST_DAY + 25569 + offset); }

/* --- Figures ------------------------------------------------------------------------------------------------- */

/* num / den rounded half away from zero to `places` places (num >= 0, den > 0), as the double nearest that
 * decimal: the value ttusage writes (`Double("25273.49")`). */
static double rounded(int64_t num, int64_t den, int places) {
    int64_t scale = places == 2 ? 100 : 10000;
    unsigned __int128 twice = (unsigned __int128)num * (unsigned __int128)scale * 2 + (unsigned __int128)den;
    int64_t whole = (int64_t)(twice / ((unsigned __int128)den * 2));
    return (double)whole / (double)scale;
}

/* A key's figures over its days (the Summary row; ttusage's UsageAccumulator). */
typedef struct {
    int ok, missing, at_quota;
    int peak_used, peak_day; /* the first day with the most calls; peak_used -1 when no day was reported */
    int share_used, share_limit; /* the day with the highest share of its quota (share_limit 0: none) */
    int64_t used;
    int64_t share_sum; /* Σ used / quota over the days with a quota, in SHARE_BASE-ths */
    int share_days;
    double peak_utilisation;
} figures;

static void add_day(figures *f, int used, int quota, int day) {
    int remaining = quota - used > 0 ? quota - used : 0, limit = used + remaining;
    f->ok++;
    f->used += used;
    if (used > f->peak_used) { f->peak_used = used; f->peak_day = day; }
    if (remaining == 0) f->at_quota++;
    if (limit > 0) {
        if (f->share_limit == 0 || (int64_t)f->share_used * limit < (int64_t)used * f->share_limit) {
            f->share_used = used;
            f->share_limit = limit;
        }
        f->share_sum += (int64_t)used * (SHARE_BASE / limit);
        f->share_days++;
        double utilisation = (double)used / (double)limit;
        if (utilisation > f->peak_utilisation) f->peak_utilisation = utilisation;
    }
}

/* Adds `other`'s days (the total row): ties of the peak go to the earlier day. */
static void merge(figures *f, const figures *other) {
    f->ok += other->ok;
    f->missing += other->missing;
    f->at_quota += other->at_quota;
    f->used += other->used;
    f->share_sum += other->share_sum;
    f->share_days += other->share_days;
    if (other->peak_used >= 0 &&
        (f->peak_used < 0 || other->peak_used > f->peak_used ||
         (other->peak_used == f->peak_used && other->peak_day < f->peak_day))) {
        f->peak_used = other->peak_used;
        f->peak_day = other->peak_day;
    }
    if (other->share_limit > 0 && (f->share_limit == 0 || (int64_t)f->share_used * other->share_limit <
                                                               (int64_t)other->share_used * f->share_limit)) {
        f->share_used = other->share_used;
        f->share_limit = other->share_limit;
    }
    if (other->peak_utilisation > f->peak_utilisation) f->peak_utilisation = other->peak_utilisation;
}

/* --- The workbook -------------------------------------------------------------------------------------------- */

enum cell_type { TEXT, INTEGER, DECIMAL, PERCENT, DATE, TYPES };
enum tone { PLAIN, HEADER, FLAGGED, TOTAL, TITLE, TONES };

typedef struct {
    lxw_workbook *workbook;
    int keys, days;
    figures *keys_figures;
    int64_t *day_totals; /* calls per day over the keys, -1 when no key reported the day */
    lxw_format *formats[TYPES][TONES];
    char footer[160];
    char app_key[40], user_id[24], label[24];
} report;

static void key_texts(report *r, int key) {
    snprintf(r->app_key, sizeof r->app_key, "%08X-0000-4000-8000-%012X", key, key);
    snprintf(r->user_id, sizeof r->user_id, "user%d", key % 200);
    snprintf(r->label, sizeof r->label, "Customer %d", key % 50);
}

static int failed(lxw_error error, const char *call, const char *sheet, lxw_row_t row, lxw_col_t column) {
    if (sheet)
        fprintf(stderr, "xlsx-baseline: %s on sheet \"%s\" row %u column %u: %s\n", call, sheet, (unsigned)row + 1,
                (unsigned)column + 1, lxw_strerror(error));
    else
        fprintf(stderr, "xlsx-baseline: %s: %s\n", call, lxw_strerror(error));
    return 1;
}

/* Returns 1 from the enclosing function when a libxlsxwriter call fails. */
#define CHECK(call, sheet, row, column)                                                                            \
    do {                                                                                                           \
        lxw_error error_ = (call);                                                                                 \
        if (error_ != LXW_NO_ERROR) return failed(error_, #call, sheet, row, column);                              \
    } while (0)
#define MADE(pointer, call)                                                                                        \
    do {                                                                                                           \
        if (!(pointer)) {                                                                                          \
            fprintf(stderr, "xlsx-baseline: %s failed (out of memory)\n", call);                                  \
            return 1;                                                                                              \
        }                                                                                                          \
    } while (0)

/* The format of a cell of `type` on a row of `tone`, made on first use (XLSXStyles.look, XLSXWorkbook.format). */
static lxw_format *format_of(report *r, enum cell_type type, enum tone tone) {
    if (r->formats[type][tone]) return r->formats[type][tone];
    lxw_format *format = workbook_add_format(r->workbook);
    if (!format) return NULL;
    static const char *codes[TYPES] = {NULL, "#,##0", "#,##0.00", "0.0%", "yyyy-mm-dd"};
    if (codes[type]) format_set_num_format(format, codes[type]);
    if (tone == HEADER || tone == TOTAL || tone == TITLE) format_set_bold(format);
    if (tone == TITLE) format_set_font_size(format, 13);
    if (tone == HEADER) format_set_bg_color(format, 0xD9E1F2);
    if (tone == FLAGGED) format_set_bg_color(format, 0xFCE4D6);
    if (tone == TOTAL) format_set_bg_color(format, 0xDDEBF7);
    if (tone == TOTAL) format_set_top(format, LXW_BORDER_THIN);
    if (tone == HEADER) format_set_bottom(format, LXW_BORDER_THIN);
    if (tone == TOTAL) format_set_bottom(format, LXW_BORDER_DOUBLE);
    r->formats[type][tone] = format;
    return format;
}

#define FORMAT(variable, r, type, tone)                                                                            \
    lxw_format *variable = format_of(r, type, tone);                                                               \
    MADE(variable, "workbook_add_format")

static lxw_worksheet *add_sheet(report *r, const char *name) {
    lxw_error error = workbook_validate_sheet_name(r->workbook, name);
    if (error != LXW_NO_ERROR) {
        failed(error, "workbook_validate_sheet_name", name, 0, 0);
        return NULL;
    }
    lxw_worksheet *sheet = workbook_add_worksheet(r->workbook, name);
    if (!sheet) fprintf(stderr, "xlsx-baseline: workbook_add_worksheet(%s) failed (out of memory)\n", name);
    return sheet;
}

/* `Name`, then `Name (2)`, ... (SheetNames.take; these names are short). */
static void part_name(char name[40], const char *base, int part) {
    if (part == 1) snprintf(name, 40, "%s", base);
    else snprintf(name, 40, "%s (%d)", base, part);
}

/* How a sheet prints (XLSXPrint.setUp with a streamed workbook's unbordered sheets, XLSXWorksheet.setPage). */
static int set_up_page(report *r, lxw_worksheet *sheet, const char *name, const double *widths, int columns,
                       int rows, int header, int bordered) {
    double width = 0;
    for (int c = 0; c < columns; c++) width += widths[c];
    if (width * 7 + 5 > (double)(rows > 1 ? rows : 1) * 20) worksheet_set_landscape(sheet);
    else worksheet_set_portrait(sheet);
    worksheet_set_paper(sheet, 9);
    worksheet_fit_to_pages(sheet, 1, 0);
    if (header && rows > 0) CHECK(worksheet_repeat_rows(sheet, 0, 0), name, 0, 0);
    CHECK(worksheet_set_footer(sheet, r->footer), name, 0, 0);
    worksheet_gridlines(sheet, bordered ? LXW_HIDE_ALL_GRIDLINES : LXW_SHOW_SCREEN_GRIDLINES);
    return 0;
}

/* --- Summary ------------------------------------------------------------------------------------------------- */

#define SUMMARY_COLUMNS 13
static const char *summary_header[SUMMARY_COLUMNS] = {"label", "app_key", "user_id", "status", "days_ok",
    "days_missing", "total_used", "mean_per_day", "peak_date", "peak_used", "days_at_quota", "mean_utilisation",
    "peak_utilisation"};
static const enum cell_type summary_types[SUMMARY_COLUMNS] = {TEXT, TEXT, TEXT, TEXT, INTEGER, INTEGER, INTEGER,
    DECIMAL, DATE, INTEGER, INTEGER, PERCENT, PERCENT};

static const char *status_of(const figures *f) { return f->missing ? "incomplete" : "complete"; }

/* One Summary row: a key's (key >= 0) or the total's (key < 0). An empty cell is written only as a formatted
 * blank on a highlighted or total row. */
static int write_summary_row(report *r, lxw_worksheet *sheet, lxw_row_t row, int key, const figures *f,
                             lxw_format **formats, int plain) {
    const char *name = "Summary";
    if (key >= 0) {
        key_texts(r, key);
        CHECK(worksheet_write_string(sheet, row, 0, r->label, formats[0]), name, row, 0);
        CHECK(worksheet_write_string(sheet, row, 1, r->app_key, formats[1]), name, row, 1);
        CHECK(worksheet_write_string(sheet, row, 2, r->user_id, formats[2]), name, row, 2);
        CHECK(worksheet_write_string(sheet, row, 3, status_of(f), formats[3]), name, row, 3);
    } else {
        CHECK(worksheet_write_string(sheet, row, 0, "Total", formats[0]), name, row, 0);
        for (lxw_col_t c = 1; c <= 3; c++) CHECK(worksheet_write_blank(sheet, row, c, formats[c]), name, row, c);
    }
    int reported = f->ok > 0;
    double values[SUMMARY_COLUMNS] = {0};
    int present[SUMMARY_COLUMNS] = {0};
    values[4] = f->ok, present[4] = 1;
    values[5] = f->missing, present[5] = 1;
    values[6] = (double)f->used, present[6] = reported;
    if (reported) values[7] = rounded(f->used, f->ok, 2), present[7] = 1;
    if (f->peak_used >= 0) values[8] = serial_of(f->peak_day), present[8] = 1;
    if (f->peak_used >= 0) values[9] = f->peak_used, present[9] = 1;
    values[10] = f->at_quota, present[10] = 1;
    if (f->share_limit > 0) {
        values[11] = rounded(f->share_sum, (int64_t)SHARE_BASE * f->share_days, 4), present[11] = 1;
        values[12] = rounded(f->share_used, f->share_limit, 4), present[12] = 1;
    }
    for (lxw_col_t c = 4; c < SUMMARY_COLUMNS; c++) {
        if (present[c]) CHECK(worksheet_write_number(sheet, row, c, values[c], formats[c]), name, row, c);
        else if (!plain) CHECK(worksheet_write_blank(sheet, row, c, formats[c]), name, row, c);
    }
    return 0;
}

static int write_summary(report *r) {
    FORMAT(header, r, TEXT, HEADER);
    lxw_format *row_formats[TONES][SUMMARY_COLUMNS];
    int made[TONES] = {0};
    /* Column widths: the header's length + 3, and the longest text of the first 2,000 rows + 2 (at most 60). */
    double widths[SUMMARY_COLUMNS];
    for (int c = 0; c < SUMMARY_COLUMNS; c++) {
        double header_width = (double)strlen(summary_header[c]) + 3;
        switch (summary_types[c]) {
        case DATE: widths[c] = header_width > 11.5 ? header_width : 11.5; break;
        case INTEGER: widths[c] = header_width > 10 ? header_width : 10; break;
        case DECIMAL:
        case PERCENT: widths[c] = header_width > 11 ? header_width : 11; break;
        case TEXT: {
            size_t longest = 0;
            for (int k = 0; k < r->keys && k < 2000; k++) {
                key_texts(r, k);
                const char *texts[4] = {r->label, r->app_key, r->user_id, status_of(&r->keys_figures[k])};
                if (strlen(texts[c]) > longest) longest = strlen(texts[c]);
            }
            double width = (double)longest + 2;
            if (header_width > width) width = header_width;
            if (width < 8) width = 8;
            widths[c] = width > 60 ? 60 : width;
            break;
        }
        default: break;
        }
    }
    figures total = {.peak_used = -1};
    for (int k = 0; k < r->keys; k++) merge(&total, &r->keys_figures[k]);

    int all_rows = r->keys + 1; /* the keys, then the total row */
    int index = 0, part = 1;
    do {
        char name[40];
        part_name(name, "Summary", part);
        lxw_worksheet *sheet = add_sheet(r, name);
        if (!sheet) return 1;
        for (lxw_col_t c = 0; c < SUMMARY_COLUMNS; c++)
            CHECK(worksheet_set_column(sheet, c, c, widths[c], NULL), name, 0, c);
        for (lxw_col_t c = 0; c < SUMMARY_COLUMNS; c++)
            CHECK(worksheet_write_string(sheet, 0, c, summary_header[c], header), name, 0, c);
        worksheet_freeze_panes(sheet, 1, 0);
        /* In constant_memory mode the filter must be set before the rows it covers are written. */
        int end = all_rows < index + ROW_LIMIT - 1 ? all_rows : index + ROW_LIMIT - 1;
        int data_rows = (end < r->keys ? end : r->keys) - index;
        if (data_rows < 0) data_rows = 0;
        CHECK(worksheet_autofilter(sheet, 0, 0, (lxw_row_t)data_rows, SUMMARY_COLUMNS - 1), name, 0, 0);
        if (set_up_page(r, sheet, name, widths, SUMMARY_COLUMNS, 1 + end - index, 1, 0)) return 1;
        for (lxw_row_t row = 1; index < end; row++, index++) {
            const figures *f = index < r->keys ? &r->keys_figures[index] : &total;
            enum tone tone = index == r->keys                                            ? TOTAL
                             : f->at_quota > 0 || f->peak_utilisation >= NEAR_QUOTA ? FLAGGED
                                                                                      : PLAIN;
            if (!made[tone]) {
                for (int c = 0; c < SUMMARY_COLUMNS; c++) {
                    if (summary_types[c] == TEXT && tone == PLAIN) {
                        row_formats[tone][c] = NULL;
                    } else {
                        row_formats[tone][c] = format_of(r, summary_types[c], tone);
                        MADE(row_formats[tone][c], "workbook_add_format");
                    }
                }
                made[tone] = 1;
            }
            if (write_summary_row(r, sheet, row, index < r->keys ? index : -1, f, row_formats[tone], tone == PLAIN))
                return 1;
        }
        part++;
    } while (index < all_rows);
    return 0;
}

/* --- Daily --------------------------------------------------------------------------------------------------- */

static const char *daily_header[7] = {"date", "app_key", "user_id", "label", "used", "remaining", "status"};

static int start_daily(report *r, int part, int rows, lxw_format *header, const double *widths,
                       lxw_worksheet **made, char name[40]) {
    part_name(name, "Daily", part);
    lxw_worksheet *sheet = add_sheet(r, name);
    if (!sheet) return 1;
    for (lxw_col_t c = 0; c < 7; c++) CHECK(worksheet_set_column(sheet, c, c, widths[c], NULL), name, 0, c);
    for (lxw_col_t c = 0; c < 7; c++) CHECK(worksheet_write_string(sheet, 0, c, daily_header[c], header), name, 0, c);
    worksheet_freeze_panes(sheet, 1, 0);
    CHECK(worksheet_autofilter(sheet, 0, 0, (lxw_row_t)rows, 6), name, 0, 0);
    if (set_up_page(r, sheet, name, widths, 7, rows + 1, 1, 0)) return 1;
    *made = sheet;
    return 0;
}

static int write_daily(report *r) {
    FORMAT(header, r, TEXT, HEADER);
    FORMAT(date, r, DATE, PLAIN);
    FORMAT(count, r, INTEGER, PLAIN);
    size_t key_width = 8, user_width = 8, label_width = 8;
    for (int k = 0; k < r->keys; k++) {
        key_texts(r, k);
        if (strlen(r->app_key) > key_width) key_width = strlen(r->app_key);
        if (strlen(r->user_id) > user_width) user_width = strlen(r->user_id);
        if (strlen(r->label) > label_width) label_width = strlen(r->label);
    }
    double widths[7] = {11.5, (double)key_width + 2, (double)user_width + 2,
                        label_width + 2 > 60 ? 60 : (double)label_width + 2, 10, 11, 12};

    int64_t left = (int64_t)r->keys * r->days;
    int part = 1;
    char name[40];
    lxw_worksheet *sheet;
    if (start_daily(r, part, left < ROW_LIMIT - 1 ? (int)left : ROW_LIMIT - 1, header, widths, &sheet, name))
        return 1;
    lxw_row_t row = 1;
    for (int k = 0; k < r->keys; k++) {
        key_texts(r, k);
        for (int d = 0; d < r->days; d++) {
            if (row >= ROW_LIMIT) {
                part++;
                if (start_daily(r, part, left < ROW_LIMIT - 1 ? (int)left : ROW_LIMIT - 1, header, widths, &sheet,
                                name))
                    return 1;
                row = 1;
            }
            CHECK(worksheet_write_number(sheet, row, 0, serial_of(d), date), name, row, 0);
            CHECK(worksheet_write_string(sheet, row, 1, r->app_key, NULL), name, row, 1);
            CHECK(worksheet_write_string(sheet, row, 2, r->user_id, NULL), name, row, 2);
            CHECK(worksheet_write_string(sheet, row, 3, r->label, NULL), name, row, 3);
            if (is_missing(k, d)) {
                CHECK(worksheet_write_string(sheet, row, 6, "missing", NULL), name, row, 6);
            } else {
                int used = used_of(k, d), quota = quota_of(k);
                CHECK(worksheet_write_number(sheet, row, 4, used, count), name, row, 4);
                CHECK(worksheet_write_number(sheet, row, 5, quota - used > 0 ? quota - used : 0, count), name, row, 5);
                CHECK(worksheet_write_string(sheet, row, 6, "ok", NULL), name, row, 6);
            }
            row++;
            left--;
        }
    }
    return 0;
}

/* --- Charts -------------------------------------------------------------------------------------------------- */

static void chart_titles(lxw_chart *chart, const char *title) {
    chart_title_set_name(chart, title);
    chart_axis_set_name(chart->x_axis, "Day (UTC)");
    chart_axis_set_name(chart->y_axis, "Calls");
    chart_axis_set_num_format(chart->y_axis, "#,##0");
    chart_axis_set_num_format(chart->x_axis, "yyyy-mm-dd");
    chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
}

static int add_series(lxw_chart *chart, const char *sheet, int days, lxw_col_t column) {
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    MADE(series, "chart_add_series");
    chart_series_set_categories(series, sheet, 1, 0, (lxw_row_t)days, 0);
    chart_series_set_values(series, sheet, 1, column, (lxw_row_t)days, column);
    chart_series_set_name_range(series, sheet, 0, column);
    return 0;
}

static int write_charts(report *r) {
    const char *name = "Charts";
    lxw_worksheet *sheet = add_sheet(r, name);
    if (!sheet) return 1;
    FORMAT(header, r, TEXT, HEADER);
    FORMAT(date, r, DATE, PLAIN);
    FORMAT(count, r, INTEGER, PLAIN);
    int days = r->days < ROW_LIMIT - 1 ? r->days : ROW_LIMIT - 1;
    /* The five busiest keys with calls: the most calls first, then the first key. */
    int top[5], top_count = 0;
    for (int t = 0; t < 5; t++) {
        int best = -1;
        for (int k = 0; k < r->keys; k++) {
            int taken = 0;
            for (int u = 0; u < t; u++) taken |= top[u] == k;
            if (!taken && r->keys_figures[k].used > 0 &&
                (best < 0 || r->keys_figures[k].used > r->keys_figures[best].used))
                best = k;
        }
        if (best < 0) break;
        top[top_count++] = best;
    }

    CHECK(worksheet_set_column(sheet, 0, 0, 11.5, NULL), name, 0, 0);
    CHECK(worksheet_set_column(sheet, 1, (lxw_col_t)(1 + top_count), 14, NULL), name, 0, 1);
    CHECK(worksheet_write_string(sheet, 0, 0, "date", header), name, 0, 0);
    CHECK(worksheet_write_string(sheet, 0, 1, "all_keys", header), name, 0, 1);
    for (int t = 0; t < top_count; t++) {
        char label[64];
        key_texts(r, top[t]);
        snprintf(label, sizeof label, "%s (%.8s)", r->label, r->app_key);
        CHECK(worksheet_write_string(sheet, 0, (lxw_col_t)(2 + t), label, header), name, 0, (lxw_col_t)(2 + t));
    }
    worksheet_freeze_panes(sheet, 1, 0);
    for (int d = 0; d < days; d++) {
        lxw_row_t row = (lxw_row_t)d + 1;
        CHECK(worksheet_write_number(sheet, row, 0, serial_of(d), date), name, row, 0);
        if (r->day_totals[d] >= 0)
            CHECK(worksheet_write_number(sheet, row, 1, (double)r->day_totals[d], count), name, row, 1);
        for (int t = 0; t < top_count; t++)
            if (!is_missing(top[t], d))
                CHECK(worksheet_write_number(sheet, row, (lxw_col_t)(2 + t), used_of(top[t], d), count), name, row,
                      (lxw_col_t)(2 + t));
    }

    lxw_col_t chart_column = (lxw_col_t)(3 + top_count);
    lxw_chart *all = workbook_add_chart(r->workbook, LXW_CHART_LINE);
    MADE(all, "workbook_add_chart");
    if (add_series(all, name, days, 1)) return 1;
    chart_titles(all, "Calls per day, all keys");
    chart_legend_set_position(all, LXW_CHART_LEGEND_NONE);
    lxw_chart_options place = {.x_scale = 1.6, .y_scale = 1.2};
    CHECK(worksheet_insert_chart_opt(sheet, 1, chart_column, all, &place), name, 1, chart_column);
    if (top_count > 0) {
        lxw_chart *busiest = workbook_add_chart(r->workbook, LXW_CHART_LINE);
        MADE(busiest, "workbook_add_chart");
        for (int t = 0; t < top_count; t++)
            if (add_series(busiest, name, days, (lxw_col_t)(2 + t))) return 1;
        chart_titles(busiest, "Busiest keys, calls per day");
        chart_legend_set_position(busiest, LXW_CHART_LEGEND_BOTTOM);
        lxw_chart_options below = {.x_scale = 1.6, .y_scale = 1.4};
        CHECK(worksheet_insert_chart_opt(sheet, 21, chart_column, busiest, &below), name, 21, chart_column);
    }
    /* What prints is the two charts, on one landscape page. */
    worksheet_set_landscape(sheet);
    worksheet_set_paper(sheet, 9);
    worksheet_fit_to_pages(sheet, 1, 1);
    CHECK(worksheet_print_area(sheet, 0, chart_column, top_count == 0 ? 19 : 42, chart_column + 12), name, 0,
          chart_column);
    CHECK(worksheet_set_footer(sheet, r->footer), name, 0, 0);
    worksheet_gridlines(sheet, LXW_HIDE_ALL_GRIDLINES);
    return 0;
}

/* --- About --------------------------------------------------------------------------------------------------- */

/* A key's missing days as spans, `2025-01-01 to 2025-01-03, 2025-03-03`, cut to what a cell holds. */
static void missing_spans(int key, int days, char *text) {
    size_t length = 0;
    int start = -1, end = -1;
    for (int d = 0; d <= days; d++) {
        if (d < days && is_missing(key, d)) {
            if (start >= 0 && d == end + 1) {
                end = d;
                continue;
            }
        } else if (d < days) {
            continue;
        }
        if (start >= 0) {
            char first[32], last[32], span[96];
            day_text(start, first);
            day_text(end, last);
            if (start == end) snprintf(span, sizeof span, "%s%s", length ? ", " : "", first);
            else snprintf(span, sizeof span, "%s%s to %s", length ? ", " : "", first, last);
            size_t add = strlen(span);
            if (length + add > MAX_TEXT) add = MAX_TEXT - length;
            memcpy(text + length, span, add);
            length += add;
        }
        start = end = d;
    }
    text[length] = 0;
}

static int write_about(report *r) {
    const char *name = "About";
    lxw_worksheet *sheet = add_sheet(r, name);
    if (!sheet) return 1;
    FORMAT(title, r, TEXT, TITLE);
    FORMAT(header, r, TEXT, HEADER);
    FORMAT(date, r, DATE, PLAIN);
    FORMAT(count, r, INTEGER, PLAIN);
    static const double widths[5] = {24, 40, 16, 24, 60};
    for (lxw_col_t c = 0; c < 5; c++) CHECK(worksheet_set_column(sheet, c, c, widths[c], NULL), name, 0, c);

    int complete = 0, incomplete = 0;
    for (int k = 0; k < r->keys; k++) {
        if (r->keys_figures[k].missing) incomplete++;
        else complete++;
    }
    lxw_row_t row = 0;
    CHECK(worksheet_write_string(sheet, row, 0, "TT API key usage report", title), name, row, 0);
    row += 2;
#define ITEM_TEXT(label, value)                                                                                    \
    CHECK(worksheet_write_string(sheet, row, 0, label, header), name, row, 0);                                     \
    CHECK(worksheet_write_string(sheet, row, 1, value, NULL), name, row, 1);                                       \
    row++
#define ITEM_NUMBER(label, value, format)                                                                          \
    CHECK(worksheet_write_string(sheet, row, 0, label, header), name, row, 0);                                     \
    CHECK(worksheet_write_number(sheet, row, 1, value, format), name, row, 1);                                     \
    row++
    ITEM_TEXT("environment", ENVIRONMENT);
    lxw_row_t from_row = row;
    ITEM_NUMBER("from", serial_of(0), date);
    lxw_row_t to_row = row;
    ITEM_NUMBER("to", serial_of(r->days - 1), date);
    ITEM_NUMBER("days", r->days, count);
    ITEM_TEXT("generated_at", GENERATED_AT_TEXT);
    ITEM_TEXT("generated_by", maker);
    ITEM_TEXT("template", "none (none)");
    ITEM_NUMBER("keys", r->keys, count);
    ITEM_NUMBER("keys_complete", complete, count);
    ITEM_NUMBER("keys_incomplete", incomplete, count);
    ITEM_NUMBER("keys_failed", 0, count);

    row++;
    CHECK(worksheet_write_string(sheet, row, 0, "Options", title), name, row, 0);
    row++;
    ITEM_TEXT("keys", "synthetic");
    ITEM_TEXT("concurrency", "4");

    row++;
    CHECK(worksheet_write_string(sheet, row, 0, "Failures", title), name, row, 0);
    row++;
    CHECK(worksheet_write_string(sheet, row, 0, "none", NULL), name, row, 0);
    row++;

    row++;
    CHECK(worksheet_write_string(sheet, row, 0, "Missing days", title), name, row, 0);
    row++;
    if (incomplete == 0) {
        CHECK(worksheet_write_string(sheet, row, 0, "none", NULL), name, row, 0);
        row++;
    } else {
        static const char *missing_header[5] = {"app_key", "user_id", "label", "days_missing", "dates"};
        for (lxw_col_t c = 0; c < 5; c++)
            CHECK(worksheet_write_string(sheet, row, c, missing_header[c], header), name, row, c);
        row++;
        char *spans = malloc(MAX_TEXT + 1);
        MADE(spans, "malloc");
        for (int k = 0; k < r->keys; k++) {
            if (!r->keys_figures[k].missing) continue;
            key_texts(r, k);
            missing_spans(k, r->days, spans);
            lxw_error error = worksheet_write_string(sheet, row, 0, r->app_key, NULL);
            if (!error) error = worksheet_write_string(sheet, row, 1, r->user_id, NULL);
            if (!error) error = worksheet_write_string(sheet, row, 2, r->label, NULL);
            if (!error) error = worksheet_write_number(sheet, row, 3, r->keys_figures[k].missing, count);
            if (!error) error = worksheet_write_string(sheet, row, 4, spans, NULL);
            if (error) {
                free(spans);
                return failed(error, "worksheet_write_string/number", name, row, 0);
            }
            row++;
        }
        free(spans);
    }
    if (set_up_page(r, sheet, name, widths, 5, (int)row, 0, 1)) return 1;

    char formula[32];
    snprintf(formula, sizeof formula, "='About'!$B$%u", (unsigned)from_row + 1);
    CHECK(workbook_define_name(r->workbook, "ReportFrom", formula), NULL, 0, 0);
    snprintf(formula, sizeof formula, "='About'!$B$%u", (unsigned)to_row + 1);
    CHECK(workbook_define_name(r->workbook, "ReportTo", formula), NULL, 0, 0);
    return 0;
}

/* --- The report ---------------------------------------------------------------------------------------------- */

static int write_report(report *r, const char *out) {
    char first[32], last[32], range[80], title[128], subject[192];
    day_text(0, first);
    day_text(r->days - 1, last);
    snprintf(range, sizeof range, "%s to %s", first, last);
    snprintf(r->footer, sizeof r->footer, "&LTT API key usage, %s&RPage &P of &N", range);

    /* ZIP64 only when the file could pass 4 GB, as ttusage. */
    lxw_workbook_options options = {
        .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = (int64_t)r->keys * r->days > 8000000};
    r->workbook = workbook_new_opt(out, &options);
    if (!r->workbook) {
        fprintf(stderr, "xlsx-baseline: cannot create %s\n", out);
        return 1;
    }
    snprintf(title, sizeof title, "TT API key usage, %s", range);
    snprintf(subject, sizeof subject, "Daily usage of TT REST API 2.0 application keys (%s), %s", ENVIRONMENT, range);
    char comments[96];
    snprintf(comments, sizeof comments, "Made by %s with the none template", maker);
    lxw_doc_properties properties = {
        .title = title,
        .subject = subject,
        .author = maker,
        .keywords = "ttusage, TT REST API, key usage, none",
        .comments = comments,
        .created = GENERATED_AT,
    };
    CHECK(workbook_set_properties(r->workbook, &properties), NULL, 0, 0);
    CHECK(workbook_set_custom_property_string(r->workbook, "ttusage version", tool_version), NULL, 0, 0);

    if (write_summary(r) || write_daily(r) || write_charts(r) || write_about(r)) return 1;
    lxw_error error = workbook_close(r->workbook);
    r->workbook = NULL;
    if (error != LXW_NO_ERROR) return failed(error, "workbook_close", NULL, 0, 0);
    return 0;
}

int main(int argc, char **argv) {
    int keys = 1000, days = 365;
    const char *out = "baseline.xlsx";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--keys") == 0) keys = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--days") == 0) days = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--out") == 0) out = argv[i + 1];
        else if (strcmp(argv[i], "--tool-version") == 0) tool_version = argv[i + 1];
    }
    if (strlen(tool_version) > 40) {
        fprintf(stderr, "xlsx-baseline: --tool-version is too long\n");
        return 64;
    }
    snprintf(maker, sizeof maker, "ttusage %s", tool_version);
    if (keys < 1 || days < 1 || days > ROW_LIMIT - 1) {
        fprintf(stderr, "xlsx-baseline: bad --keys or --days\n");
        return 64;
    }

    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);

    /* Each key's figures and each day's total, as ttusage has them before it writes the workbook. */
    report r = {.keys = keys, .days = days};
    r.keys_figures = calloc((size_t)keys, sizeof(figures));
    r.day_totals = malloc((size_t)days * sizeof(int64_t));
    if (!r.keys_figures || !r.day_totals) {
        fprintf(stderr, "xlsx-baseline: out of memory\n");
        return 71;
    }
    for (int d = 0; d < days; d++) r.day_totals[d] = -1;
    for (int k = 0; k < keys; k++) {
        figures *f = &r.keys_figures[k];
        f->peak_used = -1;
        for (int d = 0; d < days; d++) {
            if (is_missing(k, d)) {
                f->missing++;
                continue;
            }
            int used = used_of(k, d);
            add_day(f, used, quota_of(k), d);
            r.day_totals[d] = (r.day_totals[d] < 0 ? 0 : r.day_totals[d]) + used;
        }
    }

    int failure = write_report(&r, out);
    if (r.workbook) lxw_workbook_free(r.workbook);
    clock_gettime(CLOCK_MONOTONIC, &end);
    free(r.keys_figures);
    free(r.day_totals);
    if (failure) return 73;

    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("xlsx-baseline: %d keys x %d days: %.3f s, peak RSS %.1f MB\n", keys, days, seconds,
           (double)usage.ru_maxrss / 1024.0);
    return 0;
}
