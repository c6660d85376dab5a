import UsageAnalysis
import UsageCore

/// Every table of a report: the summary, the template's tables (an analysis table made by its analysis), and
/// `alerts` when `--alert` rules are given. What each format writes and report.json's typed audit come from here.
struct ReportTables {
    var tables: [ReportTable]
    /// The quota audit, when a table of the template or an alert rule needs it.
    var audit: KeyAudit?
    /// The alerts of `options.alertRules`; `nil` without rules.
    var alerts: [KeyAlert]?
    /// The invoices of `options.rates`; `nil` without a rate card. Priced once, for the tables and report.json.
    var invoices: [Invoice]?

    init(_ dataset: UsageDataset, options: RenderOptions) {
        let template = options.template
        let needsAudit = !options.alertRules.isEmpty || template.tables.contains { $0.analysis != nil }
        var auditOptions = options.audit
        auditOptions.nearQuota = template.nearQuota
        let audit = needsAudit ? KeyAudit(dataset: dataset, options: auditOptions) : nil
        let builder = TableBuilder(dataset: dataset)
        var tables = [builder.build(TableSpec.summary(nearQuota: template.nearQuota))]
        for spec in template.tables {
            switch (spec.analysis, audit) {
            case (.keyAudit?, let audit?): tables.append(audit.keyAuditTable(id: spec.id, title: spec.title))
            case (.monthForecast?, let audit?):
                // Only with a month in progress in the range: no header-only file, sheet or table otherwise.
                if audit.forecastTotal != nil { tables.append(audit.forecastTable(id: spec.id, title: spec.title)) }
            case (nil, _): tables.append(builder.build(spec))
            case (_?, nil): break
            }
        }
        let invoices = BillingAnalysis.invoices(dataset, options)
        tables += invoices.map(InvoiceTables.tables) ?? []
        var alerts: [KeyAlert]?
        if let audit, !options.alertRules.isEmpty {
            let list = audit.alerts(options.alertRules)
            tables.append(KeyAudit.alertsTable(list))
            alerts = list
        }
        self.tables = tables
        self.audit = audit
        self.alerts = alerts
        self.invoices = invoices
    }
}
