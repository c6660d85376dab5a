import UsageAnalysis
import UsageCore

/// Builds the tables of a report from a dataset: the fixed summary and the template's tables.
///
/// A key refused for good has no days: it shows in tables whose rows are not cut by period (per key, per label,
/// over everything, and every matrix) with its status `failed`, and has no row in tables grouped by a period, as
/// it has none in daily.csv.
struct TableBuilder {
    /// The facts a row's dimension cells come from.
    private struct RowContext {
        var keyIndex: Int?
        var label: String?
        var slice: PeriodSlice?
        var members: [Int]
    }

    /// A row before sorting and subtotals.
    private struct PendingRow {
        var context: RowContext
        var accumulators: [UsageAccumulator]
        var cells: [ReportCell]
        var sortValues: [ReportCell]
        var flagged: Bool
        var order: Int
    }

    /// A group of keys a row stands for.
    private struct Group {
        var members: [Int]
        var keyIndex: Int?
        var label: String?
    }

    let dataset: UsageDataset
    /// Each key's days aligned to the range (one per day, in order); `nil` for a failed key.
    private let series: [[DayUsage]?]

    init(dataset: UsageDataset) {
        self.dataset = dataset
        self.series = dataset.keys.map { usage in
            usage.status == .failed ? nil : TableBuilder.aligned(usage.days, to: dataset.range)
        }
    }

    /// The summary table followed by the template's tables, in the template's order.
    func tables(for template: ReportTemplate) -> [ReportTable] {
        [build(TableSpec.summary(nearQuota: template.nearQuota))] + template.tables.map(build)
    }

    /// `days` as one entry per day of `range` in order, a day not given being `missing`.
    static func aligned(_ days: [DayUsage], to range: DayRange) -> [DayUsage] {
        let start = range.from.ordinal
        if days.count == range.count {
            var inOrder = true
            for (offset, day) in days.enumerated() where day.date.ordinal != start + offset {
                inOrder = false
                break
            }
            if inOrder { return days }
        }
        var result = range.map(DayUsage.missing)
        for day in days {
            if let offset = range.offset(of: day.date) { result[offset] = day }
        }
        return result
    }

    /// Builds one table.
    func build(_ spec: TableSpec) -> ReportTable {
        if spec.layout == .monthOverMonth {
            return InvoiceTables.customerMonthTable(CustomerMonths.build(dataset), id: spec.id, title: spec.title)
        }
        let isMatrix = spec.layout == .matrix
        let slices =
            isMatrix ? [PeriodSlice.whole(dataset.range)] : PeriodSlice.slices(of: dataset.range, by: spec.period)
        let across = isMatrix ? PeriodSlice.slices(of: dataset.range, by: spec.across ?? .day) : []
        let valueField = spec.value ?? .used

        var columns = spec.columns.map {
            ReportTable.Column(id: $0.field.rawValue, header: $0.header, type: $0.field.type)
        }
        columns += across.map { ReportTable.Column(id: $0.label, header: $0.label, type: valueField.type) }

        let keepAccumulators = spec.subtotal != nil
        var footer = spec.total ? [UsageAccumulator](repeating: UsageAccumulator(), count: 1 + across.count) : nil
        var footerMembers: [Int] = []
        var pending: [PendingRow] = []

        for group in groups(for: spec) {
            for slice in slices {
                let first = accumulate(group.members, slice.offsets, threshold: spec.threshold)
                let context = RowContext(
                    keyIndex: group.keyIndex, label: group.label, slice: slice.period == nil ? nil : slice,
                    members: group.members)
                guard passes(spec.filter, first, context) else { continue }
                var accumulators = [first]
                if isMatrix {
                    accumulators.reserveCapacity(1 + across.count)
                    for column in across {
                        accumulators.append(accumulate(group.members, column.offsets, threshold: spec.threshold))
                    }
                }
                let cells = self.cells(spec, valueField, context, accumulators)
                let flagged =
                    spec.highlight.map { first.daysAtQuota > 0 || (first.peakUtilisation ?? 0) >= $0 } ?? false
                if footer != nil {
                    for index in accumulators.indices { footer?[index].merge(accumulators[index]) }
                    footerMembers += group.members
                }
                pending.append(
                    PendingRow(
                        context: context, accumulators: keepAccumulators ? accumulators : [],
                        cells: cells, sortValues: spec.sort.map { cell($0.field, context, first, spec.threshold) },
                        flagged: flagged, order: pending.count))
            }
        }

        if !spec.sort.isEmpty {
            pending.sort { lhs, rhs in
                for (index, key) in spec.sort.enumerated() {
                    let a = lhs.sortValues[index], b = rhs.sortValues[index]
                    switch ReportCell.compare(a, b) {
                    case .same: continue
                    case .before: return !key.descending || b == .empty
                    case .after: return key.descending && a != .empty
                    }
                }
                return lhs.order < rhs.order
            }
        }

        var rows: [ReportTable.Row] = []
        rows.reserveCapacity(pending.count)
        if let field = spec.subtotal, let column = spec.columns.firstIndex(where: { $0.field == field }) {
            rows = withSubtotals(pending, spec: spec, valueField: valueField, column: column)
        } else {
            rows = pending.map { ReportTable.Row(kind: .data, flagged: $0.flagged, cells: $0.cells) }
        }

        var footerRows: [ReportTable.Row] = []
        if let footer {
            let context = RowContext(keyIndex: nil, label: nil, slice: nil, members: distinct(footerMembers))
            var cells = self.cells(spec, valueField, context, footer)
            if let column = spec.columns.firstIndex(where: { $0.field.isDimension && $0.field.type == .text }) {
                cells[column] = .text("Total")
            }
            footerRows = [ReportTable.Row(kind: .total, flagged: false, cells: cells)]
        }
        return ReportTable(id: spec.id, title: spec.title, columns: columns, rows: rows, footer: footerRows)
    }

