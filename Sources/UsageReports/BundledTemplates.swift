// Generated from templates/*.yaml by scripts/bundle-templates: do not edit by hand. After changing a
// template, run that script; a test fails while they differ.

/// The bundled templates, embedded so that the tool needs no file beside it at run time.
enum BundledTemplates {
    /// The YAML text of the bundled template `name`, or `nil`.
    static func text(named name: String) -> String? {
        switch name {
        case "monthly-billing": monthlyBilling
        case "quota-audit": quotaAudit
        case "spreadsheet-handoff": spreadsheetHandoff
        default: nil
        }
    }

    static let monthlyBilling = #"""
        # ttusage report template: monthly-billing.
        #
        # What an invoice is made from: the calls of each key in each calendar month, a subtotal per label (the
        # customer), and the same per label alone. The format is described in templates/README.md.
        #
        # customer-months (layout month-over-month): calls per customer and month with previous_calls, change and
        # change_pct; an export of whole months also fetches the month before the first for it. With a rate card
        # (--rates) the report also holds invoices.csv and invoice-lines.csv (the Invoices sheet).
        name: monthly-billing
        description: Calls per key and per label per calendar month; invoices with a rate card (--rates).
        near-quota: 0.9
        tables:
          - id: billing-by-key
            title: Billing by key
            group-by: [key, month]
            columns:
              - label
              - app_key
              - user_id
              - month
              - field: used
                header: calls_used
              - days_reported
              - days_missing
            sort: [label]
            subtotal: label
            total: true
          - id: billing-by-label
            title: Billing by label
            group-by: [label, month]
            columns:
              - label
              - month
              - keys
              - field: used
                header: calls_used
              - days_reported
              - days_missing
            sort: [label, month]
            total: true
          - id: customer-months
            title: Customer months
            layout: month-over-month

        """#

    static let quotaAudit = #"""
        # ttusage report template: quota-audit.
        #
        # For an administrator: what to do about each key (its plan read from the data and the plan it should be on,
        # anomalies, dormant and new keys: key-audit), the month in progress projected (month-forecast), which keys run
        # at or near their daily quota, riskiest first; which keys made no call at all in the range (dormant); which keys
        # the service refused. The format is described in templates/README.md.
        name: quota-audit
        description: Each key's plan, recommendation and flags; a forecast of the month in progress; keys by risk of reaching their quota, dormant and failed keys.
        near-quota: 0.9
        tables:
          - id: key-audit
            title: Key audit
            analysis: key-audit
          - id: month-forecast
            title: Month forecast
            analysis: month-forecast
          - id: quota-audit
            title: Quota audit
            group-by: key
            threshold: 0.8
            highlight: 0.9
            columns:
              - label
              - app_key
              - user_id
              - status
              - peak_utilisation
              - mean_utilisation
              - days_at_quota
              - days_above_threshold
              - min_remaining
              - field: used
                header: calls_used
              - days_reported
              - days_missing
              - flags
            sort:
              - days_at_quota desc
              - days_above_threshold desc
              - peak_utilisation desc
              - mean_utilisation desc
          - id: dormant-keys
            title: Dormant keys
            group-by: key
            where:
              dormant: true
            columns: [label, app_key, user_id, days_reported, days_missing]
          - id: failed-keys
            title: Failed keys
            group-by: key
            where:
              status: failed
            columns: [label, app_key, user_id, failure_reason]

        """#

    static let spreadsheetHandoff = #"""
        # ttusage report template: spreadsheet-handoff (the default).
        #
        # Every report holds daily.csv and summary.csv (the Daily and Summary sheets), and its workbook a Charts and an
        # About sheet, whatever the template. A template adds tables: each becomes <id>.csv, an entry of "tables" in
        # report.json and a sheet of report.xlsx named by its title, so the three formats show the same cells.
        # The format is described in templates/README.md.
        name: spreadsheet-handoff
        description: Summary, Daily, a key × day matrix of calls, About.
        near-quota: 0.9
        tables:
          - id: calls-by-day
            title: Calls by day
            layout: matrix
            group-by: key
            across: day
            value: used
            columns:
              - label
              - app_key
              - user_id
              - field: used
                header: total_used
            total: true

        """#
}