    // MARK: - Rows

    private func groups(for spec: TableSpec) -> [Group] {
        // Tables cut by period leave failed keys out: they have no day to cut.
        let skipFailed = spec.layout == .list && spec.period != nil
        let eligible = dataset.keys.indices.filter { !skipFailed || series[$0] != nil }
        switch spec.rowGroup {
        case .key:
            return eligible.map { Group(members: [$0], keyIndex: $0, label: dataset.keys[$0].key.label) }
        case .label:
            var order: [String] = []
            var members: [String: [Int]] = [:]
            for index in eligible {
                let label = dataset.keys[index].key.label
                if members[label] == nil { order.append(label) }
                members[label, default: []].append(index)
            }
            return order.map { Group(members: members[$0] ?? [], keyIndex: nil, label: $0) }
        case nil:
            return [Group(members: eligible, keyIndex: nil, label: nil)]
        }
    }

    private func accumulate(_ members: [Int], _ offsets: Range<Int>, threshold: Double) -> UsageAccumulator {
        var accumulator = UsageAccumulator()
        for member in members {
            guard let days = series[member] else { continue }
            for offset in offsets { accumulator.add(days[offset], threshold: threshold) }
        }
        return accumulator
    }

    private func passes(_ filter: TableSpec.Filter, _ accumulator: UsageAccumulator, _ context: RowContext) -> Bool {
        if let statuses = filter.statuses {
            guard let index = context.keyIndex, statuses.contains(dataset.keys[index].status) else { return false }
        }
        if let dormant = filter.dormant, accumulator.isDormant != dormant { return false }
        if let atRisk = filter.atRisk, accumulator.isAtRisk != atRisk { return false }
        return true
    }

    private func withSubtotals(
        _ pending: [PendingRow], spec: TableSpec, valueField: ReportField, column: Int
    ) -> [ReportTable.Row] {
        var order: [ReportCell] = []
        var runs: [ReportCell: [PendingRow]] = [:]
        for row in pending {
            let value = row.cells[column]
            if runs[value] == nil { order.append(value) }
            runs[value, default: []].append(row)
        }
        let labelColumn = spec.columns.indices.first {
            $0 != column && spec.columns[$0].field.isDimension && spec.columns[$0].field.type == .text
        }
        var rows: [ReportTable.Row] = []
        rows.reserveCapacity(pending.count + order.count)
        for value in order {
            let run = runs[value] ?? []
            var merged = [UsageAccumulator](repeating: UsageAccumulator(), count: run.first?.accumulators.count ?? 1)
            var members: [Int] = []
            for row in run {
                rows.append(ReportTable.Row(kind: .data, flagged: row.flagged, cells: row.cells))
                for index in row.accumulators.indices { merged[index].merge(row.accumulators[index]) }
                members += row.context.members
            }
            let context = RowContext(keyIndex: nil, label: nil, slice: nil, members: distinct(members))
            var cells = self.cells(spec, valueField, context, merged)
            cells[column] = value
            if let labelColumn { cells[labelColumn] = .text("Subtotal") }
            rows.append(ReportTable.Row(kind: .subtotal, flagged: false, cells: cells))
        }
        return rows
    }

    private func distinct(_ members: [Int]) -> [Int] {
        var seen = Set<Int>()
        return members.filter { seen.insert($0).inserted }
    }

    // MARK: - Cells

    private func cells(
        _ spec: TableSpec, _ valueField: ReportField, _ context: RowContext, _ accumulators: [UsageAccumulator]
    ) -> [ReportCell] {
        var cells: [ReportCell] = []
        cells.reserveCapacity(spec.columns.count + accumulators.count - 1)
        let whole = accumulators.first ?? UsageAccumulator()
        for column in spec.columns { cells.append(cell(column.field, context, whole, spec.threshold)) }
        for accumulator in accumulators.dropFirst() {
            cells.append(cell(valueField, context, accumulator, spec.threshold))
        }
        return cells
    }

    private func cell(
        _ field: ReportField, _ context: RowContext, _ accumulator: UsageAccumulator, _ threshold: Double
    ) -> ReportCell {
        let key = context.keyIndex.map { dataset.keys[$0] }
        switch field {
        case .label: return context.label.map(ReportCell.text) ?? .empty
        case .appKey: return key.map { .text($0.key.appKey) } ?? .empty
        case .userId: return key.map { .text($0.key.userId) } ?? .empty
        case .status: return key.map { .text($0.status.rawValue) } ?? .empty
        case .failureReason: return key?.failureReason.map(ReportCell.text) ?? .empty
        case .date, .periodStart: return context.slice.map { .date($0.start) } ?? .empty
        case .periodEnd: return context.slice.map { .date($0.end) } ?? .empty
        case .isoWeek, .month: return context.slice.map { .text($0.label) } ?? .empty
        case .keys: return .integer(context.members.count)
        case .keysFailed: return .integer(context.members.reduce(0) { $0 + (series[$1] == nil ? 1 : 0) })
        case .used: return accumulator.usedIfKnown.map(ReportCell.integer) ?? .empty
        case .daysReported: return .integer(accumulator.daysReported)
        case .daysOk: return .integer(accumulator.daysOk)
        case .daysProvisional: return .integer(accumulator.daysProvisional)
        case .daysMissing: return .integer(accumulator.daysMissing)
        case .meanPerDay: return accumulator.meanPerDay.map(ReportCell.mean) ?? .empty
        case .peakUsed: return accumulator.peakUsed.map(ReportCell.integer) ?? .empty
        case .peakDate: return accumulator.peakDate.map(ReportCell.date) ?? .empty
        case .daysAtQuota: return .integer(accumulator.daysAtQuota)
        case .daysAboveThreshold: return .integer(accumulator.daysAboveThreshold)
        case .meanUtilisation: return accumulator.meanUtilisation.map(ReportCell.fraction) ?? .empty
        case .peakUtilisation: return accumulator.roundedPeakUtilisation.map(ReportCell.fraction) ?? .empty
        case .minRemaining: return accumulator.minRemaining.map(ReportCell.integer) ?? .empty
        case .dormant: return .text(accumulator.isDormant ? "yes" : "no")
        case .flags: return .text(flags(context, accumulator, threshold))
        }
    }

    private func flags(_ context: RowContext, _ accumulator: UsageAccumulator, _ threshold: Double) -> String {
        var flags: [String] = []
        if context.members.contains(where: { series[$0] == nil }) { flags.append("failed") }
        if accumulator.daysAtQuota > 0 { flags.append("at-quota") }
        if accumulator.daysAboveThreshold > 0 { flags.append("above-threshold") }
        if accumulator.isDormant { flags.append("dormant") }
        if accumulator.daysMissing > 0 { flags.append("missing-days") }
        // Spelled as key-audit.csv spells its flags: hyphenated words, `;` between them.
        return flags.joined(separator: ";")
    }
}
